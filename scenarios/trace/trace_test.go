package trace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var testHeader = Header{Format: Format, Scenario: "quad: lose fac-1", Seed: 7, Netdrill: "0.1.0-dev", DurationNS: 15_000_000_000}

func sampleEvents() []Event {
	return []Event{
		{T: 0, Kind: "flow.rate", Subject: "replication", Details: []Field{
			{"offered", 25e9}, {"delivered", 25e9}}},
		{T: 10_000_000_000, Kind: "fault.inject", Subject: "f1", Details: []Field{
			{"fault", "facility-down"}, {"target", "iad-fac-1"},
			{"links", []string{"xc-1", "xc-2"}}, {"routers", []string{}}}},
		{T: 10_000_000_000, Kind: "flow.rate", Subject: "replication", Details: []Field{
			{"offered", 25e9}, {"delivered", 12.5e9}, {"blackhole", 12.5e9}}},
		{T: 10_300_000_000, Kind: "bgp.session", Subject: "s1", Details: []Field{
			{"router", "aws-edge-1"}, {"peer", "cust-edge-1"}, {"link", "xc-1"},
			{"from", "established"}, {"state", "idle"}, {"reason", "bfd-down \"x\"\n\t<&>"}}},
		{T: 10_300_000_001, Kind: "link.load", Subject: "xc-3", Details: []Field{
			{"load", 0.1}, {"capacity", int64(10_000_000_000)}, {"ok", true}, {"none", nil}, {"neg", -3}}},
		{T: 15_000_000_000, Kind: "run.end", Subject: "quad: lose fac-1"},
	}
}

func encode(t testing.TB, h Header, evs []Event) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	end := Event{T: h.DurationNS, Subject: h.Scenario}
	for _, e := range evs {
		if e.Kind == KindRunEnd {
			end = e
			continue
		}
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.End(end.T, end.Subject); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteFormat(t *testing.T) {
	got := string(encode(t, testHeader, sampleEvents()))
	want := `{"format":"netdrill-trace/2","scenario":"quad: lose fac-1","seed":7,"netdrill":"0.1.0-dev","duration_ns":15000000000}
{"t":0,"kind":"flow.rate","subject":"replication","details":{"offered":25000000000,"delivered":25000000000}}
{"t":10000000000,"kind":"fault.inject","subject":"f1","details":{"fault":"facility-down","target":"iad-fac-1","links":["xc-1","xc-2"],"routers":[]}}
{"t":10000000000,"kind":"flow.rate","subject":"replication","details":{"offered":25000000000,"delivered":12500000000,"blackhole":12500000000}}
{"t":10300000000,"kind":"bgp.session","subject":"s1","details":{"router":"aws-edge-1","peer":"cust-edge-1","link":"xc-1","from":"established","state":"idle","reason":"bfd-down \"x\"\n\t<&>"}}
{"t":10300000001,"kind":"link.load","subject":"xc-3","details":{"load":0.1,"capacity":10000000000,"ok":true,"none":null,"neg":-3}}
{"t":15000000000,"kind":"run.end","subject":"quad: lose fac-1","details":{"events":5,"sha256":"` + sha256Hex(got[:strings.LastIndex(strings.TrimSuffix(got, "\n"), "\n")+1]) + `"}}
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Every line is valid JSON for other tools (jq).
	for i, line := range strings.Split(strings.TrimSpace(got), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("line %d is not valid JSON: %s", i+1, line)
		}
	}
}

func TestRoundTripByteStable(t *testing.T) {
	first := encode(t, testHeader, sampleEvents())
	h, evs, err := Read(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h, testHeader) {
		t.Errorf("header %+v, want %+v", h, testHeader)
	}
	second := encode(t, h, evs)
	if !bytes.Equal(first, second) {
		t.Errorf("not byte-stable:\n%s\n%s", first, second)
	}
	e := evs[3]
	if e.Str("router") != "aws-edge-1" || e.Str("reason") != "bfd-down \"x\"\n\t<&>" {
		t.Errorf("strings: %+v", e)
	}
	if got := evs[1].Strs("links"); !reflect.DeepEqual(got, []string{"xc-1", "xc-2"}) {
		t.Errorf("links %v", got)
	}
	if got := evs[1].Strs("routers"); got == nil || len(got) != 0 {
		t.Errorf("routers %#v, want empty non-nil", got)
	}
	if got := evs[2].Num("blackhole"); got != 12.5e9 {
		t.Errorf("blackhole %v", got)
	}
	if got := evs[4].Num("load"); got != 0.1 {
		t.Errorf("load %v", got)
	}
	if _, ok := evs[4].Get("missing"); ok {
		t.Error("Get(missing) found something")
	}
	if evs[5].Kind != KindRunEnd || evs[5].Int("events") != 5 {
		t.Errorf("run.end %#v", evs[5])
	}
}

func TestFloatFormatting(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{1.0, "1"}, {math.Copysign(0, -1), "0"}, {0.5, "0.5"}, {1e-7, "1e-07"}, {12.5e9, "12500000000"},
		{1e21, "1e+21"}, {1e20, "100000000000000000000"}, {float32(0.25), "0.25"},
		{uint64(1 << 63), "9223372036854775808"}, {1.0 / 3, "0.3333333333333333"},
	} {
		b, err := appendValue(nil, c.in)
		if err != nil || string(b) != c.want {
			t.Errorf("%v: got %s %v, want %s", c.in, b, err, c.want)
		}
	}
	type named int64
	type label string
	b, _ := appendValue(nil, named(42))
	c, _ := appendValue(nil, label("x"))
	if string(b) != "42" || string(c) != `"x"` {
		t.Errorf("named types: %s %s", b, c)
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, testHeader)
	before := buf.Len()
	nan := 0.0
	nan /= nan
	if err := w.Write(Event{Kind: "x", Details: []Field{{"v", nan}}}); err != ErrNonFinite {
		t.Errorf("NaN: err %v", err)
	}
	_ = w.Flush()
	if buf.Len() != before+0 && !strings.HasSuffix(buf.String(), "}\n") {
		t.Error("partial write after NaN")
	}
	if w.Count() != 0 {
		t.Errorf("count %d", w.Count())
	}
}

func TestStringEscapes(t *testing.T) {
	for _, s := range []string{"plain", "quote\"back\\", "ctl\x01\x1f", "é✓", "bad\xffutf8", "\u2028sep", ""} {
		got := appendString(nil, s)
		want, _ := json.Marshal(s)
		var back, wantBack string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%q: %s invalid: %v", s, got, err)
		}
		_ = json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Errorf("%q: decodes to %q, encoding/json gives %q", s, back, wantBack)
		}
	}
}

func TestReadErrorsNameTheLine(t *testing.T) {
	hdr := `{"format":"netdrill-trace/2","scenario":"s","seed":1,"netdrill":"x","duration_ns":5}` + "\n"
	ev := `{"t":1,"kind":"link.state","subject":"x","details":{}}` + "\n"
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", "line 1: empty trace"},
		{"bad header", "{nope\n", "line 1: header"},
		{"wrong format", `{"format":"other/2"}` + "\n", `line 1: header: format "other/2"`},
		{"format 1", `{"format":"netdrill-trace/1","scenario":"s"}` + "\n", `line 1: header: format "netdrill-trace/1" is no longer read`},
		{"unknown header key", `{"format":"netdrill-trace/2","nope":1}` + "\n", `line 1: header: json: unknown field "nope"`},
		{"bad json", hdr + ev + `{"t":2,"kind":` + "\n", "line 3:"},
		{"no kind", hdr + `{"t":1,"subject":"x"}` + "\n", `line 2: event without "kind"`},
		{"unknown kind", hdr + `{"t":1,"kind":"a"}` + "\n", `line 2: unknown event kind "a"`},
		{"no t", hdr + `{"kind":"a"}` + "\n", `line 2: event without "t"`},
		{"float t", hdr + `{"t":1.5,"kind":"a"}` + "\n", `line 2: "t" must be an integer`},
		{"backwards", hdr + `{"t":5,"kind":"link.state"}` + "\n" + `{"t":4,"kind":"link.state"}` + "\n", "line 3: time 4 goes back"},
		{"trailing", hdr + `{"t":5,"kind":"a"} x` + "\n", "line 2: column 20: unexpected data"},
		{"details array", hdr + `{"t":5,"kind":"a","details":[1]}` + "\n", `line 2: "details" must be an object`},
		{"blank line", hdr + "\n" + ev, "line 2: empty line"},
		{"no trailer", hdr + ev, "line 2: truncated"},
		{"cut line", hdr + ev[:20], "line 2: truncated"},
		{"bad count", hdr + ev + `{"t":5,"kind":"run.end","subject":"s","details":{"events":2,"sha256":""}}` + "\n", "line 3: corrupt: run.end counts 2 events, the trace has 1"},
		{"bad hash", hdr + ev + `{"t":5,"kind":"run.end","subject":"s","details":{"events":1,"sha256":"00"}}` + "\n", "line 3: corrupt: the sha256 of lines 1–2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Read(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err %v, want it to contain %q", err, c.want)
			}
		})
	}
	// Unknown event keys and nested details are fine.
	in := encode(t, testHeader, []Event{{T: 1, Kind: KindLinkState, Details: []Field{{"n", []any{int64(1), "a"}}, {"o", []Field{{"k", true}}}}}})
	_, evs, err := Read(bytes.NewReader(in))
	if err != nil || len(evs) != 2 {
		t.Fatalf("evs %v err %v", evs, err)
	}
	if got := evs[0].Details[1].Value; !reflect.DeepEqual(got, []Field{{"k", true}}) {
		t.Errorf("nested object %#v", got)
	}
	if got := evs[0].Details[0].Value; !reflect.DeepEqual(got, []any{int64(1), "a"}) {
		t.Errorf("mixed array %#v", got)
	}
}

// Every way of cutting a trace short, and every single-byte change that
// still parses, is reported with a line: never accepted.
func TestTruncatedAndCorruptAtEveryPoint(t *testing.T) {
	data := encode(t, testHeader, sampleEvents())
	for n := 0; n < len(data); n++ {
		_, _, err := Read(bytes.NewReader(data[:n]))
		if err == nil {
			t.Fatalf("cut at byte %d of %d: accepted", n, len(data))
		}
		if !strings.Contains(err.Error(), "line ") {
			t.Fatalf("cut at byte %d: %v names no line", n, err)
		}
	}
	for n := 0; n < len(data); n++ {
		for _, c := range []byte{'0', '7', 'x', ' ', '"'} {
			if data[n] == c {
				continue
			}
			b := bytes.Clone(data)
			b[n] = c
			_, _, err := Read(bytes.NewReader(b))
			if err == nil {
				t.Fatalf("byte %d changed to %q: accepted", n, c)
			}
			if !strings.Contains(err.Error(), "line ") {
				t.Fatalf("byte %d changed: %v names no line", n, err)
			}
		}
	}
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestLongLine(t *testing.T) {
	long := strings.Repeat("r", 200_000)
	data := encode(t, testHeader, []Event{{T: 1, Kind: KindLinkState, Subject: long, Details: []Field{{"v", long}}}})
	_, evs, err := Read(bytes.NewReader(data))
	if err != nil || len(evs) != 2 || evs[0].Str("v") != long {
		t.Fatalf("long line: %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	if err := WriteFileAtomic(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "two" {
		t.Errorf("got %q", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temp files left: %v", ents)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "nope", "x"), nil); err == nil {
		t.Error("want an error for a missing directory")
	}
}

// FuzzRead: the reader never panics, and whatever it accepts re-encodes to
// a fixed point (write(read(x)) read and written again is the same bytes).
func FuzzRead(f *testing.F) {
	f.Add(encode(f, testHeader, sampleEvents()))
	f.Add(encode(f, Header{Format: Format}, []Event{{T: 1, Kind: KindLinkLoad, Details: []Field{{"x", []any{int64(1), 2.5e3, "s", nil, []Field{{"y", []any{}}}}}, {"z", "\u00e9\U0001F600"}}}}))
	f.Add([]byte(`{"format":"netdrill-trace/2"}` + "\n" + `{"t":-0,"kind":"flow.rate","details":{"big":123456789012345678901234,"f":1E400}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, evs, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		b1 := encode(t, h, evs)
		h2, evs2, err := Read(bytes.NewReader(b1))
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, b1)
		}
		b2 := encode(t, h2, evs2)
		if !bytes.Equal(b1, b2) {
			t.Fatalf("not a fixed point:\n%s\n%s", b1, b2)
		}
	})
}

func TestLayout(t *testing.T) {
	e := Event{Details: []Field{{"router", "r1"}, {"peer", "r2"}, {"state", "down"}}}
	for _, c := range []struct {
		keys []string
		want bool
	}{
		{[]string{"router", "peer", "state"}, true},
		{[]string{"router", "peer"}, false},               // fewer keys
		{[]string{"router", "peer", "state", "x"}, false}, // more
		{[]string{"peer", "router", "state"}, false},      // another order
	} {
		if got := e.Layout(c.keys); got != c.want {
			t.Errorf("Layout(%v) = %v, want %v", c.keys, got, c.want)
		}
	}
	if e.Str("state") != StrValue(e.Details[2].Value) || e.Num("x") != NumValue(nil) || e.Int("router") != IntValue("r1") {
		t.Error("the value converters disagree with the Event readers")
	}
}
