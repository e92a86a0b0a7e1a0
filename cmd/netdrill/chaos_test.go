package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const chaosScenario = "../../scenarios/chaos/testdata/one-link.toml"

// A Kubernetes Indexed Job runs the same command in every pod and tells
// each its index only through JOB_COMPLETION_INDEX (0-based) and
// JOB_COMPLETION_COUNT: no --shard. Three such pods over 8 trials (3, 3,
// 2), then `netdrill merge`, give the single machine's outputs byte for
// byte.
func TestChaosShardsAsIndexedJob(t *testing.T) {
	dir := t.TempDir()
	args := []string{"chaos", chaosScenario, "--trials", "8", "--horizon", "6h", "--seed", "7"}
	const pods = 3
	var shards []string
	for i := range pods {
		out := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		cmd := exec.Command(binary, append(args, "-o", out)...)
		cmd.Env = append(os.Environ(), fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i), fmt.Sprintf("JOB_COMPLETION_COUNT=%d", pods))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("pod %d: %v\n%s", i, err, stderr.String())
		}
		if want := fmt.Sprintf("shard %d/%d", i+1, pods); !strings.Contains(stdout.String(), want) {
			t.Errorf("pod %d printed %q, want %q", i, stdout.String(), want)
		}
		shards = append(shards, out)
	}
	single := filepath.Join(dir, "single")
	if _, errOut, code := netdrill(t, append(args, "-o", single)...); code != 0 {
		t.Fatalf("single run: exit %d\n%s", code, errOut)
	}
	merged := filepath.Join(dir, "merged")
	stdout, errOut, code := netdrill(t, append([]string{"merge", "-o", merged}, shards[2], shards[0], shards[1])...)
	if code != 0 {
		t.Fatalf("merge: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(stdout, "Availability") {
		t.Errorf("merge printed no campaign summary:\n%s", stdout)
	}
	for _, f := range []string{"shard.json", "report.json", "report.md", "report.html", "junit.xml"} {
		a, err1 := os.ReadFile(filepath.Join(single, f))
		b, err2 := os.ReadFile(filepath.Join(merged, f))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: merged differs from single", f)
		}
	}
	// A shard missing is refused.
	if _, errOut, code := netdrill(t, "merge", shards[0], shards[1]); code != exitInvalid || !strings.Contains(errOut, "missing") {
		t.Errorf("merge of 2 of 3 shards: exit %d, %s", code, errOut)
	}
}

func TestChaosInvalidInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--horizon", "ten days"}, "horizon"},
		{[]string{"--trials", "0"}, "--trials 0"},
		{[]string{"--shard", "4/3"}, "shard"},
		{[]string{"--keep-worst", "-1"}, "keep-worst"},
	} {
		_, errOut, code := netdrill(t, append([]string{"chaos", chaosScenario}, c.args...)...)
		if code != exitInvalid || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 mentioning %q", c.args, code, errOut, c.want)
		}
	}
}

// With --keep-worst the worst trials' traces are in DIR/worst/ and
// `netdrill report` reads them.
func TestChaosKeepWorst(t *testing.T) {
	out := filepath.Join(t.TempDir(), "c")
	stdout, errOut, code := netdrill(t, "chaos", chaosScenario, "--trials", "3", "--horizon", "2h", "--keep-worst", "1", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(stdout, "Campaign expectations") || !strings.Contains(stdout, "ok  ") {
		t.Errorf("summary:\n%s", stdout)
	}
	traces, _ := filepath.Glob(filepath.Join(out, "worst", "trial-*.jsonl"))
	if len(traces) != 1 {
		t.Fatalf("worst traces: %v", traces)
	}
	if _, errOut, code := netdrill(t, "report", traces[0]); code > 1 {
		t.Errorf("report on the kept trace: exit %d\n%s", code, errOut)
	}
}
