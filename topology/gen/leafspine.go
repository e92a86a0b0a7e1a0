package gen

import "fmt"

// popASN is the leaf-spine POP's AS.
const popASN = 65000

// leafSpine writes a POP over two facilities: S spines (route reflectors,
// each a site of its own with no prefixes, alternating between the
// facilities) and N racks (sites with their own ASN and prefixes), each
// dual-homed to leaf<j>a in pop-fac1 and leaf<j>b in pop-fac2; every leaf
// links to every spine (100G, 100µs) with an iBGP session on which the
// spine reflects to the leaf (rr_client) and the leaf sets next-hop-self.
func (g *gen) leafSpine() error {
	o := g.o
	s, n := o.Spines, o.Sites
	autoSpines := func(routers int) int {
		switch {
		case routers < 20:
			return 2
		case routers < 200:
			return 4
		}
		return 8
	}
	switch {
	case n > 0 && s == 0:
		s = autoSpines(2 * n)
	case n == 0 && o.Routers > 0:
		if s == 0 {
			s = autoSpines(o.Routers)
		}
		n = max(2, (o.Routers-s)/2)
	case n == 0:
		n = 4
		if s == 0 {
			s = 2
		}
	}
	if n < 2 {
		return fmt.Errorf("sites %d: a leaf-spine POP needs at least 2 racks", n)
	}
	if s+2*n > MaxRouters {
		return fmt.Errorf("sites %d: %d routers, more than %d", n, s+2*n, MaxRouters)
	}
	if err := g.checkPrefixes(n); err != nil {
		return err
	}
	g.n, g.o.Spines = n, s
	g.header(fmt.Sprintf("gen leaf-spine %d spines %d racks", s, n),
		fmt.Sprintf("A POP (AS %d) over two facilities: %d spines (route reflectors), %d racks each dual-homed to two leaves, one per facility.", popASN, s, n))
	g.top.WriteString("# Each spine is a site of its own with no prefixes and a core router (a site without cores gets\n" +
		"# a hub reflecting to its routers; a core site has none, so nothing shortcuts the spines).\n" +
		"# Each rack is a site (its servers, with their own ASN) whose hub peers eBGP with its two leaves.\n\n")
	g.facility("pop-fac1")
	g.facility("pop-fac2")
	fac := func(i int) string { return fmt.Sprintf("pop-fac%d", (i-1)%2+1) }
	maxPaths := fmt.Sprintf("max_paths = %d\n", min(s, 1024))
	for i := 1; i <= s; i++ {
		g.site(fmt.Sprintf("pop-spine%d", i), popASN, false)
		g.router(fmt.Sprintf("spine%d", i), fmt.Sprintf("pop-spine%d", i), fac(i), "role = \"core\"\nmax_paths = 2\n")
	}
	leafExtra := fmt.Sprintf("asn = %d\n%s", popASN, maxPaths)
	for j := 1; j <= n; j++ {
		rack := fmt.Sprintf("rack%d", j)
		g.site(rack, asn(65100, j, n), true)
		g.router(fmt.Sprintf("leaf%da", j), rack, "pop-fac1", leafExtra)
		g.router(fmt.Sprintf("leaf%db", j), rack, "pop-fac2", leafExtra)
	}
	for j := 1; j <= n; j++ {
		for _, side := range []byte{'a', 'b'} {
			leaf := fmt.Sprintf("leaf%d%c", j, side)
			for i := 1; i <= s; i++ {
				spine := fmt.Sprintf("spine%d", i)
				l := spine + "-" + leaf
				g.link(l, spine, leaf, "100Gbps", "100us", false)
				g.session("bgp-"+l, spine, leaf, l, "rr_client_a = true\nnext_hop_self_b = true\n")
			}
		}
	}
	g.demandFrom, g.demandTo, g.demandRate = "rack1", fmt.Sprintf("rack%d", n), "10Gbps"
	g.fault = map[string]string{"facility": "pop-fac1", "link": "spine1-leaf1a", "router": "spine1", "session": "bgp-spine1-leaf1a"}
	return nil
}
