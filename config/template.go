package config

import _ "embed"

// Template is the commented relscope.yaml that `relscope init` writes; it spells out Default.
//
//go:embed relscope.yaml
var Template []byte
