package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// bookZip is the zip writer excelize saves the workbook through (File.SetZipWriter). It writes
// straight to the output — excelize would otherwise build the whole file in memory first —
// compresses with klauspost's deflate (several times faster than the standard library's on
// worksheet XML, for a file a few percent larger), and splices each table sheet's spilled rows
// into its part just before </sheetData>.
type bookZip struct {
	zw       *zip.Writer
	modified time.Time         // every part's time: the document's
	splices  map[string]*spill // by part name (xl/worksheets/sheetN.xml)
	open     *spliceWriter
}

func newBookZip(w io.Writer, splices map[string]*spill, modified time.Time) *bookZip {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, 3)
	})
	return &bookZip{zw: zw, splices: splices, modified: modified}
}

var _ excelize.ZipWriter = (*bookZip)(nil)

// Create starts the next part.
func (z *bookZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.modified})
	if err != nil {
		return nil, err
	}
	if s, ok := z.splices[name]; ok {
		z.open = &spliceWriter{w: w, rows: s, name: name}
		delete(z.splices, name)
		return z.open, nil
	}
	return w, nil
}

// AddFS adds the files of fsys.
func (z *bookZip) AddFS(fsys fs.FS) error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

// Close ends the archive; every spliced part must have been written.
func (z *bookZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	for name := range z.splices {
		return fmt.Errorf("workbook: excelize wrote no part %s for its rows", name)
	}
	return z.zw.Close()
}

func (z *bookZip) finish() error {
	if z.open == nil {
		return nil
	}
	w := z.open
	z.open = nil
	return w.finish()
}

var sheetDataEnd = []byte("</sheetData>")

// spliceWriter passes a worksheet part through and writes the spilled rows where its
// sheetData ends. It holds back the last few bytes of each write, so a </sheetData> split
// across two writes is still found.
type spliceWriter struct {
	w    io.Writer
	rows *spill
	name string
	held []byte
	done bool
}

func (s *spliceWriter) Write(p []byte) (int, error) {
	if s.done {
		return s.w.Write(p)
	}
	s.held = append(s.held, p...)
	if i := bytes.Index(s.held, sheetDataEnd); i >= 0 {
		if _, err := s.w.Write(s.held[:i]); err != nil {
			return 0, err
		}
		r, err := s.rows.reader()
		if err != nil {
			return 0, err
		}
		if _, err := io.Copy(s.w, r); err != nil {
			return 0, err
		}
		s.done = true
		rest := s.held[i:]
		s.held = nil
		if _, err := s.w.Write(rest); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if keep := len(sheetDataEnd) - 1; len(s.held) > keep {
		if _, err := s.w.Write(s.held[:len(s.held)-keep]); err != nil {
			return 0, err
		}
		s.held = append(s.held[:0], s.held[len(s.held)-keep:]...)
	}
	return len(p), nil
}

func (s *spliceWriter) finish() error {
	if !s.done {
		return fmt.Errorf("workbook: no </sheetData> in %s to put its rows before", s.name)
	}
	return nil
}
