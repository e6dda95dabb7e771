package main

// The "alerts" mode: evaluates alerting rules over synthetic series the way Prometheus's rule
// manager does (one evaluation per interval from time 0; an alert is pending from the first
// evaluation that returns its series and fires once it has been returned without a gap for the
// rule's "for"), and reports which alerts fire at the times asked. promtool's "test rules" does the
// same, but promtool pulls in every service discovery's cloud SDK; the engine and the TSDB do not.
//
// Input (stdin): {"rules": [{"alert": "A", "expr": "...", "for": "5m"}],
//                 "cases": [{"name": "...", "interval": "1m",
//                            "series": [{"series": "m{a=\"b\"}", "values": "0+1x20"}],
//                            "at": ["10m"]}]}
// Output (stdout): {"firing": {"<case>": {"<at>": [{"alert": "A", "labels": {"a": "b"}}]}}}.
// Exit status: 0 when every case was evaluated, 2 on input that cannot be (reported on stderr).

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/tsdb"
)

type alertRule struct {
	Alert string `json:"alert"`
	Expr  string `json:"expr"`
	For   string `json:"for"`
}

type inputSeries struct {
	Series string `json:"series"`
	Values string `json:"values"`
}

type alertCase struct {
	Name     string        `json:"name"`
	Interval string        `json:"interval"`
	Series   []inputSeries `json:"series"`
	At       []string      `json:"at"`
}

type alertInput struct {
	Rules []alertRule `json:"rules"`
	Cases []alertCase `json:"cases"`
}

type firingAlert struct {
	Alert  string            `json:"alert"`
	Labels map[string]string `json:"labels"`
}

func runAlerts() {
	var in alertInput
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("stdin is not {\"rules\": [...], \"cases\": [...]}: %v", err)
	}
	if len(in.Rules) == 0 || len(in.Cases) == 0 {
		fail("no rules or no cases given")
	}
	firing := map[string]map[string][]firingAlert{}
	for _, c := range in.Cases {
		result, err := evaluate(in.Rules, c)
		if err != nil {
			fail("case %q: %v", c.Name, err)
		}
		firing[c.Name] = result
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(map[string]any{"firing": firing}); err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "promql-check alerts: "+format+"\n", args...)
	os.Exit(2)
}

func duration(text string) (time.Duration, error) {
	if text == "" {
		return 0, nil
	}
	d, err := model.ParseDuration(text)
	return time.Duration(d), err
}

func evaluate(rules []alertRule, c alertCase) (map[string][]firingAlert, error) {
	interval, err := duration(c.Interval)
	if err != nil || interval <= 0 {
		return nil, fmt.Errorf("interval %q is not a positive duration", c.Interval)
	}
	wanted := map[time.Duration]string{}
	var end time.Duration
	for _, text := range c.At {
		at, err := duration(text)
		if err != nil || at%interval != 0 {
			return nil, fmt.Errorf("at %q is not a multiple of the interval %s", text, c.Interval)
		}
		wanted[at] = text
		end = max(end, at)
	}
	dir, err := os.MkdirTemp("", "promql-check-tsdb")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := tsdb.Open(dir, nil, nil, tsdb.DefaultOptions(), nil)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := load(db, c, interval); err != nil {
		return nil, err
	}
	engine := promql.NewEngine(promql.EngineOpts{
		MaxSamples:    10_000_000,
		Timeout:       time.Minute,
		LookbackDelta: 5 * time.Minute,
		Parser:        parser.NewParser(parser.Options{}),
	})
	out := map[string][]firingAlert{}
	for _, text := range wanted {
		out[text] = []firingAlert{}
	}
	for _, rule := range rules {
		hold, err := duration(rule.For)
		if err != nil {
			return nil, fmt.Errorf("alert %s: for %q: %v", rule.Alert, rule.For, err)
		}
		activeAt := map[string]time.Duration{}
		for ts := time.Duration(0); ts <= end; ts += interval {
			vector, err := instant(engine, db, rule.Expr, ts)
			if err != nil {
				return nil, fmt.Errorf("alert %s at %s: %v", rule.Alert, ts, err)
			}
			present := map[string]bool{}
			for _, sample := range vector {
				key := sample.Metric.String()
				present[key] = true
				if _, ok := activeAt[key]; !ok {
					activeAt[key] = ts
				}
				if text, ok := wanted[ts]; ok && ts-activeAt[key] >= hold {
					out[text] = append(out[text], firingAlert{Alert: rule.Alert, Labels: sample.Metric.Map()})
				}
			}
			for key := range activeAt {
				if !present[key] {
					delete(activeAt, key)
				}
			}
		}
	}
	for _, alerts := range out {
		sort.Slice(alerts, func(i, j int) bool {
			return fmt.Sprint(alerts[i]) < fmt.Sprint(alerts[j])
		})
	}
	return out, nil
}

// load appends each series' expanded values ("0+1x20", "_" for a missing sample) one interval
// apart from time 0.
func load(db *tsdb.DB, c alertCase, interval time.Duration) error {
	p := parser.NewParser(parser.Options{})
	app := db.Appender(context.Background())
	for _, s := range c.Series {
		metric, values, err := p.ParseSeriesDesc(s.Series + " " + s.Values)
		if err != nil {
			return fmt.Errorf("series %s %s: %v", s.Series, s.Values, err)
		}
		for i, v := range values {
			if v.Omitted {
				continue
			}
			if _, err := app.Append(0, metric, (time.Duration(i) * interval).Milliseconds(), v.Value); err != nil {
				return fmt.Errorf("series %s: %v", s.Series, err)
			}
		}
	}
	return app.Commit()
}

func instant(engine *promql.Engine, db *tsdb.DB, expr string, ts time.Duration) (promql.Vector, error) {
	query, err := engine.NewInstantQuery(context.Background(), db, nil, expr, time.UnixMilli(ts.Milliseconds()))
	if err != nil {
		return nil, err
	}
	defer query.Close()
	result := query.Exec(context.Background())
	if result.Err != nil {
		return nil, result.Err
	}
	vector, err := result.Vector()
	if err != nil {
		return nil, fmt.Errorf("not an instant vector: %v", err)
	}
	return vector, nil
}
