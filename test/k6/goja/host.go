package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	js "github.com/grafana/sobek"
)

// vuHost is the host side of one VU: what its stand-in modules call into (VuHost in
// ../k6Harness.ts, method for method).
type vuHost struct {
	phase               string
	vu, idInTest        int
	scenario            string
	iterationInInstance int
	iterationInTest     int
	execReadInInit      []string
	requests            []RequestRecord
	checks              []CheckRecord
	metrics             []MetricRecord
	logs                []string
	store               *eventStore
	scriptPath          string
}

func newVUHost(vu, idInTest int, scenario string, store *eventStore, scriptPath string) *vuHost {
	return &vuHost{
		phase: "init", vu: vu, idInTest: idInTest, scenario: scenario, store: store, scriptPath: scriptPath,
		execReadInInit: []string{}, requests: []RequestRecord{}, checks: []CheckRecord{}, metrics: []MetricRecord{}, logs: []string{},
	}
}

func jsonText(v interface{}) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func stringMap(v interface{}) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]interface{}); ok {
		for k, x := range m {
			switch t := x.(type) {
			case string:
				out[k] = t
			case float64:
				out[k] = strconv.FormatFloat(t, 'f', -1, 64)
			default:
				out[k] = fmt.Sprint(t)
			}
		}
	}
	return out
}

// object is the `host` the stand-ins are called with.
func (h *vuHost) object(rt *js.Runtime) *js.Object {
	o := rt.NewObject()
	o.Set("getPhase", func() string { return h.phase })
	o.Set("noteExecRead", func(what string) {
		if h.phase == "init" {
			h.execReadInInit = append(h.execReadInInit, what)
		}
	})
	o.Set("vuInfo", func() string {
		return jsonText(map[string]int{"idInTest": h.idInTest, "idInInstance": h.vu, "iterationInInstance": h.iterationInInstance, "iterationInScenario": h.iterationInInstance})
	})
	o.Set("scenarioInfo", func() string {
		return jsonText(map[string]interface{}{"name": h.scenario, "executor": "harness", "startTime": 0, "progress": 0, "iterationInInstance": h.iterationInTest, "iterationInTest": h.iterationInTest})
	})
	o.Set("request", func(method, u string, body js.Value, paramsJSON string) string {
		var params struct {
			Headers map[string]interface{} `json:"headers"`
			Tags    map[string]interface{} `json:"tags"`
		}
		_ = json.Unmarshal([]byte(paramsJSON), &params)
		headers := stringMap(map[string]interface{}(params.Headers))
		tags := stringMap(map[string]interface{}(params.Tags))
		var bodyText *string
		if body != nil && !js.IsNull(body) && !js.IsUndefined(body) {
			s := body.String()
			bodyText = &s
		}
		status, response := h.store.handle(method, u, bodyText, headers)
		h.requests = append(h.requests, RequestRecord{Method: method, URL: u, Body: bodyText, Headers: headers, Tags: tags, Status: status, Response: response})
		return jsonText(map[string]interface{}{"status": status, "body": response, "headers": map[string]string{"Content-Type": "application/json"}})
	})
	o.Set("check", func(name string, ok bool) { h.checks = append(h.checks, CheckRecord{Name: name, OK: ok}) })
	o.Set("metric", func(name, typ string, value float64, tagsJSON string) {
		var tags map[string]interface{}
		_ = json.Unmarshal([]byte(tagsJSON), &tags)
		h.metrics = append(h.metrics, MetricRecord{Name: name, Type: typ, Value: value, Tags: stringMap(tags)})
	})
	o.Set("log", func(level, text string) { h.logs = append(h.logs, level+": "+text) })
	o.Set("open", func(path string) (string, error) {
		b, err := os.ReadFile(absPath(h.scriptPath, path))
		return string(b), err
	})
	return o
}

// eventStore is the event-store endpoint the examples target (EventStoreStandIn in
// ../k6Harness.ts): `POST /streams/:id` with one event, an array, `{ event }` or `{ events }`;
// the expected version comes from `If-Match` (or `expected_version` in the body). 201 with the
// new version, 409 on conflict.
type eventStore struct {
	versions map[string]int
}

func newEventStore() *eventStore { return &eventStore{versions: map[string]int{}} }

var streamURL = regexp.MustCompile(`^https?://[^/]+/streams/([^/?#]+)$`)

func (s *eventStore) handle(method, u string, body *string, headers map[string]string) (int, string) {
	m := streamURL.FindStringSubmatch(u)
	if method != "POST" || m == nil {
		return 404, jsonText(map[string]string{"error": "not_found"})
	}
	streamID, err := url.PathUnescape(m[1])
	if err != nil {
		return 404, jsonText(map[string]string{"error": "not_found"})
	}
	var parsed interface{}
	if body == nil || json.Unmarshal([]byte(*body), &parsed) != nil {
		return 400, jsonText(map[string]string{"error": "invalid_json"})
	}
	var events []interface{}
	obj, isObj := parsed.(map[string]interface{})
	switch {
	case isArray(parsed):
		events = parsed.([]interface{})
	case isObj && isArray(obj["events"]):
		events = obj["events"].([]interface{})
	case isObj && truthy(obj["event"]):
		events = []interface{}{obj["event"]}
	default:
		events = []interface{}{parsed}
	}
	expected := -1
	for k, v := range headers {
		if strings.ToLower(k) == "if-match" {
			n, err := strconv.Atoi(strings.ReplaceAll(v, `"`, ""))
			if err != nil {
				n = -2 // Number('x') is NaN in the node:vm harness: never equal to a version
			}
			expected = n
		}
	}
	if expected == -1 && isObj {
		if n, ok := obj["expected_version"].(float64); ok {
			expected = int(n)
		}
	}
	if len(events) == 0 {
		return 400, jsonText(map[string]string{"error": "events_must_belong_to_the_stream"})
	}
	for _, e := range events {
		eo, ok := e.(map[string]interface{})
		if !ok || eo["stream_id"] != streamID {
			return 400, jsonText(map[string]string{"error": "events_must_belong_to_the_stream"})
		}
	}
	actual := s.versions[streamID]
	if expected != -1 && expected != actual {
		return 409, jsonText(struct {
			Error           string `json:"error"`
			StreamID        string `json:"stream_id"`
			ExpectedVersion int    `json:"expected_version"`
			ActualVersion   int    `json:"actual_version"`
		}{"conflict", streamID, expected, actual})
	}
	version := actual + len(events)
	s.versions[streamID] = version
	return 201, jsonText(struct {
		StreamID string `json:"stream_id"`
		Version  int    `json:"version"`
	}{streamID, version})
}

func isArray(v interface{}) bool {
	_, ok := v.([]interface{})
	return ok
}

func truthy(v interface{}) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case float64:
		return t != 0
	default:
		return true
	}
}
