package main

import (
	"fmt"
	"io"
	"os"

	"github.com/netdrill/netdrill/scenarios/report"
)

// The --png DIR flag of run, report, sweep, compare, chaos and merge: one
// rule for all of them. DIR is checked before the work (created if
// missing, and written to once: exit 2 when it cannot be); after the
// work, every plot of the command's report.html is written into it as
// <plot>.png and one line says so (exit 3 when a plot cannot be
// rendered or written).

const pngUsage = "write every plot of report.html as a PNG into this directory"

// checkPNGDir makes sure the plots can be written into dir ("" : no
// --png) before any simulation runs.
func checkPNGDir(dir string) error {
	if dir == "" {
		return nil
	}
	bad := func(err error) error {
		return invalid(fmt.Errorf("--png %s: %w (choose a directory you can write to)", dir, err))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return bad(err)
	}
	f, err := os.CreateTemp(dir, ".netdrill-png-*")
	if err != nil {
		return bad(err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// writePlots writes the report's figures into dir as PNGs (nothing when
// dir is "") and prints how many it wrote.
func writePlots(out io.Writer, dir string, figures func() ([]report.Figure, error)) error {
	if dir == "" {
		return nil
	}
	figs, err := figures()
	var names []string
	if err == nil {
		names, err = report.WriteFigurePNGs(dir, figs)
	}
	if err != nil {
		return &exitError{code: exitInternal, err: fmt.Errorf("--png: %w", err)}
	}
	fmt.Fprintf(out, "wrote %s to %s/\n", plural(len(names), "plot"), dir)
	return nil
}
