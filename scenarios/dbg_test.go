package scenarios

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/netdrill/netdrill/topology/gen"
)

func live(tag string) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("%s: live %.1f MB\n", tag, float64(m.HeapAlloc)/1e6)
}

func TestDbgMem(t *testing.T) {
	live("start")
	o := gen.Options{Kind: gen.ASGraph, Sites: 200, Prefixes: 1000, MRAI: 30 * time.Second, UpdateDelay: 10 * time.Millisecond}
	sc, out := writeGen(t, o)
	_ = out
	live("gen+load")
	p, err := Prepare(JobFor(sc), Options{SkipTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	live("warm")
	f, _ := os.Create("/tmp/heap.prof")
	pprof.WriteHeapProfile(f)
	f.Close()
	runtime.KeepAlive(p)
	runtime.KeepAlive(sc)
}
