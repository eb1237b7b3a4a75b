package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	js "github.com/grafana/sobek"
)

// BenchJob asks for the per-VU heap and the cost of stream.next() next to JSON.stringify.
type BenchJob struct {
	// Bundle is the absolute path of dist/k6/mockjutsu.js or dist/k6/mockjutsu.cjs.js.
	Bundle string `json:"bundle"`
	// Format: "esm" imports the bundle, "cjs" requires it (from an ES module script, as a k6
	// script before v0.53 would after Babel turned the script itself into CommonJS).
	Format string `json:"format"`
	// VUs: how many runtimes each heap row creates; Iterations: then run per VU.
	VUs        int `json:"vus"`
	Iterations int `json:"iterations"`
	// Events per timed loop, and how many rounds (the best round counts).
	Events int `json:"events"`
	Rounds int `json:"rounds"`
	// Cases: when given, only these are measured (see cases.go), not the bundle's own rows.
	Cases []BenchCase `json:"cases,omitempty"`

	jsProfile string
}

type HeapRow struct {
	Script         string  `json:"script"`
	VUs            int     `json:"vus"`
	Iterations     int     `json:"iterations"`
	InitMsPerVU    float64 `json:"initMsPerVu"`
	HeapKBPerVU    float64 `json:"heapKbPerVu"`
	HeapKBPerVUIts float64 `json:"heapKbPerVuAfterIterations"`
}

// Speed is nanoseconds per event of each loop, over the same events (same seed and partition).
type Speed struct {
	Events            int     `json:"events"`
	NextNs            float64 `json:"nextNs"`
	StringifyNs       float64 `json:"stringifyNs"`
	SerializeNs       float64 `json:"serializeNs"`
	NextSerializeNs   float64 `json:"nextSerializeNs"`
	MeanEventBytes    float64 `json:"meanEventBytes"`
	NextOverStringify float64 `json:"nextOverStringify"`
}

type BenchReport struct {
	Engine string       `json:"engine"`
	Format string       `json:"format"`
	Rows   []HeapRow    `json:"rows"`
	Speed  Speed        `json:"speed"`
	Cases  []CaseReport `json:"cases,omitempty"`
}

func heapAfterGC() uint64 {
	var m runtime.MemStats
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func (b *BenchJob) importLine(names string) string {
	base := filepath.Base(b.Bundle)
	if b.Format == "cjs" {
		return fmt.Sprintf("const { %s } = require('./%s');\n", names, base)
	}
	return fmt.Sprintf("import { %s } from './%s';\n", names, base)
}

func runBench(s *StandIns, b *BenchJob) (*BenchReport, error) {
	if b.VUs <= 0 {
		b.VUs = 100
	}
	if b.Events <= 0 {
		b.Events = 20000
	}
	if b.Rounds <= 0 {
		b.Rounds = 3
	}
	if b.Format == "" {
		b.Format = "esm"
	}
	if len(b.Cases) > 0 {
		cases, err := runCases(s, b)
		if err != nil {
			return nil, err
		}
		return &BenchReport{Engine: EngineName, Format: b.Format, Cases: cases}, nil
	}
	script := filepath.Join(filepath.Dir(b.Bundle), "bench-script.js")
	imp := b.importLine("sessionStream, serializeEvent")
	report := &BenchReport{Engine: EngineName, Format: b.Format}
	sessions := func(users int) string {
		return imp + fmt.Sprintf("const stream = sessionStream({ seed: '42', users: %d });\nexport default function () { stream.nextSession(); }", users)
	}
	few := b.VUs / 25
	if few < 1 {
		few = 1
	}
	rows := []struct {
		name, source    string
		vus, iterations int
	}{
		{"empty script", "export default function () {}", b.VUs, b.Iterations},
		{"import only", imp + "export default function () {}", b.VUs, b.Iterations},
		{"sessionStream, next()", imp + "const stream = sessionStream({ seed: '42' });\nexport default function () { serializeEvent(stream.next()); }", b.VUs, b.Iterations},
		{"sessionStream, nextSession()", sessions(1000), b.VUs, b.Iterations},
		// Long enough for the per-VU user-profile cache to fill (sessions draw from 1,000 users).
		{"nextSession(), users: 10", sessions(10), few, 40 * b.Iterations},
		{"nextSession(), users: 1000", sessions(1000), few, 40 * b.Iterations},
	}
	for _, row := range rows {
		r, err := heapRow(s, script, row.name, row.source, row.vus, row.iterations)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", row.name, err)
		}
		report.Rows = append(report.Rows, *r)
	}
	speed, err := speedOf(s, script, imp, b)
	if err != nil {
		return nil, err
	}
	report.Speed = *speed
	return report, nil
}

func heapRow(s *StandIns, script, name, source string, count, iterations int) (*HeapRow, error) {
	l := newLoader(s)
	l.sources[script] = source
	store := newEventStore()
	// One VU first, so that parsing the files (once per run, shared by all VUs in k6 too) is
	// not counted per VU.
	warm, err := newVU(l, script, "esm", nil, 0, 0, "bench", store)
	if err != nil {
		return nil, err
	}
	if err := warm.init(); err != nil {
		return nil, err
	}
	base := heapAfterGC()
	vus := make([]*VU, 0, count)
	t0 := time.Now()
	for i := 1; i <= count; i++ {
		vu, err := newVU(l, script, "esm", nil, i, i, "bench", store)
		if err != nil {
			return nil, err
		}
		if err := vu.init(); err != nil {
			return nil, err
		}
		vus = append(vus, vu)
	}
	initMs := float64(time.Since(t0).Microseconds()) / 1000 / float64(count)
	afterInit := heapAfterGC()
	for _, vu := range vus {
		for i := 0; i < iterations; i++ {
			if _, err := vu.iterate("", nil); err != nil {
				return nil, err
			}
		}
	}
	afterIterations := heapAfterGC()
	runtime.KeepAlive(vus)
	runtime.KeepAlive(warm)
	kb := func(after uint64) float64 { return (float64(after) - float64(base)) / float64(count) / 1024 }
	return &HeapRow{Script: name, VUs: count, Iterations: iterations, InitMsPerVU: initMs, HeapKBPerVU: kb(afterInit), HeapKBPerVUIts: kb(afterIterations)}, nil
}

// The timed loops of every speed measurement, appended to a script that defines
// `makeStream(partition)` (the bundle's own rows and each BenchCase alike). They run inside the
// VU; Go times each call. `benchOpen(w)` starts a stream and pulls w events untimed, so its
// caches (users, products) are as warm as in a VU that has run a while; `benchCollect` keeps the
// next events, so JSON.stringify writes the very events `benchPull` generates. Named so as not
// to shadow k6's globals (open).
const speedTail = `
let benchEvents = [];
let benchStream;
export function benchOpen(w) { benchStream = makeStream(1); for (let i = 0; i < w; i++) benchStream.next(); }
export function benchPull(n) { const s = benchStream; let e; for (let i = 0; i < n; i++) e = s.next(); return e.global_position; }
export function benchCollect(w, n) { benchOpen(w); benchEvents = []; for (let i = 0; i < n; i++) benchEvents.push(benchStream.next()); }
export function benchStringifyAll() { let chars = 0; for (let i = 0; i < benchEvents.length; i++) chars += JSON.stringify(benchEvents[i]).length; return chars; }
export default function () {}
`

// The bundle's own speed row: the shop's stream, and serializeEvent next to JSON.stringify of
// the same events (benchCheck: they write the same text).
const speedScript = `
function makeStream(partition) { return sessionStream({ seed: '42', partition: partition }); }
export function benchSerializeAll() { let chars = 0; for (let i = 0; i < benchEvents.length; i++) chars += serializeEvent(benchEvents[i]).length; return chars; }
export function benchPullSerialize(n) { const s = benchStream; let chars = 0; for (let i = 0; i < n; i++) chars += serializeEvent(s.next()).length; return chars; }
export function benchCheck() { for (let i = 0; i < benchEvents.length; i++) if (JSON.stringify(benchEvents[i]) !== serializeEvent(benchEvents[i])) return i; return -1; }
`

func speedOf(s *StandIns, script, imp string, b *BenchJob) (*Speed, error) {
	best, meanBytes, err := speedLoops(s, script, imp+speedScript+speedTail, b, []string{"benchPull", "benchStringifyAll", "benchSerializeAll", "benchPullSerialize"}, b.jsProfile)
	if err != nil {
		return nil, err
	}
	next, stringify, serialize, nextSerialize := best[0], best[1], best[2], best[3]
	return &Speed{
		Events: b.Events, NextNs: next, StringifyNs: stringify, SerializeNs: serialize, NextSerializeNs: nextSerialize,
		MeanEventBytes: meanBytes, NextOverStringify: next / stringify,
	}, nil
}

// speedLoops runs source (a script ending in speedTail) in one VU and times the loops named,
// in rounds that interleave them: each loop's best round counts, as CPU nanoseconds per event.
// A loop named benchPull... pulls b.Events events of a fresh stream, warmed up by as many
// (benchOpen, not timed), so every loop covers the same events from the same state. Before
// timing, benchCheck, when the script has it, must find nothing (-1). With jsProfile, the first
// round of the first loop writes a JS profile there. Also returns the mean event size in bytes.
func speedLoops(s *StandIns, script, source string, b *BenchJob, names []string, jsProfile string) ([]float64, float64, error) {
	l := newLoader(s)
	l.sources[script] = source
	vu, err := newVU(l, script, "esm", nil, 1, 1, "bench", newEventStore())
	if err != nil {
		return nil, 0, err
	}
	if err := vu.init(); err != nil {
		return nil, 0, err
	}
	vu.host.phase = "vu"
	fn := func(name string) js.Callable { f, _ := js.AssertFunction(vu.exports.Get(name)); return f }
	n := vu.rt.ToValue(b.Events)
	if _, err := fn("benchCollect")(js.Undefined(), n, n); err != nil {
		return nil, 0, err
	}
	if check, ok := js.AssertFunction(vu.exports.Get("benchCheck")); ok {
		if v, err := check(js.Undefined()); err != nil || v.ToInteger() != -1 {
			return nil, 0, fmt.Errorf("serializeEvent differs from JSON.stringify at event %v (%v)", v, err)
		}
	}
	chars, err := fn("benchStringifyAll")(js.Undefined())
	if err != nil {
		return nil, 0, err
	}
	// Each loop's cost is the process's CPU time (user + system, all threads: the garbage
	// collector's work for what a loop allocated counts), not wall time, so a loaded machine
	// slows neither side.
	best := make([]float64, len(names))
	var profile bytes.Buffer
	for r := 0; r < b.Rounds; r++ {
		for i, name := range names {
			var args []js.Value
			if strings.HasPrefix(name, "benchPull") {
				if _, err := fn("benchOpen")(js.Undefined(), n); err != nil {
					return nil, 0, err
				}
				args = []js.Value{n}
			}
			runtime.GC()
			profiling := jsProfile != "" && i == 0 && r == 0
			if profiling {
				if err := js.StartProfile(&profile); err != nil {
					return nil, 0, err
				}
			}
			t := cpuTime()
			var err error
			callgrindCount(name, func() { _, err = fn(name)(js.Undefined(), args...) })
			d := cpuTime() - t
			if profiling {
				js.StopProfile()
			}
			if err != nil {
				return nil, 0, err
			}
			ns := float64(d.Nanoseconds()) / float64(b.Events)
			if r == 0 || ns < best[i] {
				best[i] = ns
			}
		}
	}
	if jsProfile != "" {
		if err := writeFile(jsProfile, profile.Bytes()); err != nil {
			return nil, 0, err
		}
	}
	return best, float64(chars.ToInteger()) / float64(b.Events), nil
}

