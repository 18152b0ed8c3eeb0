package notify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The published example of the Standard Webhooks reference libraries (their Go test
// TestWebhookSign): secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, id
// msg_p5jXN8AQM9LWM0D4loKWxJek, timestamp 1614265330, body {"test": 2432232314}.
func TestSignPublishedVector(t *testing.T) {
	key, err := ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
	if _, err := ParseSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); err != nil {
		t.Errorf("a secret without its prefix: %v", err)
	}
	for _, bad := range []string{"", "whsec_", "whsec_not base64!", "whsec_" + base64.StdEncoding.EncodeToString([]byte("short"))} {
		if _, err := ParseSecret(bad); err == nil {
			t.Errorf("ParseSecret(%q) accepted", bad)
		} else if len(bad) > 6 && strings.Contains(err.Error(), bad[6:]) {
			t.Errorf("error %q repeats the secret", err)
		}
	}
}

func testMessage() Message {
	start := time.Date(2025, 6, 30, 7, 0, 0, 0, time.UTC)
	m := Message{Job: "weekly", RunID: 7, Status: "finished", StartedAt: start, FinishedAt: start.Add(42 * time.Second),
		AsOf:    start,
		Outputs: []Link{{Type: "html", Path: "weekly/dashboard.html", URL: "https://reports.example.com/weekly/dashboard.html"}},
		Events: []Event{
			{Type: BlockerChanged, Subject: "OPS-7", From: "In Progress", To: "Done", Summary: "OPS-7 <b>&</b> moved from In Progress to Done; it blocks PAY-3 (Payments)."},
			{Type: ItemSlipped, Subject: "PAY-3", Summary: "PAY-3 (Payments) left release PAY 1.2 and is now planned for PAY 1.3."},
		}}
	m.Events = append([]Event{FinishedEvent(m)}, m.Events...)
	return m
}

// receiver is a webhook endpoint on loopback that answers with the statuses given, in turn
// (the last one from then on), and keeps every request.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	retry    string
	got      []*http.Request
	bodies   [][]byte
	srv      *httptest.Server
}

func newReceiver(t *testing.T, retryAfter string, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses, retry: retryAfter}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		n := len(rc.got)
		rc.got = append(rc.got, r)
		rc.bodies = append(rc.bodies, body)
		st := rc.statuses[min(n, len(rc.statuses)-1)]
		rc.mu.Unlock()
		if st == http.StatusTooManyRequests && rc.retry != "" {
			w.Header().Set("Retry-After", rc.retry)
		}
		w.WriteHeader(st)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) posts() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

// fakeClock makes retries instant and records each wait.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) policy(p Policy) Policy {
	c.now = time.Date(2025, 6, 30, 7, 0, 0, 0, time.UTC)
	p.Now = func() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
	p.Sleep = func(_ context.Context, d time.Duration) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.waits = append(c.waits, d)
		c.now = c.now.Add(d)
		return nil
	}
	return p
}

// A signed json delivery: one POST, verified by the receiver with the key, carrying the
// Standard Webhooks headers and the message as the payload's data.
func TestDeliverSignedJSON(t *testing.T) {
	rc := newReceiver(t, "", 200)
	key, _ := ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	tgt := Target{Name: "hook", URL: rc.srv.URL + "/hook/secret-path", Format: JSON, Key: key}
	d, sent := Deliver(context.Background(), tgt, testMessage(), Policy{})
	if !sent || !d.Delivered || d.Attempts != 1 || d.StatusCode != 200 || d.Err != nil {
		t.Fatalf("delivery %+v", d)
	}
	if rc.posts() != 1 {
		t.Fatalf("%d posts", rc.posts())
	}
	r, body := rc.got[0], rc.bodies[0]
	if err := Verify(key, r.Header, body); err != nil {
		t.Errorf("receiver cannot verify: %v", err)
	}
	if r.Header.Get("webhook-id") != d.ID || !strings.HasPrefix(d.ID, "msg_") || strings.Contains(d.ID, ".") {
		t.Errorf("webhook-id %q, delivery %q", r.Header.Get("webhook-id"), d.ID)
	}
	if other, _ := ParseSecret("whsec_" + base64.StdEncoding.EncodeToString([]byte("another key of 24 bytes!"))); Verify(other, r.Header, body) == nil {
		t.Error("a wrong key verified")
	}
	if Verify(key, r.Header, append(body, ' ')) == nil {
		t.Error("a changed body verified")
	}
	var p struct {
		Type string `json:"type"`
		Data struct {
			Job    string  `json:"job"`
			Events []Event `json:"events"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != "relscope.job.finished" || p.Data.Job != "weekly" || len(p.Data.Events) != 3 || p.Data.Events[1].Type != BlockerChanged {
		t.Errorf("payload %s", body)
	}
}

// 429 with Retry-After: 2, then 200: two posts, the wait the receiver asked for, the same
// webhook-id on both, each attempt signed anew (and verifiable).
func TestDeliverRetryAfter429(t *testing.T) {
	rc := newReceiver(t, "2", 429, 200)
	key, _ := ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	clock := &fakeClock{}
	d, _ := Deliver(context.Background(), Target{Name: "hook", URL: rc.srv.URL, Format: JSON, Key: key}, testMessage(), clock.policy(Policy{}))
	if !d.Delivered || d.Attempts != 2 || rc.posts() != 2 {
		t.Fatalf("delivery %+v after %d posts", d, rc.posts())
	}
	if len(clock.waits) != 1 || clock.waits[0] != 2*time.Second {
		t.Errorf("waits %v, want [2s]", clock.waits)
	}
	if a, b := rc.got[0].Header.Get("webhook-id"), rc.got[1].Header.Get("webhook-id"); a != b || a != d.ID {
		t.Errorf("ids %q %q", a, b)
	}
	for i := range rc.got {
		if err := Verify(key, rc.got[i].Header, rc.bodies[i]); err != nil {
			t.Errorf("attempt %d: %v", i+1, err)
		}
	}
}

// 503s: exponential backoff with jitter (each wait in [base·2^k / 2, base·2^k)), bounded in
// count; a Retry-After beyond the time limit ends the delivery at once; a 400 is not retried.
func TestDeliverBounds(t *testing.T) {
	rc := newReceiver(t, "", 503)
	clock := &fakeClock{}
	d, _ := Deliver(context.Background(), Target{Name: "ops", URL: rc.srv.URL, Format: Slack}, testMessage(),
		clock.policy(Policy{MaxAttempts: 4, BaseDelay: time.Second, MaxElapsed: time.Hour}))
	if d.Delivered || d.Attempts != 4 || rc.posts() != 4 || d.StatusCode != 503 || !strings.Contains(d.Err.Error(), "gave up after 4 attempts") {
		t.Errorf("delivery %+v, %d posts", d, rc.posts())
	}
	for k, w := range clock.waits {
		lo, hi := time.Second<<k/2, time.Second<<k
		if w < lo || w >= hi {
			t.Errorf("wait %d = %s, want in [%s, %s)", k+1, w, lo, hi)
		}
	}

	far := newReceiver(t, "3600", 429)
	clock = &fakeClock{}
	d, _ = Deliver(context.Background(), Target{Name: "ops", URL: far.srv.URL, Format: Teams}, testMessage(), clock.policy(Policy{MaxElapsed: time.Minute}))
	if d.Delivered || d.Attempts != 1 || len(clock.waits) != 0 || !strings.Contains(d.Err.Error(), "would pass the 1m0s limit") {
		t.Errorf("far Retry-After: %+v waits %v", d, clock.waits)
	}

	bad := newReceiver(t, "", 400)
	d, _ = Deliver(context.Background(), Target{Name: "ops", URL: bad.srv.URL, Format: Slack}, testMessage(), (&fakeClock{}).policy(Policy{}))
	if d.Delivered || d.Attempts != 1 || bad.posts() != 1 || !strings.Contains(d.Err.Error(), "HTTP 400") {
		t.Errorf("400: %+v", d)
	}
}

// A URL that cannot be reached: the error names the target, never the URL, its host or its
// path (where chat webhooks keep their secret).
func TestDeliverRedacts(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL + "/services/T000/B000/XXXXsecretXXXX"
	srv.Close() // nothing listens there now
	d, _ := Deliver(context.Background(), Target{Name: "chat", URL: u, Format: Slack}, testMessage(),
		(&fakeClock{}).policy(Policy{MaxAttempts: 2}))
	if d.Delivered || d.Attempts != 2 || d.Err == nil {
		t.Fatalf("delivery %+v", d)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, s := range []string{u, host, "XXXXsecretXXXX", "/services/"} {
		if strings.Contains(d.Err.Error(), s) {
			t.Errorf("error %q shows %q", d.Err, s)
		}
	}
	if !strings.Contains(d.Err.Error(), "<chat>") {
		t.Errorf("error %q does not name the target", d.Err)
	}
}

// A target's events filter: only those events go; a message left with none is not sent.
func TestDeliverFilter(t *testing.T) {
	rc := newReceiver(t, "", 200)
	m := testMessage()
	if _, sent := Deliver(context.Background(), Target{Name: "x", URL: rc.srv.URL, Format: Slack, Events: []EventType{JobFailed}}, m, Policy{}); sent || rc.posts() != 0 {
		t.Errorf("sent %v, %d posts", sent, rc.posts())
	}
	d, sent := Deliver(context.Background(), Target{Name: "x", URL: rc.srv.URL, Format: JSON, Events: []EventType{ItemSlipped, JobFailed}}, m, Policy{})
	if !sent || !d.Delivered || len(d.Events) != 1 || d.Events[0] != "item_slipped" {
		t.Errorf("filtered delivery %+v", d)
	}
	if strings.Contains(string(rc.bodies[0]), "blocker_changed") {
		t.Errorf("filtered-out event sent: %s", rc.bodies[0])
	}
}

// Slack: text and blocks, data text escaped (no markup, no link from an event's text),
// outputs as links. Teams: a message with one Adaptive Card.
func TestBodies(t *testing.T) {
	m := testMessage()
	b, err := Body(Slack, m, m.FinishedAt)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text struct {
				Text string `json:"text"`
			} `json:"text"`
		} `json:"blocks"`
	}
	json.Unmarshal(b, &s)
	if !strings.HasPrefix(s.Text, "relscope job weekly finished: 1 output(s), 2 change(s)") || s.Blocks[0].Type != "header" {
		t.Errorf("slack %s", b)
	}
	all := string(b)
	if !strings.Contains(all, `OPS-7 \u0026lt;b\u0026gt;\u0026amp;\u0026lt;/b\u0026gt;`) {
		t.Errorf("slack text not escaped: %s", all)
	}
	if !strings.Contains(all, `\u003chttps://reports.example.com/weekly/dashboard.html|weekly/dashboard.html\u003e`) {
		t.Errorf("slack output link missing: %s", all)
	}
	b, _ = Body(Teams, m, m.FinishedAt)
	var tm struct {
		Type        string `json:"type"`
		Attachments []struct {
			ContentType string `json:"contentType"`
			Content     struct {
				Type    string           `json:"type"`
				Version string           `json:"version"`
				Body    []map[string]any `json:"body"`
				Actions []map[string]any `json:"actions"`
			} `json:"content"`
		} `json:"attachments"`
	}
	json.Unmarshal(b, &tm)
	if tm.Type != "message" || len(tm.Attachments) != 1 || tm.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" ||
		tm.Attachments[0].Content.Type != "AdaptiveCard" || len(tm.Attachments[0].Content.Actions) != 1 ||
		tm.Attachments[0].Content.Actions[0]["url"] != "https://reports.example.com/weekly/dashboard.html" {
		t.Errorf("teams %s", b)
	}
}
