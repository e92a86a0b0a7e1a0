package report

import (
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/netdrill/netdrill/scenarios/metrics"
)

// Run is one scenario's result for JUnitSuites (`netdrill check` runs
// many). Err, when set, is why the scenario could not run (invalid input
// or an internal error); it becomes a test case with an <error>.
type Run struct {
	Name     string // the suite name; defaults to Result.Scenario
	File     string // scenario file, for the suite's "file" attribute
	Result   *metrics.Result
	Outcomes []metrics.Outcome
	Err      error
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Time       string          `xml:"time,attr"`
	File       string          `xml:"file,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit returns junit.xml for one run: one test case per expectation; a
// failure carries expected vs measured and where in the run it happened.
func JUnit(res *metrics.Result, outcomes []metrics.Outcome) []byte {
	return JUnitSuites([]Run{{Result: res, Outcomes: outcomes}})
}

// JUnitSuites returns junit.xml with one <testsuite> per run.
func JUnitSuites(runs []Run) []byte {
	doc := junitSuites{Name: "netdrill"}
	for _, r := range runs {
		s := junitSuite{Name: r.Name, File: r.File, Time: "0"}
		if r.Result != nil {
			if s.Name == "" {
				s.Name = r.Result.Scenario
			}
			s.Properties = []junitProperty{
				{"seed", strconv.FormatUint(r.Result.Seed, 10)},
				{"netdrill", r.Result.Netdrill},
				{"simulated", dur(r.Result.End)},
			}
		}
		if r.Err != nil {
			s.Cases = append(s.Cases, junitCase{Name: "scenario", Classname: s.Name, Time: "0", File: r.File,
				Error: &junitProblem{Message: r.Err.Error(), Type: "invalid", Text: r.Err.Error()}})
			s.Errors++
		}
		for _, o := range r.Outcomes {
			c := junitCase{Name: o.Name, Classname: s.Name, Time: "0", File: r.File}
			switch {
			case o.Err != nil:
				c.Error = &junitProblem{Message: o.Err.Error(), Type: "invalid", Text: o.Err.Error()}
				s.Errors++
			case !o.Passed:
				text := fmt.Sprintf("expected: %s\nmeasured: %s\n", o.Expected, o.Measured)
				if o.Value.Where != "" {
					text += "what:     " + o.Value.Where + "\n"
				}
				if o.At >= 0 {
					text += "at:       " + dur(o.At) + " of simulated time\n"
				}
				if o.Expect.Where != "" {
					text += "defined:  " + o.Expect.Where + "\n"
				}
				c.Failure = &junitProblem{Message: o.Message, Type: "expectation", Text: text}
				s.Failures++
			default:
				c.SystemOut = o.Message
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Suites = append(doc.Suites, s)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic("report: " + err.Error()) // only strings and ints: cannot fail
	}
	return append([]byte(xml.Header), append(out, '\n')...)
}
