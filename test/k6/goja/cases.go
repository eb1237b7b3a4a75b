package main

import (
	"fmt"
	"path/filepath"
	"runtime"

	js "github.com/grafana/sobek"
)

// BenchCase is one way of getting a session stream in a k6 script, compared with the others on
// the same terms: heap and init time per VU, then events/s of stream.next() and of
// JSON.stringify of the same events. Source is an ES module (placed in Dir, so its relative
// imports and open() resolve there) that defines `makeStream(partition)`; partition undefined
// means the VU's own (exec.vu.idInTest).
type BenchCase struct {
	Name   string `json:"name"`
	Dir    string `json:"dir"`
	Source string `json:"source"`
}

// CaseReport is a BenchCase's figures.
type CaseReport struct {
	Name  string  `json:"name"`
	Heap  HeapRow `json:"heap"`
	Speed Speed   `json:"speed"`
}

// What every case's script gets appended: a stream made in init and pulled by the default
// function (heap rows), and the timed loops (speed), named so as not to shadow k6's globals (open).
const caseHeapTail = `
const stream = makeStream();
export default function () { stream.next(); }
`

const caseSpeedTail = `
let benchEvents = [];
let benchStream;
export function benchOpen(w) { benchStream = makeStream(1); for (let i = 0; i < w; i++) benchStream.next(); }
export function benchPull(n) { const s = benchStream; let e; for (let i = 0; i < n; i++) e = s.next(); return 0; }
export function benchCollect(w, n) { benchOpen(w); benchEvents = []; for (let i = 0; i < n; i++) benchEvents.push(benchStream.next()); }
export function benchStringifyAll() { let chars = 0; for (let i = 0; i < benchEvents.length; i++) chars += JSON.stringify(benchEvents[i]).length; return chars; }
export default function () {}
`

func runCases(s *StandIns, b *BenchJob) ([]CaseReport, error) {
	out := make([]CaseReport, 0, len(b.Cases))
	for i, c := range b.Cases {
		script := filepath.Join(c.Dir, fmt.Sprintf("bench-case-%d.js", i))
		heap, err := heapRow(s, script, c.Name, c.Source+caseHeapTail, b.VUs, b.Iterations)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		speed, err := caseSpeed(s, script, c.Source+caseSpeedTail, b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		out = append(out, CaseReport{Name: c.Name, Heap: *heap, Speed: *speed})
	}
	return out, nil
}

func caseSpeed(s *StandIns, script, source string, b *BenchJob) (*Speed, error) {
	l := newLoader(s)
	l.sources[script] = source
	vu, err := newVU(l, script, "esm", nil, 1, 1, "bench", newEventStore())
	if err != nil {
		return nil, err
	}
	if err := vu.init(); err != nil {
		return nil, err
	}
	vu.host.phase = "vu"
	fn := func(name string) js.Callable { f, _ := js.AssertFunction(vu.exports.Get(name)); return f }
	n := vu.rt.ToValue(b.Events)
	if _, err := fn("benchCollect")(js.Undefined(), n, n); err != nil {
		return nil, err
	}
	chars, err := fn("benchStringifyAll")(js.Undefined())
	if err != nil {
		return nil, err
	}
	var pull, stringify float64
	for r := 0; r < b.Rounds; r++ {
		for _, name := range []string{"benchPull", "benchStringifyAll"} {
			if name == "benchPull" {
				if _, err := fn("benchOpen")(js.Undefined(), n); err != nil {
					return nil, err
				}
			}
			runtime.GC()
			t := cpuTime()
			var err error
			if name == "benchPull" {
				_, err = fn(name)(js.Undefined(), n)
			} else {
				_, err = fn(name)(js.Undefined())
			}
			ns := float64((cpuTime() - t).Nanoseconds()) / float64(b.Events)
			if err != nil {
				return nil, err
			}
			best := &pull
			if name != "benchPull" {
				best = &stringify
			}
			if r == 0 || ns < *best {
				*best = ns
			}
		}
	}
	return &Speed{Events: b.Events, NextNs: pull, StringifyNs: stringify, MeanEventBytes: float64(chars.ToInteger()) / float64(b.Events), NextOverStringify: pull / stringify}, nil
}
