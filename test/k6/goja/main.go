// Command k6goja runs k6 scripts that use the built mockjutsu bundle inside sobek, the goja fork
// that k6 runs (github.com/grafana/sobek; k6 ran github.com/dop251/goja before v0.52), with the
// same stand-ins for k6's modules as the node:vm harness (../standIns.js). It is the closest
// thing to k6 that can run here: k6 itself is not fetched or built.
//
// The test (../gojaRunner.ts) builds it with `go build` and talks to it over stdin/stdout, one
// JSON object a line:
//
//	{"id":1,"job":{...K6Job...}}     -> {"id":1,"report":{...K6RunReport...}}
//	{"id":2,"bench":{...BenchJob...}} -> {"id":2,"bench":{...BenchReport...}}
//
// Jobs mirror test/k6/k6Harness.ts: k6 first runs the init context once to read `options`, then
// `setup` in its own VU, then inits every VU and iterates each in turn. A job's script is an ES
// module (k6 >= 0.53 loads those natively; so does sobek) unless "format" is "cjs"; `require`
// is a global in both cases, as in k6, and loads CommonJS files (mockjutsu.cjs.js).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
)

type request struct {
	ID    int       `json:"id"`
	Job   *Job      `json:"job,omitempty"`
	Bench *BenchJob `json:"bench,omitempty"`
}

type response struct {
	ID     int          `json:"id"`
	Report *RunReport   `json:"report,omitempty"`
	Bench  *BenchReport `json:"bench,omitempty"`
	Error  string       `json:"error,omitempty"`
}

func main() {
	standInsPath := flag.String("standins", "", "path of standIns.js (the k6 module stand-ins)")
	benchPath := flag.String("bench", "", "run this bench job (JSON file) once, print its report and exit")
	cpuProfile := flag.String("cpuprofile", "", "with -bench: write a Go CPU profile here")
	jsProfile := flag.String("jsprofile", "", "with -bench: write sobek's JavaScript profile (pprof format) here")
	flag.Parse()
	if *standInsPath == "" {
		fmt.Fprintln(os.Stderr, "k6goja: -standins path/to/standIns.js is required")
		os.Exit(2)
	}
	src, err := os.ReadFile(*standInsPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "k6goja:", err)
		os.Exit(2)
	}
	standIns, err := newStandIns(string(src))
	if err != nil {
		fmt.Fprintln(os.Stderr, "k6goja: stand-ins:", err)
		os.Exit(2)
	}

	if *benchPath != "" {
		text, err := os.ReadFile(*benchPath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "k6goja:", err)
			os.Exit(2)
		}
		var job BenchJob
		if err := json.Unmarshal(text, &job); err != nil {
			fmt.Fprintln(os.Stderr, "k6goja:", err)
			os.Exit(2)
		}
		if *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				fmt.Fprintln(os.Stderr, "k6goja:", err)
				os.Exit(2)
			}
			_ = pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
		job.jsProfile = *jsProfile
		report, err := runBench(standIns, &job)
		if err != nil {
			fmt.Fprintln(os.Stderr, "k6goja:", err)
			os.Exit(1)
		}
		out, _ := json.MarshalIndent(report, "", "  ")
		fmt.Println(string(out))
		return
	}

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		var req request
		var resp response
		if err := json.Unmarshal([]byte(line), &req); err != nil {
			resp.Error = "bad request: " + err.Error()
		} else {
			resp.ID = req.ID
			switch {
			case req.Job != nil:
				resp.Report, err = runJob(standIns, req.Job)
			case req.Bench != nil:
				resp.Bench, err = runBench(standIns, req.Bench)
			default:
				err = fmt.Errorf("request has neither job nor bench")
			}
			if err != nil {
				resp.Error = err.Error()
			}
		}
		if err := out.Encode(&resp); err != nil {
			fmt.Fprintln(os.Stderr, "k6goja:", err)
			os.Exit(1)
		}
	}
}

// absPath resolves a path relative to the file that refers to it.
func absPath(from, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Clean(filepath.Join(filepath.Dir(from), path))
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }
