// Package browsertest opens relscope's HTML outputs in a real headless Chromium (through
// chromedp) for tests: it records every console error, uncaught exception, JavaScript dialog
// and network request the page makes, evaluates expressions in it and takes screenshots.
//
// Chromium is required: a test that needs it fails when it is missing (CI installs Debian's
// chromium), unless RELSCOPE_SKIP_BROWSER=1 is set, which skips it with a message — for a
// developer's machine without a browser.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Page is one file opened in the browser.
type Page struct {
	ctx context.Context

	mu       sync.Mutex
	errors   []string
	requests []string
	dialogs  []string
}

// Chromium finds the browser: $RELSCOPE_CHROMIUM, else chromium or google-chrome on PATH.
// Without one it fails the test, or skips it when RELSCOPE_SKIP_BROWSER=1.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("RELSCOPE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("RELSCOPE_SKIP_BROWSER") == "1" {
		t.Skip("no chromium on PATH; skipped because RELSCOPE_SKIP_BROWSER=1")
	}
	t.Fatal("browser tests need Chromium (Debian package chromium; CI installs it): none found on PATH and RELSCOPE_CHROMIUM is unset. Set RELSCOPE_SKIP_BROWSER=1 to skip them locally.")
	return ""
}

// Open opens the file at path in a fresh headless browser of the given window size and
// waits until the page has loaded. The browser is closed when the test ends.
func Open(t testing.TB, path string, width, height int) *Page {
	t.Helper()
	bin := Chromium(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Headless,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(width, height))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	p := &Page{}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(p.listen))
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	p.ctx = ctx
	err = chromedp.Do(ctx,
		call(network.Enable, network.EnableParams{}),
		call(log.Enable, cdp.Empty{}),
		call(runtime.Enable, cdp.Empty{}),
		chromedp.EmulateViewport(int64(width), int64(height)),
		chromedp.Navigate("file://"+abs),
	)
	if err != nil {
		t.Fatalf("open %s in chromium: %v", path, err)
	}
	return p
}

func call[P any](c cdp.Command[P, cdp.Empty], params P) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, c, params)
		return chromedp.Void{}, err
	}
}

func (p *Page) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			p.errors = append(p.errors, "console."+string(e.Type)+": "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		p.errors = append(p.errors, fmt.Sprintf("uncaught exception at line %d: %s", d.LineNumber+1, msg))
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			p.errors = append(p.errors, "browser log: "+e.Entry.Text)
		}
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, e.Request.URL)
	case *page.EventJavascriptDialogOpening:
		p.dialogs = append(p.dialogs, string(e.Type)+": "+e.Message)
		go chromedp.Do(p.ctx, call(page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true}))
	}
}

// Errors are the console errors, uncaught exceptions and browser log errors so far.
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// Requests are the URLs of every request the page made, the page itself included.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Dialogs are the alert, confirm and prompt dialogs the page opened (each one accepted).
func (p *Page) Dialogs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.dialogs...)
}

// Eval evaluates a JavaScript expression in the page and returns its JSON value as T.
func Eval[T any](t testing.TB, p *Page, expr string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Screenshot is a PNG of the first element matching the CSS selector.
func (p *Page) Screenshot(t testing.TB, selector string) []byte {
	t.Helper()
	b, err := chromedp.Run(p.ctx, chromedp.Screenshot(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("screenshot %s: %v", selector, err)
	}
	return b
}

// Wait pauses for d inside the browser's timeline (rendering settles).
func (p *Page) Wait(d time.Duration) { time.Sleep(d) }

// Check opens a rendered dashboard in Chromium and checks what a reader relies on: every
// chart drew (a canvas or an svg in each), nothing was logged as an error, the page made no
// request but for itself, and no script from the data ran (no dialog, no <img> element, and
// a tooltip on a hostile label shows it as text). It returns the page for further checks.
func Check(t *testing.T, path string, width, height int) *Page {
	t.Helper()
	p := Open(t, path, width, height)
	charts := Eval[int](t, p, `document.querySelectorAll(".echart").length`)
	drawn := Eval[int](t, p, `[...document.querySelectorAll(".echart")].filter(e => e.querySelector("canvas, svg")).length`)
	if charts == 0 || drawn != charts {
		t.Errorf("%d of %d charts drew a canvas or svg", drawn, charts)
	}
	if n := Eval[int](t, p, `window.relscopeCharts ? window.relscopeCharts.length : -1`); n != charts {
		t.Errorf("the page script initialised %d of %d charts", n, charts)
	}
	// Hover every chart's first data point: tooltips are where data text becomes HTML.
	Eval[bool](t, p, `(window.relscopeCharts || []).forEach(c => c.chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0})) || true`)
	p.Wait(200 * time.Millisecond)
	if n := Eval[int](t, p, `document.querySelectorAll("img, iframe, object, embed").length`); n != 0 {
		t.Errorf("%d img/iframe/object/embed elements in the page: data became markup", n)
	}
	for _, e := range p.Errors() {
		t.Errorf("browser: %s", e)
	}
	for _, d := range p.Dialogs() {
		t.Errorf("a script from the data ran: dialog %s", d)
	}
	abs, _ := filepath.Abs(path)
	for _, r := range p.Requests() {
		if r != "file://"+abs {
			t.Errorf("network request to %s", r)
		}
	}
	return p
}
