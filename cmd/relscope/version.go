package main

import "runtime/debug"

// version is relscope's release version, set at link time
// (-ldflags "-X main.version=v1.2.3"); empty in development builds.
var version = ""

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
