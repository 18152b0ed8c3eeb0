package queries

import "strings"

// splitter accumulates SQL text and cuts it into complete statements at semicolons that are
// outside quotes ('…', "…") and comments (-- …, /* … */).
type splitter struct {
	buf strings.Builder
	// state carried across lines
	inSingle, inDouble, inBlock bool
}

// add appends text (one or more lines) and returns the statements it completed.
func (s *splitter) add(text string) []string {
	var out []string
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case s.inBlock:
			if c == '*' && i+1 < len(text) && text[i+1] == '/' {
				s.inBlock = false
				s.buf.WriteString("*/")
				i++
				continue
			}
		case s.inSingle:
			if c == '\'' {
				s.inSingle = false
			}
		case s.inDouble:
			if c == '"' {
				s.inDouble = false
			}
		case c == '\'':
			s.inSingle = true
		case c == '"':
			s.inDouble = true
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			// A line comment runs to the end of the line and is kept as written.
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = len(text) - i
			}
			s.buf.WriteString(text[i : i+end])
			i += end - 1
			continue
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			s.inBlock = true
			s.buf.WriteString("/*")
			i++
			continue
		case c == ';':
			if stmt := strings.TrimSpace(s.buf.String()); stmt != "" && !onlyComments(stmt) {
				out = append(out, stmt)
			}
			s.buf.Reset()
			continue
		}
		s.buf.WriteByte(c)
	}
	return out
}

// pending reports whether an unfinished statement is buffered.
func (s *splitter) pending() bool {
	return strings.TrimSpace(s.buf.String()) != "" && !onlyComments(s.buf.String())
}

// rest returns what is buffered (a last statement without its semicolon) and clears it.
func (s *splitter) rest() string {
	r := strings.TrimSpace(s.buf.String())
	s.reset()
	if onlyComments(r) {
		return ""
	}
	return r
}

func (s *splitter) reset() {
	s.buf.Reset()
	s.inSingle, s.inDouble, s.inBlock = false, false, false
}

// onlyComments reports whether text holds nothing but comments and white space.
func onlyComments(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "--") {
			return false
		}
	}
	return true
}

// Statements cuts SQL text into its statements (semicolons outside quotes and comments), a last
// one without its semicolon included; comments alone are not statements.
func Statements(text string) []string {
	var s splitter
	out := s.add(text)
	if r := s.rest(); r != "" {
		out = append(out, r)
	}
	return out
}
