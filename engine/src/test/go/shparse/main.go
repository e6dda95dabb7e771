// Command shparse is the independent reference for Tollgate's differential shell-parser test:
// it reads one JSON string (a Bash command line) per input line and prints, per line, whether
// mvdan.cc/sh parses it as Bash and the simple commands it contains, with their literal name
// and arguments after quote removal (null for a word that is not literal).
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

type command struct {
	Name *string   `json:"name"`
	Args []*string `json:"args"`
}

type result struct {
	Ok       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"`
	Commands []command `json:"commands"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var src string
		if err := json.Unmarshal(in.Bytes(), &src); err != nil {
			enc.Encode(result{Error: "bad input line: " + err.Error()})
			continue
		}
		enc.Encode(parse(src))
	}
}

func parse(src string) result {
	parser := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(false))
	file, err := parser.Parse(strings.NewReader(src), "")
	if err != nil {
		return result{Error: err.Error(), Commands: []command{}}
	}
	res := result{Ok: true, Commands: []command{}}
	syntax.Walk(file, func(node syntax.Node) bool {
		switch n := node.(type) {
		case *syntax.CallExpr:
			if len(n.Args) > 0 {
				c := command{Name: literal(n.Args[0]), Args: []*string{}}
				for _, w := range n.Args[1:] {
					c.Args = append(c.Args, literal(w))
				}
				res.Commands = append(res.Commands, c)
			}
		case *syntax.DeclClause:
			name := n.Variant.Value
			c := command{Name: &name, Args: []*string{}}
			for _, a := range n.Args {
				c.Args = append(c.Args, declArg(a))
			}
			res.Commands = append(res.Commands, c)
		case *syntax.LetClause:
			name := "let"
			res.Commands = append(res.Commands, command{Name: &name})
		}
		return true
	})
	return res
}

func declArg(a *syntax.Assign) *string {
	if a.Index != nil || a.Array != nil {
		return nil
	}
	if a.Naked {
		if a.Name != nil {
			return &a.Name.Value
		}
		return literal(a.Value)
	}
	value := ""
	if a.Value != nil {
		v := literal(a.Value)
		if v == nil {
			return nil
		}
		value = *v
	}
	op := "="
	if a.Append {
		op = "+="
	}
	s := a.Name.Value + op + value
	return &s
}

// literal is the word after quote removal, or nil when any part of it is expanded at run time.
func literal(w *syntax.Word) *string {
	var sb strings.Builder
	for _, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			sb.WriteString(unescape(p.Value, false))
		case *syntax.SglQuoted:
			if !p.Dollar {
				sb.WriteString(p.Value)
				continue
			}
			if strings.Contains(p.Value, "%") {
				return nil // expand.Format reads printf directives, which $'…' has not
			}
			s, _, _ := expand.Format(nil, p.Value, nil)
			s, _, _ = strings.Cut(s, "\x00")
			sb.WriteString(s)
		case *syntax.DblQuoted:
			if p.Dollar {
				return nil
			}
			for _, inner := range p.Parts {
				lit, ok := inner.(*syntax.Lit)
				if !ok {
					return nil
				}
				sb.WriteString(unescape(lit.Value, true))
			}
		default:
			return nil
		}
	}
	s := sb.String()
	return &s
}

func unescape(s string, quoted bool) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b == '\\' && i+1 < len(s) {
			next := s[i+1]
			if next == '\n' {
				i++
				continue
			}
			if !quoted || strings.IndexByte("$`\"\\", next) >= 0 {
				i++
				b = next
			}
		}
		sb.WriteByte(b)
	}
	return sb.String()
}
