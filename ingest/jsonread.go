package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// jsonDoc is a JSON file read whole, with the byte offsets of its line starts, so records
// can be rejected with the line they start on.
type jsonDoc struct {
	data  []byte
	lines []int // offset of the start of each line after the first
}

func readJSONDoc(r io.Reader) (*jsonDoc, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	d := &jsonDoc{data: data}
	for i, c := range data {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	return d, nil
}

// lineAt returns the 1-based line of byte offset off.
func (d *jsonDoc) lineAt(off int64) int64 {
	return int64(sort.Search(len(d.lines), func(i int) bool { return int64(d.lines[i]) > off })) + 1
}

// jsonRecord is one element of the records array, with the line it starts on.
type jsonRecord struct {
	raw  json.RawMessage
	line int64
}

// records finds the array of records in the document: the document itself when it is an
// array, else the value of the first of keys present at its top level. Other top-level values
// are returned by key for the format to use (Jira's "names").
func (d *jsonDoc) records(keys ...string) ([]jsonRecord, map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(d.data))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, fmt.Errorf("not JSON: %w", err)
	}
	readArray := func() ([]jsonRecord, error) {
		var out []jsonRecord
		for dec.More() {
			off := dec.InputOffset()
			// InputOffset is the end of the previous token; the element starts after any
			// separator and white space.
			for off < int64(len(d.data)) && (d.data[off] == ',' || d.data[off] == ' ' || d.data[off] == '\n' || d.data[off] == '\r' || d.data[off] == '\t') {
				off++
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return out, fmt.Errorf("line %d: %w", d.lineAt(off), err)
			}
			out = append(out, jsonRecord{raw: raw, line: d.lineAt(off)})
		}
		_, err := dec.Token() // ]
		return out, err
	}
	switch tok {
	case json.Delim('['):
		recs, err := readArray()
		return recs, nil, err
	case json.Delim('{'):
	default:
		return nil, nil, errors.New("not a JSON object or array")
	}
	var recs []jsonRecord
	found := false
	others := map[string]json.RawMessage{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key, _ := kt.(string)
		if !found && contains(keys, key) {
			t, err := dec.Token()
			if err != nil {
				return nil, nil, err
			}
			if t != json.Delim('[') {
				return nil, nil, fmt.Errorf("%q is not an array", key)
			}
			if recs, err = readArray(); err != nil {
				return nil, nil, err
			}
			found = true
			continue
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		others[key] = v
	}
	if !found {
		return nil, others, fmt.Errorf("no %q array at the top level", keys[0])
	}
	return recs, others, nil
}
