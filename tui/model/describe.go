package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/netdrill/netdrill/scenarios/trace"
)

// FormatT formats a trace time for the screen: m:ss.mmm under an hour,
// h:mm:ss.mmm under a day, then Nd h:mm:ss.
func FormatT(t int64) string {
	neg := ""
	if t < 0 {
		neg, t = "-", -t
	}
	ms := (t / 1e6) % 1000
	s := t / 1e9
	switch {
	case s < 3600:
		return fmt.Sprintf("%s%d:%02d.%03d", neg, s/60, s%60, ms)
	case s < 86400:
		return fmt.Sprintf("%s%d:%02d:%02d.%03d", neg, s/3600, s/60%60, s%60, ms)
	}
	return fmt.Sprintf("%s%dd%d:%02d:%02d", neg, s/86400, s/3600%24, s/60%60, s%60)
}

// ParseT reads a time typed by the user: a Go duration ("2m0.65s",
// "120s", "1h"), m:ss(.fff), h:mm:ss(.fff), or a bare number of seconds.
func ParseT(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty time")
	}
	if d, err := time.ParseDuration(s); err == nil {
		return int64(d), nil
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("time %q: want 2m30s, 2:30.5 or 150", s)
	}
	var total float64
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || (i > 0 && v >= 60) {
			return 0, fmt.Errorf("time %q: want 2m30s, 2:30.5 or 150", s)
		}
		total = total*60 + v
	}
	return int64(total * 1e9), nil
}

// FormatRate formats bits/s with an SI prefix ("12G", "545.5M").
func FormatRate(bps float64) string {
	units := []string{"", "k", "M", "G", "T", "P"}
	i := 0
	for bps >= 1000 && i < len(units)-1 {
		bps /= 1000
		i++
	}
	s := strconv.FormatFloat(bps, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + units[i]
}

// FormatBytes formats a byte count ("128.3GB").
func FormatBytes(b float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB"}
	i := 0
	for b >= 1000 && i < len(units)-1 {
		b /= 1000
		i++
	}
	return strconv.FormatFloat(b, 'f', 1, 64) + units[i]
}

// Describe says in one line what event e is and why, without its time:
// the reason of a state change, the rule that chose a route.
func Describe(e trace.Event) string {
	hops := func() string {
		h := e.Strs("nexthops")
		if len(h) == 0 {
			return "no route"
		}
		return "→ " + strings.Join(h, ",")
	}
	why := func(r string) string {
		if r == "" {
			return ""
		}
		return " (" + r + ")"
	}
	switch e.Kind {
	case trace.KindFaultInject, trace.KindFaultRepair:
		verb := "FAULT"
		if e.Kind == trace.KindFaultRepair {
			verb = "REPAIR"
		}
		return fmt.Sprintf("%s %s %s on %s: %d links, %d routers", verb, e.Subject, e.Str("fault"), e.Str("target"), len(e.Strs("links")), len(e.Strs("routers")))
	case trace.KindFaultError:
		return fmt.Sprintf("FAULT %s not applied: %s", e.Subject, e.Str("error"))
	case trace.KindLinkState:
		return fmt.Sprintf("link %s %s%s", e.Subject, e.Str("state"), why(e.Str("reason")))
	case trace.KindBFDState:
		return fmt.Sprintf("bfd %s at %s: %s%s", e.Subject, e.Str("router"), e.Str("state"), why(e.Str("reason")))
	case trace.KindBGPSession:
		return fmt.Sprintf("bgp %s at %s: %s→%s%s", e.Subject, e.Str("router"), e.Str("from"), e.Str("state"), why(e.Str("reason")))
	case trace.KindBGPUpdate:
		return fmt.Sprintf("update %s %s %s +%d -%d", e.Subject, e.Str("dir"), e.Str("peer"), e.Int("announce"), e.Int("withdraw"))
	case trace.KindBGPBest:
		return fmt.Sprintf("best %s %s %s (rule %s)", e.Subject, e.Str("prefix"), hops(), e.Str("rule"))
	case trace.KindFIBChange:
		return fmt.Sprintf("fib %s %s %s", e.Subject, e.Str("prefix"), hops())
	case trace.KindFlowRate:
		var b strings.Builder
		fmt.Fprintf(&b, "flow %s %s/%s", e.Subject, FormatRate(e.Num("delivered")), FormatRate(e.Num("offered")))
		for _, f := range e.Details {
			if f.Key != "offered" && f.Key != "delivered" {
				fmt.Fprintf(&b, " %s %s", f.Key, FormatRate(e.Num(f.Key)))
			}
		}
		return b.String()
	case trace.KindLinkLoad:
		s := fmt.Sprintf("load %s %s/%s", e.Subject, FormatRate(e.Num("load")), FormatRate(e.Num("capacity")))
		if d := e.Num("dropped"); d > 0 {
			s += " dropped " + FormatRate(d)
		}
		return s
	case trace.KindPoolLoad:
		s := fmt.Sprintf("pool %s %s/%s (bg %s)", e.Subject, FormatRate(e.Num("load")), FormatRate(e.Num("capacity")), FormatRate(e.Num("background")))
		if d := e.Num("dropped"); d > 0 {
			s += " dropped " + FormatRate(d)
		}
		return s
	case trace.KindRunEnd:
		return fmt.Sprintf("end of run (%d events)", e.Int("events"))
	}
	return e.Kind + " " + e.Subject
}
