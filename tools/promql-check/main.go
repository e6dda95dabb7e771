// promql-check parses PromQL expressions with Prometheus's own parser and reports, as JSON, the
// expressions that do not parse and the metric names the others select. Tollgate's chart tests
// feed it the expressions of the PrometheusRule and the Grafana dashboard the chart renders.
//
// Input (stdin): a JSON object {"exprs": {"<where>": "<expression>", ...}}.
// Output (stdout): {"errors": {"<where>": "<parser error>"}, "metrics": {"<where>": ["name", ...]},
// "labels": {"<where>": {"<metric>": ["label", ...]}}}: for each metric an expression selects, the
// labels it must carry for the expression to mean what it says (those its selector matches on and
// those an enclosing aggregation groups by or a vector match joins on).
// Exit status: 0 when every expression parses, 1 when one does not, 2 on unreadable input.
//
// "promql-check alerts" evaluates alerting rules over synthetic series instead (alerts.go).
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
	Errors  map[string]string              `json:"errors"`
	Metrics map[string][]string            `json:"metrics"`
	Labels  map[string]map[string][]string `json:"labels"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "alerts" {
		runAlerts()
		return
	}
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "promql-check: stdin is not {\"exprs\": {...}}:", err)
		os.Exit(2)
	}
	if len(in.Exprs) == 0 {
		fmt.Fprintln(os.Stderr, "promql-check: no expressions given")
		os.Exit(2)
	}
	out := output{
		Errors:  map[string]string{},
		Metrics: map[string][]string{},
		Labels:  map[string]map[string][]string{},
	}
	// Default options: only the functions and syntax a stock Prometheus accepts.
	promql := parser.NewParser(parser.Options{})
	for where, text := range in.Exprs {
		expr, err := promql.ParseExpr(text)
		if err != nil {
			out.Errors[where] = err.Error()
			continue
		}
		out.Metrics[where] = metricNames(expr)
		out.Labels[where] = labelsNeeded(expr)
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
		name := exactName(selector)
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

// labelsNeeded maps each exactly named metric of the expression to the labels the expression
// relies on it having: its own matchers' labels (but __name__), and the labels of every enclosing
// "by" grouping and "on" vector match. A label a series lacks matches as empty: a matcher on it
// selects nothing and a grouping by it lumps everything together, both without an error, which is
// why a caller compares these with what the services export. Labels that label_replace or
// label_join write are not known to come from the series, so a selector under them is skipped.
func labelsNeeded(expr parser.Expr) map[string][]string {
	needed := map[string]map[string]bool{}
	parser.Inspect(expr, func(node parser.Node, path []parser.Node) error {
		selector, ok := node.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := exactName(selector)
		if name == "" {
			return nil
		}
		set := needed[name]
		if set == nil {
			set = map[string]bool{}
			needed[name] = set
		}
		for _, matcher := range selector.LabelMatchers {
			if matcher.Name != labels.MetricName {
				set[matcher.Name] = true
			}
		}
		for _, ancestor := range path {
			switch outer := ancestor.(type) {
			case *parser.Call:
				if outer.Func.Name == "label_replace" || outer.Func.Name == "label_join" {
					delete(needed, name)
					return nil
				}
			case *parser.AggregateExpr:
				if !outer.Without {
					for _, label := range outer.Grouping {
						set[label] = true
					}
				}
			case *parser.BinaryExpr:
				if outer.VectorMatching != nil && outer.VectorMatching.On {
					for _, label := range outer.VectorMatching.MatchingLabels {
						set[label] = true
					}
				}
			}
		}
		return nil
	})
	out := map[string][]string{}
	for name, set := range needed {
		list := make([]string, 0, len(set))
		for label := range set {
			list = append(list, label)
		}
		sort.Strings(list)
		out[name] = list
	}
	return out
}

// exactName is the metric name a selector matches exactly, or "" when it has none (a regex on
// __name__, or no name at all).
func exactName(selector *parser.VectorSelector) string {
	name := ""
	for _, matcher := range selector.LabelMatchers {
		if matcher.Name == labels.MetricName && matcher.Type == labels.MatchEqual {
			name = matcher.Value
		}
	}
	return name
}
