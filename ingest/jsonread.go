package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	json "github.com/goccy/go-json"
	"io"
	"slices"
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
		if !found && slices.Contains(keys, key) {
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

// values returns every top-level JSON value of the document — one for a plain document,
// several for newline-delimited JSON — with the line each starts on.
func (d *jsonDoc) values() ([]jsonRecord, error) {
	dec := json.NewDecoder(bytes.NewReader(d.data))
	var out []jsonRecord
	for {
		off := dec.InputOffset()
		for off < int64(len(d.data)) && (d.data[off] == ' ' || d.data[off] == '\n' || d.data[off] == '\r' || d.data[off] == '\t') {
			off++
		}
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("line %d: %w", d.lineAt(off), err)
		}
		out = append(out, jsonRecord{raw: raw, line: d.lineAt(off)})
	}
}

// expand turns top-level values into records: an array's elements, the elements of the first
// of arrayKeys an object holds, or the object itself (a single webhook payload).
func (d *jsonDoc) expand(arrayKeys ...string) ([]jsonRecord, error) {
	vals, err := d.values()
	if err != nil {
		return nil, err
	}
	var out []jsonRecord
	for _, v := range vals {
		trimmed := bytes.TrimLeft(v.raw, " \t\r\n")
		if len(trimmed) > 0 && trimmed[0] == '[' {
			recs, err := d.arrayAt(v)
			if err != nil {
				return nil, err
			}
			out = append(out, recs...)
			continue
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(v.raw, &obj) == nil {
			found := false
			for _, k := range arrayKeys {
				if arr, ok := obj[k]; ok {
					if t := bytes.TrimLeft(arr, " \t\r\n"); len(t) == 0 || t[0] != '[' {
						continue
					}
					at := bytes.Index(v.raw, arr)
					if at < 0 {
						at = 0
					}
					recs, err := d.arrayAt(jsonRecord{raw: arr, line: v.line + int64(bytes.Count(v.raw[:at], []byte("\n")))})
					if err != nil {
						return nil, err
					}
					out = append(out, recs...)
					found = true
					break
				}
			}
			if found {
				continue
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// arrayAt splits one top-level array value into its elements with their lines.
func (d *jsonDoc) arrayAt(v jsonRecord) ([]jsonRecord, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(v.raw, &elems); err != nil {
		return nil, fmt.Errorf("line %d: %w", v.line, err)
	}
	var out []jsonRecord
	pos, line := 0, v.line
	for _, e := range elems {
		i := bytes.Index(v.raw[pos:], e)
		if i < 0 {
			i = 0
		}
		// Lines are counted from the previous element on, not from the start: counting from
		// the start made a one-line array of n elements cost n² (GitHub's --json output).
		line += int64(bytes.Count(v.raw[pos:pos+i], []byte("\n")))
		out = append(out, jsonRecord{raw: e, line: line})
		line += int64(bytes.Count(e, []byte("\n")))
		pos += i + len(e)
	}
	return out, nil
}

// The helpers the JSON formats share: what detection looks at, and the record loop.

func jsonHead(s *Sniff) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(s.Head, utf8BOM), " \t\r\n")
}

func hasAll(h []byte, keys ...string) bool {
	for _, k := range keys {
		if !bytes.Contains(h, []byte(`"`+k+`"`)) {
			return false
		}
	}
	return true
}

// loadJSONRecords is the record loop the JSON formats share.
func loadJSONRecords(ctx context.Context, in *Input, sink Sink, arrayKeys []string, mapRec func(json.RawMessage) error) error {
	doc, err := readJSONDoc(in.R)
	if err != nil {
		return err
	}
	recs, err := doc.expand(arrayKeys...)
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	for n, rec := range recs {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		sink.Record(rec.line)
		if err := mapRec(rec.raw); err != nil {
			if err := rejectOrFail(sink, err, func() string { return string(rec.raw) }); err != nil {
				return err
			}
		}
	}
	return nil
}
