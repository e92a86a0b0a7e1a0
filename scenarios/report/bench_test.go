package report

import "testing"

// BenchmarkHTMLFacilityDown is report.html of the small fixture (one fault,
// seven figures): the baseline for BenchmarkHTMLYear.
func BenchmarkHTMLFacilityDown(b *testing.B) {
	res, outs := facilityDown(b)
	pg := &Page{Result: res, Outcomes: outs}
	b.ReportAllocs()
	for b.Loop() {
		h, err := pg.HTML()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(h)))
	}
}

// BenchmarkHTMLYear is report.html of a simulated year (466 faults, 5,200
// events), whose series are reduced to pixel columns.
func BenchmarkHTMLYear(b *testing.B) {
	pg := YearPage()
	b.ReportAllocs()
	for b.Loop() {
		h, err := pg.HTML()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(h)))
	}
}
