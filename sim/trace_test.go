package sim

import (
	"math"
	"testing"
)

func TestFloatBox(t *testing.T) {
	var b Float
	for _, v := range []float64{0, 1e9, 2e9, 1e9, 2e9, 3e9, 1e9, math.Copysign(0, -1), 5} {
		got := b.Of(v)
		f, ok := got.(float64)
		if !ok || math.Float64bits(f) != math.Float64bits(v) {
			t.Errorf("Of(%v) = %#v", v, got)
		}
	}
	// the last two values are reused without allocating
	b = Float{}
	b.Of(1e9)
	b.Of(2e9)
	if n := testing.AllocsPerRun(100, func() { b.Of(1e9); b.Of(2e9); b.Of(0) }); n != 0 {
		t.Errorf("allocs per run = %v, want 0", n)
	}
}

func TestStringBox(t *testing.T) {
	var b String
	for _, s := range []string{"a", "a", "", "b", "a"} {
		if got := b.Of(s); got != any(s) {
			t.Errorf("Of(%q) = %#v", s, got)
		}
	}
}

func TestStringBoxReuse(t *testing.T) {
	var b String
	for _, s := range []string{"a", "b", "c", "d"} {
		b.Of(s)
	}
	if n := testing.AllocsPerRun(100, func() { b.Of("a"); b.Of("b"); b.Of("c"); b.Of("d") }); n != 0 {
		t.Errorf("allocs per run = %v, want 0", n)
	}
	if got := b.Of("e"); got != any("e") {
		t.Errorf("Of(e) = %#v", got)
	}
}
