package jobs

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/goccy/go-yaml"
)

// The README's recipes are the files in testdata/recipes, verbatim.
func TestRecipesInREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/recipes/*")
	if len(files) != 5 {
		t.Fatalf("recipes: %v", files)
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if !strings.Contains(string(readme), strings.TrimRight(string(b), "\n")) {
			t.Errorf("README lacks %s as it is", f)
		}
	}
}

// The CronJob manifest has the shape Kubernetes wants for a relscope run (no cluster is
// needed to check it): batch/v1 CronJob, a valid five-field schedule, an IANA time zone, no
// overlapping runs, a pod that is not restarted in place, a container running `relscope run`.
func TestCronJobManifest(t *testing.T) {
	b, err := os.ReadFile("testdata/recipes/cronjob.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Spec struct {
			Schedule          string `yaml:"schedule"`
			TimeZone          string `yaml:"timeZone"`
			ConcurrencyPolicy string `yaml:"concurrencyPolicy"`
			JobTemplate       struct {
				Spec struct {
					Template struct {
						Spec struct {
							RestartPolicy string `yaml:"restartPolicy"`
							Containers    []struct {
								Name  string   `yaml:"name"`
								Image string   `yaml:"image"`
								Args  []string `yaml:"args"`
							} `yaml:"containers"`
						} `yaml:"spec"`
					} `yaml:"template"`
				} `yaml:"spec"`
			} `yaml:"jobTemplate"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(m.Spec.TimeZone)
	if err != nil {
		t.Errorf("timeZone: %v", err)
	}
	if err := gocron.NewDefaultCron(false).IsValid(m.Spec.Schedule, loc, time.Now()); err != nil {
		t.Errorf("schedule %q: %v", m.Spec.Schedule, err)
	}
	pod := m.Spec.JobTemplate.Spec.Template.Spec
	if m.APIVersion != "batch/v1" || m.Kind != "CronJob" || m.Metadata.Name == "" || m.Spec.ConcurrencyPolicy != "Forbid" ||
		pod.RestartPolicy != "Never" || len(pod.Containers) != 1 || pod.Containers[0].Image == "" {
		t.Errorf("manifest %+v", m)
	}
	if args := strings.Join(pod.Containers[0].Args, " "); !strings.Contains(args, " run /config/jobs.yaml") || !strings.Contains(args, "--db /data/") {
		t.Errorf("args %q", args)
	}
}

// systemd-analyze verify accepts the units (with ExecStart pointed at a binary that exists;
// skipped where systemd-analyze is missing).
func TestSystemdUnits(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("no systemd-analyze here")
	}
	exe, _ := os.Executable()
	dir := t.TempDir()
	var units []string
	for _, name := range []string{"relscope-run.service", "relscope-run.timer", "relscope-serve.service"} {
		b, err := os.ReadFile(filepath.Join("testdata/recipes", name))
		if err != nil {
			t.Fatal(err)
		}
		body := strings.ReplaceAll(string(b), "/usr/local/bin/relscope ", exe+" ")
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		units = append(units, p)
	}
	out, err := exec.Command(sa, append([]string{"verify"}, units...)...).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(sa, "calendar", "Mon *-*-* 06:00:00 Europe/Berlin").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Next elapse") {
		t.Errorf("calendar: %v %s", err, out)
	}
}
