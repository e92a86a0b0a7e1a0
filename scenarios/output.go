package scenarios

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/netdrill/netdrill/scenarios/report"
	"github.com/netdrill/netdrill/scenarios/trace"
	"github.com/netdrill/netdrill/sim"
)

// PrintSummary writes the readable summary of a run: per fault detection,
// failover, convergence and loss; capacity; expectations (100 columns,
// plain).
func PrintSummary(w io.Writer, r *Result) error { return PrintSummaryWith(w, r, SummaryOptions{}) }

// SummaryOptions tune PrintSummaryWith: the most columns a line may take
// (0: 100) and ANSI colour.
type SummaryOptions = report.TextOptions

// PrintSummaryWith is PrintSummary for a given width and colour.
func PrintSummaryWith(w io.Writer, r *Result, opt SummaryOptions) error {
	if r.Warmup > 0 {
		line := fmt.Sprintf("warm-up: BGP converged in %v of virtual time (not traced); time 0 = the converged network", sim.Time(r.Warmup))
		if _, err := fmt.Fprint(w, report.Wrap(line, "  ", opt.Width)+"\n"); err != nil {
			return err
		}
	}
	_, err := w.Write(report.TextWith(r.Metrics, r.Outcomes, opt))
	return err
}

// ReportJSON is the run's report.json document (netdrill-report/1).
func ReportJSON(r *Result) []byte { return report.JSON(r.Metrics, r.Outcomes) }

// OutputSet writes the files of one run (trace.jsonl, report.*) as a set:
// into a hidden temporary directory beside the target, which Commit renames
// over the target. A reader sees the previous set or the new one, never a
// mix; a run killed midway leaves only the hidden directory, which the next
// set for the same target removes. netdrill owns the target directory: one
// that holds files netdrill did not write is refused before any work.
type OutputSet struct {
	dir, tmp string
	done     bool
}

// outputNames are the files (and folders) a set may hold.
var outputNames = map[string]bool{"trace.jsonl": true, "report.json": true, "report.md": true,
	"junit.xml": true, "report.html": true, "png": true, "shard.json": true /* sweep */, "worst": true /* chaos */}

// outputTmpPrefix names the hidden siblings of target dir.
func outputTmpPrefix(dir string) string { return "." + filepath.Base(dir) + ".netdrill-" }

// CreateOutputSet checks that dir can take a run's outputs (its parent is
// writable; dir is new, empty or a previous set) and opens the set. Call it
// before running, so a bad -o fails at once.
func CreateOutputSet(dir string) (*OutputSet, error) {
	dir = filepath.Clean(dir)
	if base := filepath.Base(dir); base == "." || base == ".." || base == string(filepath.Separator) {
		return nil, &OutputError{Dir: dir, Msg: "name a directory of its own for the outputs (e.g. out/run1)"}
	}
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return nil, &OutputError{Dir: dir, Msg: "exists and is not a directory"}
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, &OutputError{Dir: dir, Msg: err.Error()}
		}
		var foreign []string
		for _, e := range ents {
			if !outputNames[e.Name()] {
				foreign = append(foreign, e.Name())
			}
		}
		if len(foreign) > 0 {
			if len(foreign) > 3 {
				foreign = append(foreign[:3], "…")
			}
			return nil, &OutputError{Dir: dir, Msg: fmt.Sprintf("holds files netdrill did not write (%s); it replaces its output directory whole, so choose a new or empty one", strings.Join(foreign, ", "))}
		}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, &OutputError{Dir: dir, Msg: err.Error()}
	}
	// Leftovers of a run that was killed.
	if ents, err := os.ReadDir(parent); err == nil {
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), outputTmpPrefix(dir)) {
				_ = os.RemoveAll(filepath.Join(parent, e.Name()))
			}
		}
	}
	tmp, err := os.MkdirTemp(parent, outputTmpPrefix(dir)+"*")
	if err != nil {
		return nil, &OutputError{Dir: dir, Msg: err.Error()}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, &OutputError{Dir: dir, Msg: err.Error()}
	}
	return &OutputSet{dir: dir, tmp: tmp}, nil
}

// OutputError is a -o directory that cannot take the outputs: the user's
// to fix (the CLI exits 2).
type OutputError struct{ Dir, Msg string }

func (e *OutputError) Error() string { return fmt.Sprintf("output directory %s: %s", e.Dir, e.Msg) }

// Dir is the target directory.
func (o *OutputSet) Dir() string { return o.dir }

// Path is where the file name goes until Commit.
func (o *OutputSet) Path(name string) string { return filepath.Join(o.tmp, name) }

// Create creates a file of the set (the trace, streamed during the run).
func (o *OutputSet) Create(name string) (*os.File, error) {
	return os.OpenFile(o.Path(name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
}

// WriteReports writes report.json, report.md, junit.xml and report.html.
func (o *OutputSet) WriteReports(r *Result) error {
	return report.WritePage(o.tmp, Page(r))
}

// Commit replaces the target directory with the set.
func (o *OutputSet) Commit() error {
	if o.done {
		return errors.New("output set committed twice")
	}
	o.done = true
	if err := syncDir(o.tmp); err != nil {
		o.Abort()
		return err
	}
	if _, err := os.Stat(o.dir); err == nil {
		// Swap in one step where the system can; the old set is then in tmp.
		if err := exchange(o.tmp, o.dir); err == nil {
			_ = os.RemoveAll(o.tmp)
			return syncDir(filepath.Dir(o.dir))
		}
	}
	var old string
	if _, err := os.Stat(o.dir); err == nil {
		old = o.tmp + ".old"
		if err := os.Rename(o.dir, old); err != nil {
			o.Abort()
			return err
		}
	}
	if err := os.Rename(o.tmp, o.dir); err != nil {
		if old != "" {
			_ = os.Rename(old, o.dir)
		}
		o.Abort()
		return err
	}
	if old != "" {
		_ = os.RemoveAll(old)
	}
	return syncDir(filepath.Dir(o.dir))
}

// Abort removes the set's temporary directory; the target is untouched.
func (o *OutputSet) Abort() {
	o.done = true
	_ = os.RemoveAll(o.tmp)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// WriteOutputs writes trace.jsonl (when the run kept its trace in memory),
// report.json, report.md, junit.xml and report.html into dir as one set.
func WriteOutputs(dir string, r *Result) error {
	set, err := CreateOutputSet(dir)
	if err != nil {
		return err
	}
	if len(r.Trace) > 0 {
		if err := os.WriteFile(set.Path("trace.jsonl"), r.Trace, 0o644); err != nil {
			set.Abort()
			return err
		}
	}
	if err := set.WriteReports(r); err != nil {
		set.Abort()
		return err
	}
	return set.Commit()
}

// Page is what report.html shows of a run: its metrics, expectations,
// timeline (loss by cause over time, link states) and topology.
func Page(r *Result) report.Page {
	pg := report.Page{Result: r.Metrics, Outcomes: r.Outcomes,
		Timeline: r.Metrics.Timeline}
	if r.Scenario != nil {
		pg.File = filepath.Base(r.Scenario.File)
		if r.Scenario.File == "" {
			pg.File = ""
		}
		pg.Topology = report.TopologyFacts(r.Scenario.Topology)
	}
	return pg
}

// JUnitRun is one scenario of a `check` for the combined JUnit file: its
// result, or the error that kept it from running.
type JUnitRun struct {
	File   string
	Name   string // the scenario's name (the suite name when Result is nil)
	Result *Result
	Err    error
}

// WriteJUnit writes one JUnit XML file for several scenarios: a suite per
// scenario, a test case per expectation, an error case for a scenario that
// could not run.
func WriteJUnit(path string, runs []JUnitRun) error {
	rs := make([]report.Run, len(runs))
	for i, r := range runs {
		rs[i] = report.Run{File: r.File, Name: r.Name, Err: r.Err}
		if rs[i].Name == "" && r.Result == nil {
			rs[i].Name = strings.TrimSuffix(filepath.Base(r.File), filepath.Ext(r.File))
		}
		if r.Result != nil {
			rs[i].Name = r.Result.Scenario.Name
			rs[i].Result = r.Result.Metrics
			rs[i].Outcomes = r.Result.Outcomes
		}
	}
	return trace.WriteFileAtomic(path, report.JUnitSuites(rs))
}
