package main

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"time"

	"github.com/netdrill/netdrill/examples"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/topology"
	"github.com/spf13/cobra"
)

// scenarioFlags are the flags that change a scenario for one run:
// --seed, --duration and --set, applied in that order (a later one wins).
type scenarioFlags struct {
	seed     uint64
	duration string
	sets     []string
}

func (f *scenarioFlags) add(cmd *cobra.Command) {
	cmd.Flags().Uint64Var(&f.seed, "seed", 0, "use this seed instead of the scenario's (same as --set seed=N)")
	cmd.Flags().StringVar(&f.duration, "duration", "", `simulate this long instead (same as --set duration=D), e.g. "1h"`)
	cmd.Flags().StringArrayVar(&f.sets, "set", nil, "override a scenario key for this run: KEY=VALUE, repeatable\n"+
		"(duration=1h, elastic=true, traffic.NAME.rate=20Gbps, fault.ID.at=3m)")
}

func (f *scenarioFlags) overrides(cmd *cobra.Command) ([]override, error) {
	var ovs []override
	if cmd.Flags().Changed("seed") {
		ovs = append(ovs, override{flag: "--seed " + strconv.FormatUint(f.seed, 10), key: "seed", value: strconv.FormatUint(f.seed, 10)})
	}
	if f.duration != "" {
		if _, err := time.ParseDuration(f.duration); err != nil {
			return nil, fmt.Errorf("--duration %q: want a Go duration such as 90s, 15m or 24h", f.duration)
		}
		ovs = append(ovs, override{flag: "--duration " + f.duration, key: "duration", value: strconv.Quote(f.duration)})
	}
	for _, s := range f.sets {
		o, err := parseOverride("--set", s)
		if err != nil {
			return nil, err
		}
		ovs = append(ovs, o)
	}
	return ovs, nil
}

// loadScenarioWith reads a scenario (the embedded example when path is
// ""), applies the overrides to its text and loads it.
func loadScenarioWith(path string, ovs []override) (*scenarios.Scenario, error) {
	var name string
	var data []byte
	var resolve func(rel string) (*topology.Topology, error)
	if path == "" {
		name = examples.Default
		data, _ = fs.ReadFile(examples.FS, name)
		resolve = func(rel string) (*topology.Topology, error) {
			p := pathpkgClean(name, rel)
			b, err := fs.ReadFile(examples.FS, p)
			if err != nil {
				return nil, err
			}
			return topology.Parse(p, b)
		}
	} else {
		var err error
		name = path
		if data, err = topology.ReadFile(path); err != nil {
			return nil, err
		}
		resolve = func(rel string) (*topology.Topology, error) {
			p := rel
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(path), rel)
			}
			return topology.Load(p)
		}
	}
	var sc *scenarios.Scenario
	if len(ovs) == 0 {
		var err error
		if sc, err = scenarios.Parse(name, data, resolve); err != nil {
			return nil, err
		}
	} else {
		edited, ins, err := applyOverrides(data, ovs)
		if err != nil {
			return nil, err
		}
		if sc, err = scenarios.Parse(name, edited, resolve); err != nil {
			return nil, mapPositions(err, name, ins)
		}
	}
	if err := warn(os.Stderr, sc.File, sc.Warnings); err != nil {
		return nil, err
	}
	return sc, nil
}

func pathpkgClean(file, rel string) string { return path.Clean(path.Join(path.Dir(file), rel)) }
