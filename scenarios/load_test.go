package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/topology"
)

func quadLoader(rel string) (*topology.Topology, error) {
	return topology.Load(filepath.Join("../examples/topologies", rel))
}

func TestScratch(t *testing.T) {
	data, _ := os.ReadFile("/tmp/explore/in.txt")
	for i, c := range strings.Split(string(data), "\n====\n") {
		_, err := Parse("s.toml", []byte(c), quadLoader)
		fmt.Printf("---- case %d\n%s\n>>> %v\n", i, c, err)
	}
}
