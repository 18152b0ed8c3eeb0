package notify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Format is how a target wants its message.
type Format string

// The webhook formats of DESIGN §8.
const (
	// Slack is Slack's incoming-webhook JSON (text + blocks); Mattermost, Rocket.Chat and
	// Discord's /slack endpoint read it too.
	Slack Format = "slack"
	// Teams is a message carrying an Adaptive Card, as Teams workflows and incoming
	// webhooks take it.
	Teams Format = "teams"
	// JSON is relscope's own payload, signed per Standard Webhooks when a secret is given.
	JSON Format = "json"
)

// Formats lists the formats a jobs file may name.
func Formats() []Format { return []Format{Slack, Teams, JSON} }

// maxEvents caps the events drawn in a chat message (a big first diff would otherwise post a
// wall); the json format always carries all of them.
const maxEvents = 20

// Body renders the message in format f. at is the delivery's time (the json payload's
// timestamp).
func Body(f Format, m Message, at time.Time) ([]byte, error) {
	switch f {
	case Slack:
		return json.Marshal(slackBody(m))
	case Teams:
		return json.Marshal(teamsBody(m))
	case JSON:
		return json.Marshal(jsonPayload{Type: "relscope.job." + m.Status, Timestamp: at.UTC(), Data: m})
	}
	return nil, fmt.Errorf("unknown webhook format %q", f)
}

// jsonPayload is the Standard Webhooks payload shape: type, timestamp, data.
type jsonPayload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      Message   `json:"data"`
}

// slackEscape escapes what Slack's mrkdwn treats as markup (&, <, >): text from data can
// never become a link or a mention.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

func slackBody(m Message) slackMessage {
	title := m.Title()
	blocks := []slackBlock{{Type: "header", Text: &slackText{Type: "plain_text", Text: truncate(title, 150)}}}
	var lines []string
	for i, e := range m.Events {
		if i == maxEvents {
			lines = append(lines, fmt.Sprintf("… and %d more", len(m.Events)-maxEvents))
			break
		}
		lines = append(lines, "• *"+string(e.Type)+"* "+slackEscape(e.Summary))
	}
	// A section's text holds at most 3,000 characters: events go in sections of a few each.
	for len(lines) > 0 {
		n := min(len(lines), 8)
		blocks = append(blocks, slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: truncate(strings.Join(lines[:n], "\n"), 3000)}})
		lines = lines[n:]
	}
	if len(m.Outputs) > 0 {
		var links []string
		for _, o := range m.Outputs {
			links = append(links, "<"+slackURL(o.URL)+"|"+slackEscape(o.Path)+">")
		}
		blocks = append(blocks, slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: truncate("*Outputs:* "+strings.Join(links, " · "), 3000)}})
	}
	blocks = append(blocks, slackBlock{Type: "context", Elements: []slackText{{Type: "mrkdwn", Text: slackEscape(footer(m))}}})
	return slackMessage{Text: title, Blocks: blocks}
}

// slackURL keeps a URL from closing Slack's <url|text> link early.
func slackURL(u string) string {
	return strings.NewReplacer("|", "%7C", ">", "%3E", "<", "%3C").Replace(u)
}

// footer is the message's footer: run, as_of, when.
func footer(m Message) string {
	s := fmt.Sprintf("run %d · %s", m.RunID, m.FinishedAt.UTC().Format(time.RFC3339))
	if !m.AsOf.IsZero() {
		s += " · data as of " + m.AsOf.UTC().Format(time.RFC3339)
	}
	return s
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Teams: a message with one Adaptive Card attachment (schema 1.4: TextBlocks, a FactSet
// of outputs, and an OpenUrl action per output). Card text is plain (TextBlock markdown is
// a small subset; data text is shown as it is, never as markup, because Teams renders no
// HTML in it).
type teamsMessage struct {
	Type        string            `json:"type"`
	Attachments []teamsAttachment `json:"attachments"`
}

type teamsAttachment struct {
	ContentType string    `json:"contentType"`
	ContentURL  *string   `json:"contentUrl"`
	Content     teamsCard `json:"content"`
}

type teamsCard struct {
	Schema  string           `json:"$schema"`
	Type    string           `json:"type"`
	Version string           `json:"version"`
	Body    []map[string]any `json:"body"`
	Actions []map[string]any `json:"actions,omitempty"`
}

// teamsMarkdownEscape keeps data text from being read as TextBlock markdown.
func teamsMarkdownEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`", "#", `\#`).Replace(s)
}

func teamsBody(m Message) teamsMessage {
	body := []map[string]any{
		{"type": "TextBlock", "text": teamsMarkdownEscape(m.Title()), "weight": "Bolder", "size": "Medium", "wrap": true},
	}
	for i, e := range m.Events {
		if i == maxEvents {
			body = append(body, map[string]any{"type": "TextBlock", "text": fmt.Sprintf("… and %d more", len(m.Events)-maxEvents), "wrap": true})
			break
		}
		body = append(body, map[string]any{"type": "TextBlock", "wrap": true, "spacing": "Small",
			"text": "**" + string(e.Type) + "** " + teamsMarkdownEscape(e.Summary)})
	}
	var actions []map[string]any
	if len(m.Outputs) > 0 {
		var facts []map[string]any
		for _, o := range m.Outputs {
			facts = append(facts, map[string]any{"title": o.Type, "value": teamsMarkdownEscape(o.Path)})
			if len(actions) < 6 {
				actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": truncate(o.Path, 40), "url": o.URL})
			}
		}
		body = append(body, map[string]any{"type": "FactSet", "facts": facts})
	}
	body = append(body, map[string]any{"type": "TextBlock", "text": teamsMarkdownEscape(footer(m)), "isSubtle": true, "size": "Small", "wrap": true})
	return teamsMessage{Type: "message", Attachments: []teamsAttachment{{
		ContentType: "application/vnd.microsoft.card.adaptive",
		Content: teamsCard{Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard",
			Version: "1.4", Body: body, Actions: actions},
	}}}
}
