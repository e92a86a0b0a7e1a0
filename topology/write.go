package topology

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteTOML writes t in the explicit format with every value spelled out
// (no [defaults], no intents, no reliance on profiles), so that nothing is
// hidden and Parse of the output gives a Topology equal to t.
func WriteTOML(w io.Writer, t *Topology) error {
	bw := bufio.NewWriter(w)
	p := &tw{w: bw}
	p.line("# Explicit form written by netdrill: every default applied, every intent expanded.")
	p.kv("name", str(t.Name))
	for _, s := range t.Sites {
		p.table("site")
		p.kv("name", str(s.Name))
		p.kv("provider", str(s.Provider))
		p.kv("asn", strconv.FormatUint(uint64(s.ASN), 10))
		p.kv("prefixes", prefixList(s.Prefixes))
		bb := s.Backbone
		p.line("[site.backbone]")
		p.kv("carrier", strconv.FormatBool(bb.Carrier))
		p.kv("carrier_delay", dur(bb.CarrierDelay))
		p.kv("latency", dur(bb.Latency))
		p.kv("keepalive", dur(bb.Keepalive))
		p.kv("hold", dur(bb.Hold))
		if bb.BFD == nil {
			p.kv("bfd", "false")
		} else {
			p.kv("bfd", fmt.Sprintf("{ interval = %s, multiplier = %d }", dur(bb.BFD.Interval), bb.BFD.Multiplier))
		}
	}
	for _, f := range t.Facilities {
		p.table("facility")
		p.kv("name", str(f.Name))
		if f.Metro != "" {
			p.kv("metro", str(f.Metro))
		}
		if len(f.SRLGs) > 0 {
			p.kv("srlg", strList(f.SRLGs))
		}
		p.group(f.Interconnect)
	}
	for _, r := range t.Routers {
		p.table("router")
		p.kv("name", str(r.Name))
		p.kv("site", str(r.Site))
		if r.Facility != "" {
			p.kv("facility", str(r.Facility))
		}
		p.kv("asn", strconv.FormatUint(uint64(r.ASN), 10))
		if r.RouterID.IsValid() {
			p.kv("router_id", str(r.RouterID.String()))
		}
		p.kv("profile", str(r.Profile))
		if r.Role != "" && r.Role != RoleEdge {
			p.kv("role", str(r.Role))
		}
		if len(r.Prefixes) > 0 {
			p.kv("prefixes", prefixList(r.Prefixes))
		}
		p.kv("bfd_offloaded", strconv.FormatBool(r.BFDOffloaded))
		p.kv("bfd_slack", dur(r.BFDSlack))
		p.kv("update_delay", dur(r.UpdateDelay))
		p.kv("prefix_delay", dur(r.PrefixDelay))
		p.kv("fib_install_delay", dur(r.FIBInstallDelay))
		p.kv("boot_time", dur(r.BootTime))
		p.kv("max_paths", strconv.Itoa(r.MaxPaths))
		if len(r.SRLGs) > 0 {
			p.kv("srlg", strList(r.SRLGs))
		}
		p.group(r.Interconnect)
	}
	for _, l := range t.Links {
		p.table("link")
		p.kv("name", str(l.Name))
		p.kv("a", str(l.A))
		p.kv("b", str(l.B))
		p.kv("capacity", str(l.Capacity.String()))
		p.kv("latency", dur(l.Latency))
		if l.Jitter != 0 {
			p.kv("jitter", dur(l.Jitter))
		}
		if l.CarrierDelay != 0 {
			p.kv("carrier_delay", dur(l.CarrierDelay))
		}
		p.kv("macsec", strconv.FormatBool(l.MACsec))
		if l.AdminDown {
			p.kv("admin_down", "true")
		}
		if len(l.SRLGs) > 0 {
			p.kv("srlg", strList(l.SRLGs))
		}
		p.group(l.Interconnect)
	}
	for _, g := range t.LAGs {
		p.table("lag")
		p.kv("name", str(g.Name))
		p.kv("a", str(g.A))
		p.kv("b", str(g.B))
		p.kv("members", strList(g.Members))
		p.kv("min_links", strconv.Itoa(g.MinLinks))
		p.group(g.Interconnect)
	}
	for _, s := range t.Sessions {
		p.table("session")
		p.kv("name", str(s.Name))
		p.kv("a", str(s.A.Router))
		p.kv("b", str(s.B.Router))
		if s.Over != "" {
			p.kv("over", str(s.Over))
		}
		if s.BFD == nil {
			p.kv("bfd", "false")
		} else {
			p.kv("bfd", fmt.Sprintf("{ interval = %s, multiplier = %d }", dur(s.BFD.Interval), s.BFD.Multiplier))
		}
		p.group(s.Interconnect)
		a, b := s.A, s.B
		p.end("keepalive", dur(a.Keepalive), dur(b.Keepalive))
		p.end("hold", dur(a.Hold), dur(b.Hold))
		p.end("connect_retry", dur(a.ConnectRetry), dur(b.ConnectRetry))
		p.end("establish_delay", dur(a.EstablishDelay), dur(b.EstablishDelay))
		p.end("mrai", dur(a.MRAI), dur(b.MRAI))
		p.end("graceful_restart", dur(a.GracefulRestart), dur(b.GracefulRestart))
		p.end("max_prefix", strconv.Itoa(a.MaxPrefix), strconv.Itoa(b.MaxPrefix))
		p.end("rr_client", strconv.FormatBool(a.RRClient), strconv.FormatBool(b.RRClient))
		p.end("next_hop_self", strconv.FormatBool(a.NextHopSelf), strconv.FormatBool(b.NextHopSelf))
		p.end("syn_retries", strconv.Itoa(a.SynRetries), strconv.Itoa(b.SynRetries))
		p.end("connect_on_bfd_up", strconv.FormatBool(a.ConnectOnBFDUp), strconv.FormatBool(b.ConnectOnBFDUp))
		p.end("send_back", strconv.FormatBool(a.SendBack), strconv.FormatBool(b.SendBack))
		p.end("separate_eor", strconv.FormatBool(a.SeparateEoR), strconv.FormatBool(b.SeparateEoR))
		p.end("mrai_jitter", strconv.FormatBool(a.MRAIJitter), strconv.FormatBool(b.MRAIJitter))
		p.end("pace_withdrawals", strconv.FormatBool(a.PaceWithdrawals), strconv.FormatBool(b.PaceWithdrawals))
		p.end("hold_expiry_delay", dur(a.HoldExpiryDelay), dur(b.HoldExpiryDelay))
		p.rules("import", a.Import, b.Import)
		p.rules("export", a.Export, b.Export)
	}
	for _, x := range t.Pools {
		p.table("pool")
		p.kv("name", str(x.Name))
		p.kv("capacity", str(x.Capacity.String()))
		p.kv("links", strList(x.Links))
		p.group(x.Interconnect)
	}
	for _, x := range t.Tenants {
		p.table("tenant")
		p.kv("name", str(x.Name))
		p.kv("rate", str(x.Rate.String()))
		p.kv("pools", strList(x.Pools))
		p.group(x.Interconnect)
	}
	for _, d := range t.Demands {
		p.table("demand")
		p.kv("name", str(d.Name))
		p.kv("from", str(d.From))
		p.kv("to", str(d.To))
		p.kv("rate", str(d.Rate.String()))
	}
	if p.err != nil {
		return p.err
	}
	return bw.Flush()
}

type tw struct {
	w   *bufio.Writer
	err error
}

func (p *tw) line(s string) {
	if p.err == nil {
		_, p.err = p.w.WriteString(s + "\n")
	}
}

func (p *tw) table(name string) { p.line("\n[[" + name + "]]") }

func (p *tw) kv(k, v string) { p.line(k + " = " + v) }

func (p *tw) group(ic string) {
	if ic != "" {
		p.kv("interconnect", str(ic))
	}
}

// end writes one value for both ends when they agree, else one per end.
func (p *tw) end(key, a, b string) {
	if a == b {
		p.kv(key, a)
		return
	}
	p.kv(key+"_a", a)
	p.kv(key+"_b", b)
}

func (p *tw) rules(key string, a, b []Rule) {
	if reflect.DeepEqual(a, b) {
		if a != nil {
			p.kv(key, ruleList(a))
		}
		return
	}
	if a != nil {
		p.kv(key+"_a", ruleList(a))
	}
	if b != nil {
		p.kv(key+"_b", ruleList(b))
	}
}

func ruleList(rs []Rule) string {
	items := make([]string, len(rs))
	for i, r := range rs {
		var f []string
		if len(r.MatchPrefixes) > 0 {
			f = append(f, "match_prefixes = "+prefixList(r.MatchPrefixes))
		}
		if r.MatchCommunity != "" {
			f = append(f, "match_community = "+str(r.MatchCommunity))
		}
		if r.MatchASPath != 0 {
			f = append(f, "match_as_path = "+strconv.FormatUint(uint64(r.MatchASPath), 10))
		}
		if r.Deny {
			f = append(f, "deny = true")
		}
		if r.LocalPref != nil {
			f = append(f, "local_pref = "+strconv.FormatUint(uint64(*r.LocalPref), 10))
		}
		if r.MED != nil {
			f = append(f, "med = "+strconv.FormatUint(uint64(*r.MED), 10))
		}
		if r.Prepend != 0 {
			f = append(f, "prepend = "+strconv.Itoa(r.Prepend))
		}
		if len(r.AddCommunities) > 0 {
			f = append(f, "add_communities = "+strList(r.AddCommunities))
		}
		if len(f) == 0 {
			items[i] = "{}"
		} else {
			items[i] = "{ " + strings.Join(f, ", ") + " }"
		}
	}
	return "[" + strings.Join(items, ", ") + "]"
}

func dur(d time.Duration) string { return str(d.String()) }

func strList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = str(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func prefixList(ps []netip.Prefix) string {
	q := make([]string, len(ps))
	for i, x := range ps {
		q[i] = str(x.String())
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// str quotes s as a TOML basic string.
func str(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\xef\xbf\xbd"):
			b.WriteString(`\uFFFD`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Expand parses a topology (explicit or intent form) and writes its explicit
// form to w: Parse followed by WriteTOML. Invalid input gives a *ErrorList.
func Expand(w io.Writer, name string, data []byte) error {
	t, err := Parse(name, data)
	if err != nil {
		return err
	}
	return WriteTOML(w, t)
}
