package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Target is one webhook of a job's notify list.
type Target struct {
	// Name is how logs, errors and notification_log name the target — never by its URL.
	Name   string
	URL    string
	Format Format
	// Key is the Standard Webhooks signing key (the base64-decoded part of a whsec_ secret);
	// nil sends the json format unsigned.
	Key []byte
	// Events keeps only these event types (all when empty).
	Events []EventType
}

// Endpoint is a short fingerprint of the target's URL: tells endpoints apart in
// notification_log without showing them.
func (t Target) Endpoint() string {
	sum := sha256.Sum256([]byte(t.URL))
	return hex.EncodeToString(sum[:])[:12]
}

// ParseSecret reads a Standard Webhooks secret: "whsec_" followed by the base64 key (the
// prefix may be left out). The error never repeats the secret.
func ParseSecret(secret string) ([]byte, error) {
	s := strings.TrimPrefix(strings.TrimSpace(secret), "whsec_")
	if s == "" {
		return nil, errors.New("the secret is empty")
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("the secret is not whsec_ followed by base64")
	}
	if len(key) < 16 {
		return nil, fmt.Errorf("the secret's key is %d bytes; Standard Webhooks wants 24 to 64", len(key))
	}
	return key, nil
}

// Sign returns the webhook-signature header value: "v1," and the base64 HMAC-SHA256 of
// "id.timestamp.body" under key.
func Sign(key []byte, id string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, ts.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify checks a Standard Webhooks request the way a receiver does (for tests and for
// users' receivers written in Go): one of the space-separated v1 signatures must match.
func Verify(key []byte, h http.Header, body []byte) error {
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	if id == "" || ts == "" {
		return errors.New("missing webhook-id or webhook-timestamp")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp %q is not a Unix time", ts)
	}
	want := Sign(key, id, time.Unix(sec, 0), body)
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return nil
		}
	}
	return errors.New("no webhook-signature matches")
}

// NewID returns a delivery id: "msg_" and 20 random base32-ish characters (no '.', as the
// signature scheme requires).
func NewID() string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, 24)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	return "msg_" + string(b)
}

// Policy bounds a delivery's retries.
type Policy struct {
	// MaxAttempts is the most HTTP requests per delivery (default 5).
	MaxAttempts int
	// MaxElapsed is the most time a delivery may take, waits included (default 2 minutes);
	// a Retry-After beyond it ends the delivery at once.
	MaxElapsed time.Duration
	// BaseDelay is the first wait between attempts, doubled each time up to MaxDelay, with
	// jitter (defaults 1 s and 30 s).
	BaseDelay, MaxDelay time.Duration
	// Timeout is one request's (default 15 s, as Standard Webhooks recommends).
	Timeout time.Duration
	// Client sends the requests (default: one that never follows redirects).
	Client *http.Client
	// Now and Sleep are the clock (tests replace them).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

func (p Policy) withDefaults() Policy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 5
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = 2 * time.Minute
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = time.Second
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.Timeout <= 0 {
		p.Timeout = 15 * time.Second
	}
	if p.Client == nil {
		// Standard Webhooks: a redirect is a failure (the URL should be updated instead).
		p.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Sleep == nil {
		p.Sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				return nil
			}
		}
	}
	return p
}

// Delivery is what happened to one message sent to one target: a notification_log row.
type Delivery struct {
	ID         string
	Target     string
	Endpoint   string
	Format     Format
	Events     []string
	Attempts   int
	StatusCode int // the last response's; 0 when none came
	Delivered  bool
	Err        error // why not, with the URL redacted
	First      time.Time
	Last       time.Time
	Bytes      int
}

// Deliver sends m (filtered by the target's events) to t, retrying 429, 5xx and network
// failures with exponential backoff and jitter, honouring Retry-After, within the policy's
// attempts and time. A message the filter leaves empty is not sent (ok false). The webhook-id
// stays the same across retries; the timestamp and signature are made anew for each attempt.
func Deliver(ctx context.Context, t Target, m Message, p Policy) (d Delivery, ok bool) {
	m = m.Filter(t.Events)
	if len(m.Events) == 0 {
		return Delivery{}, false
	}
	p = p.withDefaults()
	d = Delivery{ID: NewID(), Target: t.Name, Endpoint: t.Endpoint(), Format: t.Format, Events: m.Types(), First: p.Now().UTC()}
	start := p.Now()
	delay := p.BaseDelay
	for {
		d.Attempts++
		at := p.Now()
		body, err := Body(t.Format, m, at)
		if err != nil {
			d.Err = err
			break
		}
		d.Bytes = len(body)
		status, retryAfter, err := t.post(ctx, p, d.ID, at, body)
		d.Last = p.Now().UTC()
		d.StatusCode = status
		if err == nil && status >= 200 && status < 300 {
			d.Delivered, d.Err = true, nil
			break
		}
		retryable := err != nil || status == http.StatusTooManyRequests || status >= 500
		if err == nil {
			err = fmt.Errorf("HTTP %d %s", status, http.StatusText(status))
		}
		d.Err = err
		if !retryable || ctx.Err() != nil {
			break
		}
		if d.Attempts >= p.MaxAttempts {
			d.Err = fmt.Errorf("%w; gave up after %d attempts", err, d.Attempts)
			break
		}
		wait := jitter(delay)
		if retryAfter > 0 {
			wait = retryAfter
		}
		if left := p.MaxElapsed - p.Now().Sub(start); wait > left {
			d.Err = fmt.Errorf("%w; the next attempt (in %s) would pass the %s limit, gave up after %d attempt(s)",
				err, wait.Round(time.Second), p.MaxElapsed, d.Attempts)
			break
		}
		if err := p.Sleep(ctx, wait); err != nil {
			d.Err = fmt.Errorf("%w; interrupted before attempt %d", d.Err, d.Attempts+1)
			break
		}
		delay = min(delay*2, p.MaxDelay)
	}
	return d, true
}

// jitter spreads a backoff delay over [d/2, d).
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(int64(d/2)))
	return d/2 + time.Duration(n.Int64())
}

// post makes one attempt. Its error never holds the URL.
func (t Target) post(ctx context.Context, p Policy, id string, at time.Time, body []byte) (status int, retryAfter time.Duration, err error) {
	rctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, t.redact(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "relscope")
	if t.Format == JSON {
		req.Header.Set("webhook-id", id)
		req.Header.Set("webhook-timestamp", strconv.FormatInt(at.Unix(), 10))
		if t.Key != nil {
			req.Header.Set("webhook-signature", Sign(t.Key, id, at, body))
		}
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		return 0, 0, t.redact(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, parseRetryAfter(resp.Header.Get("Retry-After"), p.Now()), nil
}

// parseRetryAfter reads Retry-After: seconds, or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// redact turns an error of net/http into one that names the target instead of its URL: the
// URL, its host and its path (where Slack and Teams keep their secret) are replaced.
func (t Target) redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
		if errors.Is(err, context.DeadlineExceeded) {
			return errors.New("no response within the request timeout")
		}
	}
	msg := err.Error()
	if u, perr := url.Parse(t.URL); perr == nil {
		for _, s := range []string{t.URL, u.String(), u.Host, u.Hostname(), u.Path, u.RawQuery} {
			if len(s) > 1 {
				msg = strings.ReplaceAll(msg, s, "<"+t.Name+">")
			}
		}
	} else {
		msg = strings.ReplaceAll(msg, t.URL, "<"+t.Name+">")
	}
	return errors.New(msg)
}
