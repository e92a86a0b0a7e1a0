package bgp

// The trace path allocates nothing per record for values that repeat:
// converting a string to `any` (sim.Attr.Value) allocates, so the strings a
// speaker writes again and again (names, states, reasons, rules, prefixes,
// next-hop sets) are boxed once, and a speaker reuses one attribute buffer
// (tracers copy what they keep; none retains the slice).

// box is a string boxed as `any` once.
type box struct {
	s string
	v any
}

func (b *box) of(s string) any {
	if b.v == nil || b.s != s {
		b.s, b.v = s, s
	}
	return b.v
}

// constBoxes are the fixed words of the trace, boxed once (read-only).
var constBoxes = func() map[string]any {
	m := map[string]any{"tx": "tx", "rx": "rx"}
	for _, s := range stateNames {
		m[s] = s
	}
	for _, s := range reasonNames {
		m[s] = s
	}
	m["unknown"] = "unknown"
	return m // rules are boxed by index (ruleBoxes)
}()

// stateBoxes and reasonBoxes are the states' and reasons' names boxed
// once, by value (read-only): no map look-up per session record.
var (
	stateBoxes  = boxAll(stateNames[:])
	reasonBoxes = boxAll(reasonNames[:])
)

func boxAll(names []string) []any {
	out := make([]any, len(names))
	for i, s := range names {
		out[i] = s
	}
	return out
}

// stateWord is word(st.String()) without the look-up.
func stateWord(st State) any {
	if int(st) < len(stateBoxes) {
		return stateBoxes[st]
	}
	return word(st.String())
}

// reasonWord is word(r.String()) without the look-up.
func reasonWord(r Reason) any {
	if int(r) < len(reasonBoxes) {
		return reasonBoxes[r]
	}
	return word(r.String())
}

// word returns s boxed, without allocating when s is a fixed trace word.
func word(s string) any {
	if v, ok := constBoxes[s]; ok {
		return v
	}
	return s
}
