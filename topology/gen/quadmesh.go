package gen

import "fmt"

// quadMesh writes N sites joined pairwise (full) or in a ring by the
// AWS↔GCP quad shape: per pair two facilities, four router pairs, four
// 10G MACsec channels, one eBGP session per channel.
func (g *gen) quadMesh() error {
	o := g.o
	n := o.Sites
	switch {
	case n > 0:
	case o.Routers > 0 && o.Shape == "ring":
		n = max(2, o.Routers/8)
	case o.Routers > 0:
		n = 2
		for 4*(n+1)*n <= o.Routers {
			n++
		}
	default:
		n = 3
	}
	if n < 2 {
		return fmt.Errorf("sites %d: a quad mesh needs at least 2", n)
	}
	var pairs [][2]int
	if o.Shape == "ring" {
		for i := 1; i < n; i++ {
			pairs = append(pairs, [2]int{i, i + 1})
		}
		if n >= 3 {
			pairs = append(pairs, [2]int{1, n})
		}
	} else {
		if r := 4 * n * (n - 1); r > MaxRouters {
			return fmt.Errorf("sites %d: a full quad mesh of %d sites has %d routers, more than %d (try --shape ring)", n, n, r, MaxRouters)
		}
		pairs = make([][2]int, 0, n*(n-1)/2)
		for i := 1; i <= n; i++ {
			for j := i + 1; j <= n; j++ {
				pairs = append(pairs, [2]int{i, j})
			}
		}
	}
	if err := g.checkPrefixes(n); err != nil {
		return err
	}
	g.n = n
	g.header(fmt.Sprintf("gen quad-mesh %s %d sites", o.Shape, n),
		fmt.Sprintf("%d sites, %d quads (%s): each pair joined by two facilities, four router pairs, four 10G MACsec channels, one eBGP session per channel.", n, len(pairs), o.Shape))
	for i := 1; i <= n; i++ {
		g.site(fmt.Sprintf("s%d", i), asn(65000, i, n), true)
	}
	for _, pr := range pairs {
		p := fmt.Sprintf("s%d-s%d", pr[0], pr[1])
		fmt.Fprintf(g.top, "# quad %s\n", p)
		g.facility(p + "-fac1")
		g.facility(p + "-fac2")
		for side, s := range pr {
			for k := 1; k <= 4; k++ {
				g.router(fmt.Sprintf("%s-%c%d", p, 'a'+side, k), fmt.Sprintf("s%d", s), fmt.Sprintf("%s-fac%d", p, (k+1)/2), "")
			}
		}
		for k := 1; k <= 4; k++ {
			g.link(fmt.Sprintf("%s-ch%d", p, k), fmt.Sprintf("%s-a%d", p, k), fmt.Sprintf("%s-b%d", p, k), "10Gbps", "1ms", true)
		}
		for k := 1; k <= 4; k++ {
			g.session(fmt.Sprintf("%s-bgp%d", p, k), fmt.Sprintf("%s-a%d", p, k), fmt.Sprintf("%s-b%d", p, k), fmt.Sprintf("%s-ch%d", p, k), "")
		}
	}
	p := fmt.Sprintf("s%d-s%d", pairs[0][0], pairs[0][1])
	g.demandFrom, g.demandTo, g.demandRate = fmt.Sprintf("s%d", pairs[0][0]), fmt.Sprintf("s%d", pairs[0][1]), "12Gbps"
	g.fault = map[string]string{
		"facility": p + "-fac1", "link": p + "-ch1", "router": p + "-a1", "session": p + "-bgp1",
	}
	return nil
}
