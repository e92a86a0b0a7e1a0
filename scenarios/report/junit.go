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

// The JUnit XML document, shared by every command that writes one (run,
// check, sweep, chaos, drill): one set of types, one encoder.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one <testsuite>. Tests, Failures and Errors are counted by
// JUnitXML from the cases.
type JUnitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Time       string          `xml:"time,attr,omitempty"`
	File       string          `xml:"file,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []JUnitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one <testcase>: passed, or with a Failure or an Error.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr,omitempty"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *JUnitProblem `xml:"failure,omitempty"`
	Error     *JUnitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// JUnitProblem is a failure or an error.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// JUnitXML encodes suites as one junit.xml document named "netdrill",
// counting tests, failures and errors per suite and in all.
func JUnitXML(suites ...JUnitSuite) []byte {
	doc := junitSuites{Name: "netdrill"}
	for _, s := range suites {
		s.Tests, s.Failures, s.Errors = len(s.Cases), 0, 0
		for _, c := range s.Cases {
			if c.Failure != nil {
				s.Failures++
			}
			if c.Error != nil {
				s.Errors++
			}
		}
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

// JUnit returns junit.xml for one run: one test case per expectation; a
// failure carries expected vs measured and where in the run it happened.
func JUnit(res *metrics.Result, outcomes []metrics.Outcome) []byte {
	return JUnitSuites([]Run{{Result: res, Outcomes: outcomes}})
}

// JUnitSuites returns junit.xml with one <testsuite> per run.
func JUnitSuites(runs []Run) []byte {
	var suites []JUnitSuite
	for _, r := range runs {
		s := JUnitSuite{Name: r.Name, File: r.File, Time: "0"}
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
			s.Cases = append(s.Cases, JUnitCase{Name: "scenario", Classname: s.Name, Time: "0", File: r.File,
				Error: &JUnitProblem{Message: r.Err.Error(), Type: "invalid", Text: r.Err.Error()}})
		}
		for _, o := range r.Outcomes {
			c := JUnitCase{Name: o.Name, Classname: s.Name, Time: "0", File: r.File}
			switch {
			case o.Err != nil:
				c.Error = &JUnitProblem{Message: o.Err.Error(), Type: "invalid", Text: o.Err.Error()}
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
				c.Failure = &JUnitProblem{Message: o.Message, Type: "expectation", Text: text}
			default:
				c.SystemOut = o.Message
			}
			s.Cases = append(s.Cases, c)
		}
		suites = append(suites, s)
	}
	return JUnitXML(suites...)
}
