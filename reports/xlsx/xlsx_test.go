package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/relscope/relscope/internal/golden"
	"github.com/relscope/relscope/reports/document"
)

// render writes doc with r into a temporary folder and returns the file's path.
func render(t *testing.T, r Renderer, doc *document.Document) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "workbook.xlsx")
	if err := r.Render(context.Background(), doc, path); err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("RELSCOPE_XLSX_KEEP"); out != "" {
		data, _ := os.ReadFile(path)
		os.WriteFile(filepath.Join(out, t.Name()+".xlsx"), data, 0o644)
	}
	return path
}

// cellGrid reads a workbook back with excelize and describes every cell as a reader meets
// it — sheet by sheet, "type[number format]:value" per cell — plus each sheet's tables, frozen
// panes, column widths, conditional formats, sparklines and charts.
func cellGrid(t *testing.T, path string) []byte {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sheets []golden.Sheet
	for _, name := range f.GetSheetList() {
		covered := map[string]bool{} // cells under a merged range's first one
		merged, _ := f.GetMergeCells(name)
		for _, m := range merged {
			c1, r1, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
			c2, r2, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
			for r := r1; r <= r2; r++ {
				for c := c1; c <= c2; c++ {
					if r != r1 || c != c1 {
						covered[cellName(c, r)] = true
					}
				}
			}
		}
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		var grid [][]string
		for r, row := range rows {
			var out []string
			for c, raw := range row {
				ref := cellName(c+1, r+1)
				typ, _ := f.GetCellType(name, ref)
				style, _ := f.GetCellStyle(name, ref)
				if raw == "" && typ == excelize.CellTypeUnset || covered[ref] {
					out = append(out, "")
					continue
				}
				nf := ""
				if st, err := f.GetStyle(style); err == nil && st.CustomNumFmt != nil {
					nf = "[" + *st.CustomNumFmt + "]"
				}
				shown, _ := f.GetCellValue(name, ref)
				cell := typeLetter(typ) + nf + ":" + raw
				if shown != raw {
					cell += " → " + shown
				}
				out = append(out, cell)
			}
			grid = append(grid, out)
		}
		sheets = append(sheets, golden.Sheet{Name: name, Rows: grid})
	}
	text := string(golden.Grid(sheets))
	var meta strings.Builder
	for _, name := range f.GetSheetList() {
		fmt.Fprintf(&meta, "## %s: layout\n", name)
		tables, _ := f.GetTables(name)
		for _, tb := range tables {
			fmt.Fprintf(&meta, "table %s %s style=%s\n", tb.Name, tb.Range, tb.StyleName)
		}
		if p, err := f.GetPanes(name); err == nil && p.Freeze {
			fmt.Fprintf(&meta, "frozen above %s\n", p.TopLeftCell)
		}
		cols, _ := f.GetCols(name)
		var widths []string
		for i := range max(len(cols), 1) {
			w, _ := f.GetColWidth(name, colName(i+1))
			widths = append(widths, strconv.FormatFloat(w, 'f', -1, 64))
		}
		fmt.Fprintf(&meta, "widths %s\n", strings.Join(widths, " "))
		cf, _ := f.GetConditionalFormats(name)
		var refs []string
		for ref, opts := range cf {
			refs = append(refs, fmt.Sprintf("%s (%d rules)", ref, len(opts)))
		}
		sort.Strings(refs)
		for _, r := range refs {
			fmt.Fprintf(&meta, "conditional format %s\n", r)
		}
		merged, _ := f.GetMergeCells(name)
		for _, m := range merged {
			fmt.Fprintf(&meta, "merged %s:%s\n", m.GetStartAxis(), m.GetEndAxis())
		}
	}
	meta.WriteString("## charts\n")
	meta.WriteString(chartSummary(t, path))
	return []byte(text + "\n" + meta.String())
}

func typeLetter(t excelize.CellType) string {
	switch t {
	case excelize.CellTypeBool:
		return "b"
	case excelize.CellTypeNumber, excelize.CellTypeUnset:
		return "n"
	case excelize.CellTypeDate:
		return "d"
	case excelize.CellTypeFormula:
		return "FORMULA"
	case excelize.CellTypeInlineString:
		return "is"
	case excelize.CellTypeSharedString:
		return "s"
	case excelize.CellTypeError:
		return "e"
	}
	return "?"
}

// chartSummary lists each chart part's chart types and series references, read from the XML.
func chartSummary(t *testing.T, path string) string {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	parts := map[string]string{}
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") || strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			parts[zf.Name] = string(b)
			names = append(names, zf.Name)
		}
	}
	sort.Strings(names)
	kind := regexp.MustCompile(`<(lineChart|barChart|areaChart|scatterChart)>`)
	ref := regexp.MustCompile(`<f>([^<]*)</f>`)
	var b strings.Builder
	for _, n := range names {
		x := parts[n]
		if strings.HasPrefix(n, "xl/worksheets/") {
			if c := strings.Count(x, "<x14:sparkline>"); c > 0 {
				fmt.Fprintf(&b, "%s: %d sparklines\n", n, c)
			}
			continue
		}
		var kinds []string
		for _, m := range kind.FindAllStringSubmatch(x, -1) {
			kinds = append(kinds, m[1])
		}
		fmt.Fprintf(&b, "%s: %s\n", n, strings.Join(kinds, "+"))
		for _, m := range ref.FindAllStringSubmatch(x, -1) {
			fmt.Fprintf(&b, "  %s\n", strings.NewReplacer("&apos;", "'", "&#39;", "'").Replace(m[1]))
		}
	}
	return b.String()
}

// The workbook of the sample document, read back cell by cell: every value with its type and
// number format, and each sheet's tables, panes, widths and charts.
func TestWorkbookGolden(t *testing.T) {
	path := render(t, Renderer{}, sampleDoc())
	golden.File(t, filepath.Join("testdata", "sample.golden"), cellGrid(t, path))
}

// sheetXML returns every worksheet's XML of the workbook at path, by part name.
func sheetXML(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/worksheets/sheet") || zf.Name == "xl/sharedStrings.xml" {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			out[zf.Name] = string(b)
		}
	}
	return out
}

// Titles that spreadsheets would run as formulas (OWASP CSV injection) are string cells: no
// worksheet holds a formula at all, each title is read back as the text it was, typed as a
// string, and its XML is an inline or shared string — also where it is a coverage note or a
// bullet of the summary.
func TestFormulaInjectionStaysText(t *testing.T) {
	path := render(t, Renderer{}, sampleDoc())
	parts := sheetXML(t, path)
	for name, x := range parts {
		if strings.Contains(x, "<f>") || strings.Contains(x, "<f ") {
			t.Errorf("%s holds a formula", name)
		}
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Delivered items: titles in column B from row 3.
	for i, want := range injections {
		ref := fmt.Sprintf("B%d", 3+i)
		got, _ := f.GetCellValue("Delivered items", ref)
		typ, _ := f.GetCellType("Delivered items", ref)
		if got != want || typ != excelize.CellTypeInlineString {
			t.Errorf("Delivered items!%s = %q (type %v), want the string %q", ref, got, typ, want)
		}
		if formula, _ := f.GetCellFormula("Delivered items", ref); formula != "" {
			t.Errorf("Delivered items!%s has formula %q", ref, formula)
		}
	}
	// The streamed sheet's XML: each title inside <is><t>, escaped.
	var items string
	for name, x := range parts {
		if strings.Contains(x, "PAY-1</t>") {
			items = name
		}
	}
	quotes := strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&quot;", `"`, "&apos;", "'")
	for _, want := range []string{`<t>=HYPERLINK("http://x","click")</t>`, `<t>+SUM(1+1)*cmd|' /C calc'!A0</t>`, `<t>-2+3</t>`, `<t>@SUM(A1)</t>`} {
		if !strings.Contains(quotes.Replace(parts[items]), `t="inlineStr"><is>`+want) {
			t.Errorf("%s: no inline string %s", items, want)
		}
	}
	// The summary (normal cells): a bullet and a coverage note.
	for _, want := range []string{"• " + injections[1], injections[2]} {
		found := false
		rows, _ := f.GetRows("Summary")
		for r, row := range rows {
			for c, v := range row {
				if v == want {
					found = true
					if typ, _ := f.GetCellType("Summary", cellName(c+1, r+1)); typ != excelize.CellTypeSharedString {
						t.Errorf("Summary: %q is a %v cell", want, typ)
					}
				}
			}
		}
		if !found {
			t.Errorf("Summary: %q not found", want)
		}
	}
}

// streamTable is a table of n rows that counts how many it handed out.
func streamTable(n int, total int64, handed *int) *document.Table {
	return &document.Table{ID: "runs", Title: "Runs", Description: "One row per run.", Total: total,
		Columns: []document.Column{{Name: "id", Label: "Run", Type: document.TypeText}, {Name: "n", Label: "N", Type: document.TypeInt}},
		Source:  document.QueryRef{Name: "deployment_runs", Params: map[string]string{"team": "%", "start": "2025-01-01T00:00:00Z"}},
		Stream: func(ctx context.Context, yield func([]any) error) error {
			for i := 1; i <= n; i++ {
				*handed = i
				if err := yield([]any{fmt.Sprintf("run-%d", i), int64(i)}); err != nil {
					return err
				}
			}
			return nil
		}}
}

// A table longer than the sheet may hold is cut at the cap, the stream is stopped there (the
// rest is never read), and the sheet says so where a reader looks: in its first row when the
// total is known before the first row, and always in the row under the table and on the
// summary — with the relscope query command that writes every row to Parquet.
func TestRowCap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		total int64
		of    string
	}{
		{"total known", 12, "of 12 "},
		{"total unknown", 0, "of more than 5 "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			handed := 0
			doc := &document.Document{Title: "Capped", Meta: document.Meta{AsOf: asOf},
				Sections: []document.Section{{ID: "s", Title: "Summary"}, {ID: "d", Title: "Data", Blocks: []document.Block{streamTable(12, tc.total, &handed)}}}}
			path := render(t, Renderer{MaxRows: 5}, doc)
			if handed != 6 {
				t.Errorf("the stream handed out %d rows; want it stopped at the 6th (5 written)", handed)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, _ := f.GetRows("Runs")
			// Title, header, 5 rows, the note.
			if len(rows) != 8 || rows[6][0] != "run-5" {
				t.Fatalf("Runs has %d rows: %q", len(rows), rows)
			}
			note := rows[7][0]
			want := "This sheet holds the first 5 rows " + tc.of
			cmd := "relscope query --format parquet --out runs.parquet --param start=2025-01-01T00:00:00Z --param team=% @deployment_runs"
			if !strings.HasPrefix(note, want) || !strings.HasSuffix(note, cmd) {
				t.Errorf("note under the table: %q, want %q … %q", note, want, cmd)
			}
			if tc.total > 0 && !strings.Contains(rows[0][0], want) {
				t.Errorf("first row: %q, want the note", rows[0][0])
			}
			if tc.total == 0 && strings.Contains(rows[0][0], "first 5") {
				t.Errorf("first row promises a total it cannot know: %q", rows[0][0])
			}
			tables, _ := f.GetTables("Runs")
			if len(tables) != 1 || tables[0].Range != "A2:B7" {
				t.Errorf("table %+v, want A2:B7", tables)
			}
			found := false
			summary, _ := f.GetRows("Summary")
			for _, r := range summary {
				for _, v := range r {
					found = found || strings.HasPrefix(v, want)
				}
			}
			if !found {
				t.Error("the summary's list of sheets does not say the sheet was cut")
			}
		})
	}
	// The default cap leaves Excel's last row for the note.
	if got := (Renderer{}).maxRows(); got != ExcelRows-3 {
		t.Errorf("default cap %d", got)
	}
}

// A streamed table of 3,000 rows (more than the rows sampled for widths) comes back whole and
// in order, typed.
func TestStreamedRowsReadBack(t *testing.T) {
	handed := 0
	doc := &document.Document{Title: "Streamed", Sections: []document.Section{{ID: "s"}, {ID: "d", Blocks: []document.Block{streamTable(3000, 3000, &handed)}}}}
	path := render(t, Renderer{}, doc)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Runs", excelize.Options{RawCellValue: true})
	if len(rows) != 3002 {
		t.Fatalf("%d rows", len(rows))
	}
	for i := 1; i <= 3000; i++ {
		if rows[i+1][0] != fmt.Sprintf("run-%d", i) || rows[i+1][1] != strconv.Itoa(i) {
			t.Fatalf("row %d: %q", i+2, rows[i+1])
		}
	}
	if typ, _ := f.GetCellType("Runs", "B3002"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B3002 is a %v cell", typ)
	}
	if p, _ := f.GetPanes("Runs"); !p.Freeze || p.TopLeftCell != "A3" {
		t.Errorf("panes %+v", p)
	}
}

// A failed stream leaves the previous file as it was.
func TestRenderIsAtomic(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "w.xlsx")
	os.WriteFile(dst, []byte("previous"), 0o644)
	doc := &document.Document{Sections: []document.Section{{ID: "d", Blocks: []document.Block{&document.Table{ID: "t", Title: "T",
		Columns: []document.Column{{Name: "a"}},
		Stream:  func(context.Context, func([]any) error) error { return fmt.Errorf("the warehouse went away") }}}}}}
	err := Renderer{}.Render(context.Background(), doc, dst)
	if err == nil || !strings.Contains(err.Error(), "the warehouse went away") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "previous" {
		t.Errorf("dst holds %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// LibreOffice opens the workbook and converts every sheet to CSV without error: the file is
// valid beyond what excelize reads back. CI installs LibreOffice (.ci/run); without it the
// test fails, unless RELSCOPE_SKIP_LIBREOFFICE=1 says to skip it on this machine.
func TestLibreOfficeConverts(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("RELSCOPE_SKIP_LIBREOFFICE") == "1" {
			t.Skip("soffice not found; skipped as RELSCOPE_SKIP_LIBREOFFICE=1 asks")
		}
		t.Fatal("soffice (LibreOffice Calc) is needed to check the workbook: install libreoffice-calc, or set RELSCOPE_SKIP_LIBREOFFICE=1 to skip")
	}
	if os.Getenv("RELSCOPE_SKIP_LIBREOFFICE") == "1" {
		t.Skip("RELSCOPE_SKIP_LIBREOFFICE=1")
	}
	path := render(t, Renderer{}, sampleDoc())
	out := t.TempDir()
	// A private profile, so parallel runs and the user's own LibreOffice do not collide.
	profile := "file://" + filepath.Join(t.TempDir(), "profile")
	// 44,34,76,1,,0,false,true,false,false,false,-1: comma, double quote, UTF-8, every sheet to
	// its own file (the -1).
	cmd := exec.Command(soffice, "-env:UserInstallation="+profile, "--headless", "--norestore",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", out, path)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	csv, err := os.ReadFile(filepath.Join(out, "workbook-Delivered items.csv"))
	if err != nil {
		files, _ := os.ReadDir(out)
		t.Fatalf("%v (soffice wrote %v)\n%s", err, files, msg)
	}
	text := string(csv)
	for _, want := range []string{`"=HYPERLINK(""http://x"",""click"")"`, `@SUM(A1)`, "2025-06-02 09:30", "12.5%", "PAY-10"} {
		if !strings.Contains(text, want) {
			t.Errorf("Delivered items as CSV lacks %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "#NAME") || strings.Contains(text, "Err:") {
		t.Errorf("LibreOffice evaluated something:\n%s", text)
	}
	files, _ := os.ReadDir(out)
	if len(files) != 7 {
		t.Errorf("LibreOffice wrote %d sheets: %v", len(files), files)
	}
}

// The row encoder's cells read back as what was written: strings with characters XML cannot
// carry (as Excel's _xHHHH_ escapes; excelize's own writer drops them for U+FFFD), a literal
// _x0041_, invalid UTF-8 (as U+FFFD), carriage returns, and text past Excel's 32,767
// characters (cut there, as excelize cuts); and times either side of Excel's fictitious
// 29 February 1900, and far in the future, are the serial numbers excelize writes.
func TestRowEncoderMatchesExcelize(t *testing.T) {
	long := strings.Repeat("é", 40000)
	texts := []string{"a\x01b\x1fc", "_x0041_ stays literal", "bad \xff utf-8", "line\r\nbreak", long, "<tag> & \"quotes\" 'apos'", " lead", "trail\t", "\uFFFE"}
	times := []time.Time{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1900, 2, 28, 12, 0, 0, 0, time.UTC),
		time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 2, 9, 30, 15, 500000000, time.UTC), time.Date(2999, 12, 31, 23, 59, 59, 0, time.UTC)}
	var rows [][]any
	for i := range max(len(texts), len(times)) {
		var s, tm any
		if i < len(texts) {
			s = texts[i]
		}
		if i < len(times) {
			tm = times[i]
		}
		rows = append(rows, []any{s, tm})
	}
	doc := &document.Document{Sections: []document.Section{{ID: "s"}, {ID: "d", Blocks: []document.Block{&document.Table{ID: "t", Title: "T",
		Columns: []document.Column{{Name: "s", Type: document.TypeText}, {Name: "t", Type: document.TypeDateTime}}, Rows: rows}}}}}
	path := render(t, Renderer{}, doc)
	got, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	// The same values through excelize's own stream writer (inline strings, as ours).
	want := excelize.NewFile()
	defer want.Close()
	sw, _ := want.NewStreamWriter("Sheet1")
	for i, r := range rows {
		sw.SetRow(cellName(1, i+1), r)
	}
	sw.Flush()
	var buf bytes.Buffer
	want.Write(&buf)
	back, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for c := 1; c <= 2; c++ {
			g, _ := got.GetCellValue("T", cellName(c, i+3), excelize.Options{RawCellValue: true})
			w, _ := back.GetCellValue("Sheet1", cellName(c, i+1), excelize.Options{RawCellValue: true})
			if c == 2 && w != "" {
				gf, _ := strconv.ParseFloat(g, 64)
				wf, _ := strconv.ParseFloat(w, 64)
				if math.Abs(gf-wf) > 1e-9 {
					t.Errorf("row %d time: %s, excelize writes %s", i, g, w)
				}
				continue
			}
			if c == 1 && rows[i][0] != nil {
				w = string([]rune(rows[i][0].(string)))
				if i == 4 {
					w = strings.Repeat("é", 32767)
				}
			}
			if g != w {
				t.Errorf("row %d column %d: %.80q, want %.80q", i, c, g, w)
			}
		}
	}
}
