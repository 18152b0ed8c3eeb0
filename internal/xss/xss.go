// Package xss holds the hostile texts the output tests plant in the data (titles, teams,
// releases, services) and the checks that they stayed text: in a real browser no script of
// theirs ran, no element or attribute of theirs exists, nothing was fetched.
package xss

import (
	"strconv"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/browsertest"
)

// Payloads each try a different way out of the text they are put in: script tags and
// </script> breakouts (of an inline JSON block), event handlers, javascript: URLs, SVG and
// MathML, entities a second decoding would turn into markup, template syntax (Go, Vue,
// Angular, JavaScript template literals, ERB), CDATA and comment breakouts, attribute
// breakouts with either quote, and tags that fetch or redirect. Payload N runs alert(N).
var Payloads = []string{
	`<script>alert(1)</script>`,
	`</script><script>alert(2)</script>`,
	`<img src=x onerror=alert(3)>`,
	`"><img src=x onerror=alert(4)>`,
	`'><svg onload=alert(5)>`,
	`<svg><script>alert(6)</script></svg>`,
	`javascript:alert(7)`,
	`<a href="javascript:alert(8)">click me</a>`,
	`<iframe src="javascript:alert(9)"></iframe>`,
	`<body onload=alert(10)>`,
	`<details open ontoggle=alert(11)>`,
	`<input autofocus onfocus=alert(12)>`,
	`&lt;img src=x onerror=alert(13)&gt;`,
	`&#60;script&#62;alert(14)&#60;/script&#62;`,
	`{{constructor.constructor('alert(15)')()}}`,
	"${alert(16)}`+alert(16)+`",
	`<%= alert(17) %>{{.}}[[alert(17)]]`,
	`]]><script>alert(18)</script>`,
	`--><script>alert(19)</script><!--`,
	`<style>@import 'http://evil.example/x.css';</style>`,
	"\u2028\u2029</script><script>alert(21)</script>",
	`<object data="javascript:alert(22)"></object>`,
	`' onmouseover='alert(23)`,
	`" onfocus="alert(24)" autofocus="`,
	`<base href="http://evil.example/">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(26)">`,
	`<math><mtext><img src=x onerror=alert(27)></mtext></math>`,
	`<ScRiPt>alert(28)</sCrIpT>`,
}

// Marked returns payload i with a prefix naming it ("xss12 "), so a test can find the text
// it planted, and a suffix (the original value) that keeps planted values distinct.
func Marked(i int, suffix string) string {
	return "xss" + strconv.Itoa(i+1) + " " + Payloads[i] + suffix
}

// injected is JavaScript listing what a payload would have added to the DOM: elements the
// pages never hold themselves, a script whose code is a payload's, any event-handler
// attribute, a URL or style attribute that is a javascript: URL, names alert( or points at
// the evil host (data text in a title attribute, or slugged into a relative link, is inert).
const injected = `(() => {
	const bad = [];
	for (const e of document.querySelectorAll("img, iframe, object, embed, base, math, meta[http-equiv='refresh' i]")) bad.push(e.outerHTML.slice(0, 120));
	for (const e of document.scripts) if (/^\s*alert\(/.test(e.textContent)) bad.push("script " + e.textContent.slice(0, 60));
	for (const e of document.querySelectorAll("*")) for (const a of e.attributes)
		if (/^on/i.test(a.name) || (/^(href|src|action|formaction|data|content|style|xlink:href|srcdoc)$/i.test(a.name) && /^\s*(javascript|vbscript|data):|alert\(|^\s*(https?:)?\/\/[^\/]*evil\.example/i.test(a.value))) bad.push(e.tagName + " " + a.name + "=" + a.value.slice(0, 60));
	return bad;
})()`

// Inert checks an open page: no payload's element or attribute is in the DOM, no dialog
// opened, no error was logged. (browsertest.Check also checks requests; pages opened with
// browsertest.Open check them with Requests.)
func Inert(t *testing.T, what string, p *browsertest.Page) {
	t.Helper()
	for _, e := range browsertest.Eval[[]string](t, p, injected) {
		t.Errorf("%s: markup from the data: %s", what, e)
	}
	for _, d := range p.Dialogs() {
		t.Errorf("%s: a script from the data ran: dialog %s", what, d)
	}
	for _, e := range p.Errors() {
		t.Errorf("%s: browser: %s", what, e)
	}
}

// Raw reports the payloads whose text appears unescaped in s (those with a '<' in them:
// the others are harmless as text and may appear verbatim).
func Raw(s string) []string {
	var raw []string
	for _, p := range Payloads {
		if strings.Contains(p, "<") && strings.Contains(s, p) {
			raw = append(raw, p)
		}
	}
	return raw
}
