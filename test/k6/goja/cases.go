package main

import (
	"fmt"
	"path/filepath"
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

// What every case's script gets appended for its heap row: a stream made in init and pulled by
// the default function. Its speed row appends speedTail (bench.go), the loops the bundle's own
// speed row times.
const caseHeapTail = `
const stream = makeStream();
export default function () { stream.next(); }
`

func runCases(s *StandIns, b *BenchJob) ([]CaseReport, error) {
	out := make([]CaseReport, 0, len(b.Cases))
	for i, c := range b.Cases {
		script := filepath.Join(c.Dir, fmt.Sprintf("bench-case-%d.js", i))
		heap, err := heapRow(s, script, c.Name, c.Source+caseHeapTail, b.VUs, b.Iterations)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		speed, err := caseSpeed(s, script, c.Source, b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		out = append(out, CaseReport{Name: c.Name, Heap: *heap, Speed: *speed})
	}
	return out, nil
}

func caseSpeed(s *StandIns, script, source string, b *BenchJob) (*Speed, error) {
	best, meanBytes, err := speedLoops(s, script, source+speedTail, b, []string{"benchPull", "benchStringifyAll"}, "")
	if err != nil {
		return nil, err
	}
	return &Speed{Events: b.Events, NextNs: best[0], StringifyNs: best[1], MeanEventBytes: meanBytes, NextOverStringify: best[0] / best[1]}, nil
}
