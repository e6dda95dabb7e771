// promql-check parses PromQL expressions with Prometheus's own parser and reports, as JSON, the
// expressions that do not parse and the metric names the others select. Tollgate's chart tests
// feed it the expressions of the PrometheusRule and the Grafana dashboard the chart renders.
//
// Input (stdin): a JSON object {"exprs": {"<where>": "<expression>", ...}}.
// Output (stdout): {"errors": {"<where>": "<parser error>"}, "metrics": {"<where>": ["name", ...]}}.
// Exit status: 0 when every expression parses, 1 when one does not, 2 on unreadable input.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

type input struct {
	Exprs map[string]string `json:"exprs"`
}

type output struct {
	Errors  map[string]string   `json:"errors"`
	Metrics map[string][]string `json:"metrics"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "promql-check: stdin is not {\"exprs\": {...}}:", err)
		os.Exit(2)
	}
	if len(in.Exprs) == 0 {
		fmt.Fprintln(os.Stderr, "promql-check: no expressions given")
		os.Exit(2)
	}
	out := output{Errors: map[string]string{}, Metrics: map[string][]string{}}
	// Default options: only the functions and syntax a stock Prometheus accepts.
	promql := parser.NewParser(parser.Options{})
	for where, text := range in.Exprs {
		expr, err := promql.ParseExpr(text)
		if err != nil {
			out.Errors[where] = err.Error()
			continue
		}
		out.Metrics[where] = metricNames(expr)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "promql-check:", err)
		os.Exit(2)
	}
	if len(out.Errors) > 0 {
		os.Exit(1)
	}
}

// metricNames lists the names the expression's selectors match exactly; a selector without an
// exact name (a regex on __name__) is reported as "" so a caller can refuse it.
func metricNames(expr parser.Expr) []string {
	seen := map[string]bool{}
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		selector, ok := node.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := ""
		for _, matcher := range selector.LabelMatchers {
			if matcher.Name == labels.MetricName && matcher.Type == labels.MatchEqual {
				name = matcher.Value
			}
		}
		seen[name] = true
		return nil
	})
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
