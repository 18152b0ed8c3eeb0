package releaselog

import (
	_ "embed"
	"encoding/json"
	"time"
)

// SchemaVersion is releases.json's schema version; releases.schema.json (written beside it)
// describes it. A change that could break a reader gets a new version.
const SchemaVersion = 1

// schemaJSON is releases.schema.json (JSON Schema 2020-12).
//
//go:embed releases.schema.json
var schemaJSON []byte

// releasesFile is releases.json.
type releasesFile struct {
	Schema        string        `json:"$schema"`
	SchemaVersion int           `json:"schema_version"`
	Title         string        `json:"title"`
	BaseURL       string        `json:"base_url,omitempty"`
	AsOf          string        `json:"as_of"`
	Generator     string        `json:"generator"`
	Releases      []jsonRelease `json:"releases"`
}

type jsonRelease struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Project     string     `json:"project"`
	Status      string     `json:"status"`
	Date        *string    `json:"date"`
	RolledBack  bool       `json:"rolled_back"`
	Maintenance bool       `json:"maintenance"`
	URL         string     `json:"url"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	Key      string `json:"key"`
	Type     string `json:"type"`
	Category string `json:"category"`
	Title    string `json:"title"`
}

func renderJSON(s *site) ([]byte, error) {
	f := releasesFile{Schema: "releases.schema.json", SchemaVersion: SchemaVersion, Title: s.Title, BaseURL: s.BaseURL,
		AsOf: s.AsOf.Format(time.RFC3339), Generator: "relscope " + s.Version, Releases: []jsonRelease{}}
	for _, group := range [][]*release{s.Released, s.Upcoming} {
		for _, r := range group {
			jr := jsonRelease{ID: r.ID, Name: r.Name, Project: r.Project, Status: "released", RolledBack: r.RolledBack,
				Maintenance: r.Maintenance, URL: s.URL(r.Page()), Items: []jsonItem{}}
			if r.Upcoming {
				jr.Status = "upcoming"
			}
			if !r.Date.IsZero() {
				d := r.DateText()
				jr.Date = &d
			}
			for _, g := range r.Groups() {
				for _, it := range g.Items {
					jr.Items = append(jr.Items, jsonItem{Key: it.Key, Type: it.Type, Category: it.Category, Title: it.Title})
				}
			}
			f.Releases = append(f.Releases, jr)
		}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	return append(data, '\n'), err
}
