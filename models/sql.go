package models

import (
	"embed"
	"io/fs"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// Models returns relscope's own models — the SQL files of sql/ and the Go models
// (forecast_models.go) — in dependency order.
func Models() ([]*Model, error) {
	sub, err := fs.Sub(sqlFS, "sql")
	if err != nil {
		return nil, err
	}
	gms, err := goModels()
	if err != nil {
		return nil, err
	}
	return LoadModels(sub, gms...)
}
