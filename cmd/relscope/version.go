package main

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/relscope/relscope/models"
)

// version and commit are relscope's release version and source commit, set at link time by
// the Makefile (-ldflags "-X main.version=v1.2.3 -X main.commit=abc123"); empty in a plain go
// build, where Go's build information stands in.
var (
	version = ""
	commit  = ""
)

// versionLine is what `relscope --version` prints: the version, the commit and the DuckDB
// library the binary embeds.
func versionLine(ctx context.Context) string {
	duck, err := models.EngineVersion(ctx)
	if err != nil {
		duck = "unknown (" + err.Error() + ")"
	}
	return fmt.Sprintf("relscope %s (commit %s, DuckDB %s)", relscopeVersion(), relscopeCommit(), duck)
}

// relscopeCommit is the source commit: the one linked in, else the VCS revision Go recorded
// (with "-dirty" for uncommitted changes), else "unknown".
func relscopeCommit() string {
	if commit != "" {
		return commit
	}
	c := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				c = s.Value[:12]
			}
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.modified" && s.Value == "true" && c != "unknown" {
				c += "-dirty"
			}
		}
	}
	return c
}

// relscopeVersion is the version every output prints: the release version, else the module
// version and VCS revision Go recorded in the binary, else "dev".
func relscopeVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "-dirty"
		}
	}
	return v
}
