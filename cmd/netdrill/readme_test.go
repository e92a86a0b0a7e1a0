package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmeCommand is one shell command of the README's code blocks.
type readmeCommand struct {
	line int
	cmd  string
	exit int // expected exit code: 0, or N from a trailing "# exit N"
}

// readmeCommands extracts the commands of the README: every line of a
// ```sh block and every `run:` step of a ```yaml block, in order.
func readmeCommands(readme string) []readmeCommand {
	var out []readmeCommand
	block := ""
	exitRe := regexp.MustCompile(`#\s*exit (\d)\b`)
	runRe := regexp.MustCompile(`^\s*-?\s*run:\s*(.+)$`)
	for i, l := range strings.Split(readme, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") {
			if block == "" {
				block = strings.TrimPrefix(t, "```")
				if block == "" {
					block = "text"
				}
			} else {
				block = ""
			}
			continue
		}
		var c string
		switch block {
		case "sh":
			c = t
		case "yaml":
			if m := runRe.FindStringSubmatch(l); m != nil {
				c = m[1]
			}
		}
		if c == "" || strings.HasPrefix(c, "#") {
			continue
		}
		rc := readmeCommand{line: i + 1, cmd: c}
		if m := exitRe.FindStringSubmatch(c); m != nil {
			rc.exit, _ = strconv.Atoi(m[1])
		}
		out = append(out, rc)
	}
	return out
}

// Every shell command of the README runs as written against the built
// binary, in a clean copy of the repository (its tracked files, with its
// .gitignore), with the exit code it is documented to have; afterwards
// nothing untracked and unignored is left behind.
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every README command")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCommands(string(readme))
	if len(cmds) < 10 {
		t.Fatalf("only %d commands found in README.md", len(cmds))
	}

	// A clean copy: the tracked files, in a fresh git repository.
	tracked, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	work := t.TempDir()
	for _, f := range strings.Split(strings.TrimRight(string(tracked), "\x00"), "\x00") {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the working tree
		}
		dst := filepath.Join(work, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "clean copy")

	bin := filepath.Dir(binary)
	summary := filepath.Join(t.TempDir(), "step-summary.md")
	for _, c := range cmds {
		sh := c.cmd
		switch {
		case strings.HasPrefix(sh, "make test"):
			continue // what CI runs: it would run this test again
		case strings.HasPrefix(sh, "go install "):
			continue // installs outside the repository; the test uses the built binary
		case strings.HasPrefix(sh, "make build"), strings.HasPrefix(sh, "go build -o bin/netdrill"):
			// The same binary, where the README puts it.
			sh = "mkdir -p bin && cp " + binary + " bin/netdrill"
		}
		sh = strings.ReplaceAll(sh, "go run ./cmd/netdrill", "netdrill")
		t.Run(strconv.Itoa(c.line), func(t *testing.T) {
			cmd := exec.Command("bash", "-c", sh)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GITHUB_STEP_SUMMARY="+summary)
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.exit {
				t.Errorf("README.md:%d: %s\nexit %d, want %d\n%s", c.line, c.cmd, code, c.exit, out)
			}
		})
	}
	if st := git("status", "--porcelain", "--untracked-files=all"); st != "" {
		t.Errorf("following the README leaves files git does not ignore:\n%s", st)
	}
}

func TestReadmeCommandsExtraction(t *testing.T) {
	md := "text\n```sh\nnetdrill run a.toml   # a comment\n# only a comment\nnetdrill check b.toml  # exit 1\n```\n```yaml\nsteps:\n  - run: bin/netdrill check x\n  - uses: foo\n```\n```toml\nrun = 1\n```\n"
	got := readmeCommands(md)
	if len(got) != 3 || got[0].cmd != "netdrill run a.toml   # a comment" || got[1].exit != 1 || got[2].cmd != "bin/netdrill check x" || got[2].line != 9 {
		t.Fatalf("%+v", got)
	}
}
