package model

import "github.com/netdrill/netdrill/scenarios/trace"

// Layout is how the fabric panel groups the header's fabric: the sites'
// hubs (or cores) and, per facility, rows "router — link — router" for the
// declared links whose a end is in the facility, then its routers with no
// declared link. Indexes refer to the fabric's Routers and Links; -1 is
// none.
type Layout struct {
	Sites  []SiteRow
	Groups []Group
}

// SiteRow is a site with its hub or core routers and its internal
// attachments (links).
type SiteRow struct {
	Site    int
	Routers []int
	Attach  []int
}

// Group is a facility (Facility -1: routers in none) and its rows.
type Group struct {
	Facility int
	Rows     []Row
}

// Row is a link between two routers, or a lone router (Link and B -1).
type Row struct{ A, Link, B int }

// NewLayout groups f. It is deterministic: header order throughout.
func NewLayout(f *trace.Fabric) Layout {
	var lay Layout
	if f == nil {
		return lay
	}
	rIdx := map[string]int{}
	for i, r := range f.Routers {
		rIdx[r.Name] = i
	}
	fIdx := map[string]int{}
	for i, fc := range f.Facilities {
		fIdx[fc.Name] = i
	}
	for si, s := range f.Sites {
		row := SiteRow{Site: si}
		for i, r := range f.Routers {
			if r.Site == s.Name && (r.Role == "hub" || r.Role == "core") {
				row.Routers = append(row.Routers, i)
			}
		}
		for li, l := range f.Links {
			if l.Internal && (l.A == s.Hub || l.B == s.Hub) && s.Hub != "" {
				row.Attach = append(row.Attach, li)
			}
		}
		lay.Sites = append(lay.Sites, row)
	}
	facOf := func(r int) int {
		if r < 0 {
			return -1
		}
		if i, ok := fIdx[f.Routers[r].Facility]; ok {
			return i
		}
		return -1
	}
	groups := make([]Group, len(f.Facilities)+1) // last: no facility
	for i := range f.Facilities {
		groups[i].Facility = i
	}
	groups[len(f.Facilities)].Facility = -1
	gi := func(fac int) int {
		if fac < 0 {
			return len(f.Facilities)
		}
		return fac
	}
	onRow := make([]bool, len(f.Routers))
	for li, l := range f.Links {
		if l.Internal {
			continue
		}
		a, okA := rIdx[l.A]
		b, okB := rIdx[l.B]
		if !okA {
			a = -1
		}
		if !okB {
			b = -1
		}
		fac := facOf(a)
		if fac < 0 {
			fac = facOf(b)
		}
		g := &groups[gi(fac)]
		g.Rows = append(g.Rows, Row{A: a, Link: li, B: b})
		if a >= 0 {
			onRow[a] = true
		}
		if b >= 0 {
			onRow[b] = true
		}
	}
	for i, r := range f.Routers {
		if onRow[i] || r.Role == "hub" || r.Role == "core" {
			continue
		}
		fac := facOf(i)
		g := &groups[gi(fac)]
		g.Rows = append(g.Rows, Row{A: i, Link: -1, B: -1})
	}
	for _, g := range groups {
		if len(g.Rows) > 0 || g.Facility >= 0 {
			lay.Groups = append(lay.Groups, g)
		}
	}
	return lay
}

// FabricOrder returns the selectable items in drawing order: the sites'
// hubs and cores, then per group each row's a end, link and b end.
func FabricOrder(f *trace.Fabric) []Item {
	lay := NewLayout(f)
	var out []Item
	seen := map[Item]bool{}
	add := func(it Item) {
		if it.Index >= 0 && !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	for _, s := range lay.Sites {
		for _, r := range s.Routers {
			add(Item{SelRouter, r})
		}
	}
	for _, g := range lay.Groups {
		for _, r := range g.Rows {
			add(Item{SelRouter, r.A})
			add(Item{SelLink, r.Link})
			add(Item{SelRouter, r.B})
		}
	}
	return out
}
