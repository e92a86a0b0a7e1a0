package bgp

import "net/netip"

// Prefixes gives every prefix of one simulation a dense ID, shared by all
// its speakers (Config.Prefixes): a speaker finds its entry for a prefix by
// indexing a slice with the ID instead of hashing the prefix, and UPDATEs
// between speakers that share the table carry the IDs along. It is not
// safe for concurrent use: one table per engine.
type Prefixes struct {
	v4   map[uint64]int32 // IPv4: address << 8 | bits
	v6   map[netip.Prefix]int32
	list []netip.Prefix
	strs []any // list[i].String() boxed (a trace value), built on first use
	// attrs interns the path attribute sets of every speaker sharing the
	// table: one simulation, one set per distinct set of attributes.
	attrs attrTab
}

// NewPrefixes returns an empty table.
func NewPrefixes() *Prefixes {
	return &Prefixes{v4: make(map[uint64]int32), v6: make(map[netip.Prefix]int32)}
}

func v4key(p netip.Prefix) (uint64, bool) {
	if !p.Addr().Is4() {
		return 0, false
	}
	a := p.Addr().As4()
	return uint64(a[0])<<32 | uint64(a[1])<<24 | uint64(a[2])<<16 | uint64(a[3])<<8 | uint64(p.Bits()), true
}

// ID returns p's ID, assigning the next one if p is new.
func (t *Prefixes) ID(p netip.Prefix) int32 {
	if id, ok := t.Lookup(p); ok {
		return id
	}
	id := int32(len(t.list))
	t.list = append(t.list, p)
	if k, ok := v4key(p); ok {
		t.v4[k] = id
	} else {
		t.v6[p] = id
	}
	return id
}

// Lookup returns p's ID if it has one.
func (t *Prefixes) Lookup(p netip.Prefix) (int32, bool) {
	var (
		id int32
		ok bool
	)
	if k, is4 := v4key(p); is4 {
		id, ok = t.v4[k]
	} else {
		id, ok = t.v6[p]
	}
	return id, ok
}

// Len returns how many prefixes have an ID.
func (t *Prefixes) Len() int { return len(t.list) }

// Prefix returns the prefix of ID id.
func (t *Prefixes) Prefix(id int32) netip.Prefix { return t.list[id] }

// String returns the text of prefix id, computed once: the trace writes it
// at every best-path and FIB change.
func (t *Prefixes) String(id int32) string { return t.boxed(id).(string) }

// Boxed is String as a trace value (sim.Attr.Value): boxed once too.
func (t *Prefixes) Boxed(id int32) any { return t.boxed(id) }

func (t *Prefixes) boxed(id int32) any {
	if int(id) >= len(t.strs) {
		t.strs = append(t.strs, make([]any, len(t.list)-len(t.strs))...)
	}
	if t.strs[id] == nil {
		t.strs[id] = t.list[id].String()
	}
	return t.strs[id]
}
