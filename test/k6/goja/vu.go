package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	js "github.com/grafana/sobek"
)

// Job is one run of a script by one k6 instance (K6Job in ../k6Harness.ts).
type Job struct {
	Script     string            `json:"script"`
	Source     *string           `json:"source,omitempty"`
	Env        map[string]string `json:"env,omitempty"`
	VUs        []int             `json:"vus"`
	Iterations int               `json:"iterations"`
	Exec       string            `json:"exec,omitempty"`
	Scenario   string            `json:"scenario,omitempty"`
	// "esm" (default): the script is an ES module; "cjs": a CommonJS file (module.exports).
	Format string `json:"format,omitempty"`
}

// ErrorReport is an exception as seen from the host.
type ErrorReport struct {
	Name    string `json:"name"`
	Message string `json:"message"`
	Code    string `json:"code,omitempty"`
}

type IterationReport struct {
	Result *string      `json:"result,omitempty"`
	Error  *ErrorReport `json:"error,omitempty"`
}

type RequestRecord struct {
	Method   string            `json:"method"`
	URL      string            `json:"url"`
	Body     *string           `json:"body"`
	Headers  map[string]string `json:"headers"`
	Tags     map[string]string `json:"tags"`
	Status   int               `json:"status"`
	Response string            `json:"response"`
}

type CheckRecord struct {
	Name string `json:"name"`
	OK   bool   `json:"ok"`
}

type MetricRecord struct {
	Name  string            `json:"name"`
	Type  string            `json:"type"`
	Value float64           `json:"value"`
	Tags  map[string]string `json:"tags"`
}

type VuReport struct {
	VU             int               `json:"vu"`
	IDInTest       int               `json:"idInTest"`
	ExecReadInInit []string          `json:"execReadInInit"`
	InitError      *ErrorReport      `json:"initError,omitempty"`
	Iterations     []IterationReport `json:"iterations"`
	Requests       []RequestRecord   `json:"requests"`
	Checks         []CheckRecord     `json:"checks"`
	Metrics        []MetricRecord    `json:"metrics"`
	Logs           []string          `json:"logs"`
	Globals        []string          `json:"globals"`
}

type RunReport struct {
	Options               *string      `json:"options"`
	OptionsError          *ErrorReport `json:"optionsError,omitempty"`
	OptionsExecReadInInit []string     `json:"optionsExecReadInInit"`
	SetupError            *ErrorReport `json:"setupError,omitempty"`
	VUs                   []VuReport   `json:"vus"`
	// Engine names the JavaScript engine that ran the job.
	Engine string `json:"engine"`
}

// EngineName is reported with every run.
const EngineName = "sobek"

// standInsKey is where a VU keeps its stand-in modules (a symbol: not among the global names).
const standInsKey = "mockjutsu.k6.standIns"

// StandIns holds the stand-ins' source and, per module, the names it exports.
type StandIns struct {
	source  string
	program *js.Program
	exports map[string][]string
}

func newStandIns(source string) (*StandIns, error) {
	program, err := js.Compile("standIns.js", source, false)
	if err != nil {
		return nil, err
	}
	s := &StandIns{source: source, program: program, exports: map[string][]string{}}
	// Learn the module names and their exports once, with a host that is never called.
	rt := js.New()
	fn, err := rt.RunProgram(program)
	if err != nil {
		return nil, err
	}
	call, ok := js.AssertFunction(fn)
	if !ok {
		return nil, fmt.Errorf("standIns.js does not evaluate to a function")
	}
	v, err := call(js.Undefined(), rt.NewObject())
	if err != nil {
		return nil, err
	}
	modules := v.ToObject(rt).Get("modules").ToObject(rt)
	for _, name := range modules.Keys() {
		s.exports[name] = modules.Get(name).ToObject(rt).Keys()
	}
	return s, nil
}

// moduleSource is an ES module re-exporting a stand-in from the VU's hidden registry.
func (s *StandIns) moduleSource(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "const m = globalThis[Symbol.for(%q)].modules[%q];\n", standInsKey, name)
	for i, n := range s.exports[name] {
		if n == "default" {
			b.WriteString("export default m.default;\n")
		} else {
			fmt.Fprintf(&b, "const x%d = m[%q];\nexport { x%d as %s };\n", i, n, i, n)
		}
	}
	return b.String()
}

// loader parses each file once per job (as k6 compiles once per run) for every VU to instantiate.
type loader struct {
	standIns *StandIns
	modules  map[string]js.ModuleRecord // by absolute path or stand-in name
	paths    map[js.ModuleRecord]string
	programs map[string]*js.Program // CommonJS files, wrapped
	sources  map[string]string      // inline sources by path
}

func newLoader(s *StandIns) *loader {
	return &loader{standIns: s, modules: map[string]js.ModuleRecord{}, paths: map[js.ModuleRecord]string{}, programs: map[string]*js.Program{}, sources: map[string]string{}}
}

func (l *loader) read(path string) (string, error) {
	if src, ok := l.sources[path]; ok {
		return src, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// resolve is sobek's HostResolveImportedModuleFunc.
func (l *loader) resolve(referencing interface{}, specifier string) (js.ModuleRecord, error) {
	key := specifier
	_, standIn := l.standIns.exports[specifier]
	if !standIn {
		if !strings.HasPrefix(specifier, "./") && !strings.HasPrefix(specifier, "../") && !strings.HasPrefix(specifier, "/") && !strings.HasPrefix(specifier, "file://") {
			return nil, fmt.Errorf("module %q is not available in k6", specifier)
		}
		from := ""
		if m, ok := referencing.(js.ModuleRecord); ok {
			from = l.paths[m]
		}
		key = absPath(from, strings.TrimPrefix(specifier, "file://"))
	}
	if m, ok := l.modules[key]; ok {
		return m, nil
	}
	var src string
	if standIn {
		src = l.standIns.moduleSource(specifier)
	} else {
		var err error
		if src, err = l.read(key); err != nil {
			return nil, err
		}
	}
	m, err := js.ParseModule(key, src, l.resolve)
	if err != nil {
		return nil, err
	}
	l.modules[key] = m
	l.paths[m] = key
	return m, nil
}

// commonJS compiles a CommonJS file once, wrapped as k6 wraps it.
func (l *loader) commonJS(path string) (*js.Program, error) {
	if p, ok := l.programs[path]; ok {
		return p, nil
	}
	src, err := l.read(path)
	if err != nil {
		return nil, err
	}
	p, err := js.Compile(path, "(function (exports, require, module, __filename, __dirname) {"+src+"\n})", false)
	if err != nil {
		return nil, err
	}
	l.programs[path] = p
	return p, nil
}

// VU is one k6 VU: its own runtime, module instances and host.
type VU struct {
	rt        *js.Runtime
	host      *vuHost
	loader    *loader
	script    string
	format    string
	standIns  *js.Object
	exports   *js.Object // namespace (ESM) or module.exports (CJS) of the script
	cjs       map[string]js.Value
	stringify js.Callable
}

func newVU(l *loader, script, format string, env map[string]string, vu, idInTest int, scenario string, store *eventStore) (*VU, error) {
	rt := js.New()
	v := &VU{rt: rt, loader: l, script: script, format: format, cjs: map[string]js.Value{}}
	v.host = newVUHost(vu, idInTest, scenario, store, script)
	fn, err := rt.RunProgram(l.standIns.program)
	if err != nil {
		return nil, err
	}
	call, _ := js.AssertFunction(fn)
	si, err := call(js.Undefined(), v.host.object(rt))
	if err != nil {
		return nil, err
	}
	v.standIns = si.ToObject(rt)
	g := rt.GlobalObject()
	sym, err := rt.RunString(fmt.Sprintf("Symbol.for(%q)", standInsKey))
	if err != nil {
		return nil, err
	}
	if err := g.SetSymbol(sym.(*js.Symbol), v.standIns); err != nil {
		return nil, err
	}
	globals := v.standIns.Get("globals").ToObject(rt)
	g.Set("console", globals.Get("console"))
	g.Set("open", globals.Get("open"))
	envObj := rt.NewObject()
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		envObj.Set(k, env[k])
	}
	g.Set("__ENV", envObj)
	g.Set("__VU", 0)
	g.Set("__ITER", 0)
	g.Set("require", v.requireFrom(script))
	v.stringify, _ = js.AssertFunction(g.Get("JSON").ToObject(rt).Get("stringify"))
	return v, nil
}

// requireFrom is k6's `require` as seen from one file: stand-ins give what k6's modules give
// (the default export alone when there are no named ones, else the named ones plus `default`
// and `__esModule`); relative paths load CommonJS files.
func (v *VU) requireFrom(from string) func(js.FunctionCall) js.Value {
	return func(call js.FunctionCall) js.Value {
		rt := v.rt
		spec := call.Argument(0).String()
		if _, ok := v.loader.standIns.exports[spec]; ok {
			m := v.standIns.Get("modules").ToObject(rt).Get(spec).ToObject(rt)
			keys := m.Keys()
			if len(keys) == 1 && keys[0] == "default" {
				return m.Get("default")
			}
			out := rt.NewObject()
			for _, k := range keys {
				out.Set(k, m.Get(k))
			}
			if m.Get("default") == nil {
				return out
			}
			out.Set("__esModule", true)
			return out
		}
		if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") && !strings.HasPrefix(spec, "/") {
			panic(rt.NewGoError(fmt.Errorf("module %q is not available in k6", spec)))
		}
		exports, err := v.loadCommonJS(absPath(from, spec))
		if err != nil {
			panic(rt.NewGoError(err))
		}
		return exports
	}
}

func (v *VU) loadCommonJS(path string) (js.Value, error) {
	if e, ok := v.cjs[path]; ok {
		return e, nil
	}
	p, err := v.loader.commonJS(path)
	if err != nil {
		return nil, err
	}
	rt := v.rt
	fn, err := rt.RunProgram(p)
	if err != nil {
		return nil, err
	}
	wrapper, _ := js.AssertFunction(fn)
	module := rt.NewObject()
	exports := rt.NewObject()
	module.Set("exports", exports)
	v.cjs[path] = exports // cycles see the exports so far, as in Node
	if _, err := wrapper(js.Undefined(), exports, rt.ToValue(v.requireFrom(path)), module, rt.ToValue(path), rt.ToValue(absPath(path, "."))); err != nil {
		delete(v.cjs, path)
		return nil, err
	}
	e := module.Get("exports")
	v.cjs[path] = e
	return e, nil
}

// init runs the init context: loads and evaluates the script and what it imports.
func (v *VU) init() error {
	if v.format == "cjs" {
		e, err := v.loadCommonJS(v.script)
		if err != nil {
			return err
		}
		v.exports = e.ToObject(v.rt)
		return nil
	}
	m, err := v.loader.resolve(nil, v.script)
	if err != nil {
		return err
	}
	cm, ok := m.(js.CyclicModuleRecord)
	if !ok {
		return fmt.Errorf("%s is not a source text module", v.script)
	}
	if err := cm.Link(); err != nil {
		return err
	}
	promise := v.rt.CyclicModuleRecordEvaluate(cm, v.loader.resolve)
	switch promise.State() {
	case js.PromiseStateRejected:
		return &thrown{promise.Result()}
	case js.PromiseStatePending:
		return fmt.Errorf("the module did not finish evaluating (top-level await is not used by k6 scripts here)")
	}
	v.exports = v.rt.NamespaceObjectFor(m)
	return nil
}

// iterate calls the iteration function once (as k6 would, with `data` from setup).
func (v *VU) iterate(fnName string, data js.Value) (js.Value, error) {
	g := v.rt.GlobalObject()
	v.host.phase = "vu"
	g.Set("__VU", v.host.vu)
	g.Set("__ITER", v.host.iterationInInstance)
	defer func() { v.host.iterationInInstance++ }()
	if fnName == "" {
		fnName = "default"
	}
	fn, ok := js.AssertFunction(v.exports.Get(fnName))
	if !ok {
		return nil, fmt.Errorf("the script exports no function %q", fnName)
	}
	if data == nil {
		data = js.Undefined()
	}
	return fn(js.Undefined(), data)
}

func (v *VU) toJSON(value js.Value) (*string, error) {
	s, err := v.stringify(js.Undefined(), value)
	if err != nil {
		return nil, err
	}
	if js.IsUndefined(s) {
		return nil, nil
	}
	text := s.String()
	return &text, nil
}

func (v *VU) globalNames() []string {
	names := []string{}
	o := v.rt.GlobalObject()
	for _, k := range o.GetOwnPropertyNames() {
		names = append(names, k)
	}
	return names
}

// thrown is a value a rejected module evaluation threw.
type thrown struct{ value js.Value }

func (t *thrown) Error() string { return t.value.String() }

func errorReport(rt *js.Runtime, err error) *ErrorReport {
	if t, ok := err.(*thrown); ok {
		// A rejected evaluation may hold the exception as a Go value.
		if ex, ok := t.value.Export().(*js.Exception); ok {
			return valueErrorReport(rt, ex.Value())
		}
		return valueErrorReport(rt, t.value)
	}
	if ex, ok := err.(*js.Exception); ok {
		return valueErrorReport(rt, ex.Value())
	}
	if se, ok := err.(*js.CompilerSyntaxError); ok {
		return &ErrorReport{Name: "SyntaxError", Message: se.Error()}
	}
	return &ErrorReport{Name: "Error", Message: err.Error()}
}

func valueErrorReport(rt *js.Runtime, v js.Value) *ErrorReport {
	if o, ok := v.(*js.Object); ok && rt != nil {
		r := &ErrorReport{Name: "Error", Message: v.String()}
		if n := o.Get("name"); n != nil && !js.IsUndefined(n) {
			r.Name = n.String()
		}
		if m := o.Get("message"); m != nil && !js.IsUndefined(m) {
			r.Message = m.String()
		}
		if c := o.Get("code"); c != nil {
			if s, ok := c.Export().(string); ok {
				r.Code = s
			}
		}
		return r
	}
	if v == nil {
		return &ErrorReport{Name: "Thrown", Message: "undefined"}
	}
	return &ErrorReport{Name: "Thrown", Message: v.String()}
}

func runJob(s *StandIns, job *Job) (*RunReport, error) {
	l := newLoader(s)
	script := absPath("", job.Script)
	if job.Source != nil {
		l.sources[script] = *job.Source
	}
	scenario := job.Scenario
	if scenario == "" {
		scenario = "default"
	}
	store := newEventStore()
	report := &RunReport{OptionsExecReadInInit: []string{}, VUs: []VuReport{}, Engine: EngineName}

	// k6 first runs the init context once just to read `options`.
	probe, err := newVU(l, script, job.Format, job.Env, 0, 0, scenario, store)
	if err != nil {
		return nil, err
	}
	if err := probe.init(); err != nil {
		report.OptionsError = errorReport(probe.rt, err)
	} else if o := probe.exports.Get("options"); o != nil && !js.IsUndefined(o) {
		if report.Options, err = probe.toJSON(o); err != nil {
			report.OptionsError = errorReport(probe.rt, err)
		}
	}
	report.OptionsExecReadInInit = probe.host.execReadInInit
	if report.OptionsError != nil {
		return report, nil
	}

	var setupJSON *string
	if _, ok := js.AssertFunction(probe.exports.Get("setup")); ok {
		setupVU, err := newVU(l, script, job.Format, job.Env, 0, 0, scenario, store)
		if err != nil {
			return nil, err
		}
		if err := setupVU.init(); err != nil {
			report.SetupError = errorReport(setupVU.rt, err)
			return report, nil
		}
		setupVU.host.phase = "setup"
		setup, _ := js.AssertFunction(setupVU.exports.Get("setup"))
		out, err := setup(js.Undefined())
		if err == nil {
			setupJSON, err = setupVU.toJSON(out)
		}
		if err != nil {
			report.SetupError = errorReport(setupVU.rt, err)
			return report, nil
		}
	}

	vus := make([]*VU, len(job.VUs))
	initErrors := make([]*ErrorReport, len(job.VUs))
	for i, id := range job.VUs {
		if vus[i], err = newVU(l, script, job.Format, job.Env, i+1, id, scenario, store); err != nil {
			return nil, err
		}
		if err := vus[i].init(); err != nil {
			initErrors[i] = errorReport(vus[i].rt, err)
		}
	}
	iterationInTest := 0
	for i, vu := range vus {
		iterations := []IterationReport{}
		globals := vu.globalNames()
		if initErrors[i] == nil {
			var data js.Value
			if setupJSON != nil {
				// Each VU gets its own copy of setup's data, through JSON as in k6.
				parse, _ := js.AssertFunction(vu.rt.GlobalObject().Get("JSON").ToObject(vu.rt).Get("parse"))
				if data, err = parse(js.Undefined(), vu.rt.ToValue(*setupJSON)); err != nil {
					return nil, err
				}
			}
			for n := 0; n < job.Iterations; n++ {
				vu.host.iterationInTest = iterationInTest
				iterationInTest++
				result, err := vu.iterate(job.Exec, data)
				if err != nil {
					iterations = append(iterations, IterationReport{Error: errorReport(vu.rt, err)})
					continue
				}
				if js.IsUndefined(result) {
					iterations = append(iterations, IterationReport{})
					continue
				}
				text, err := vu.toJSON(result)
				if err != nil {
					iterations = append(iterations, IterationReport{Error: errorReport(vu.rt, err)})
					continue
				}
				iterations = append(iterations, IterationReport{Result: text})
			}
		}
		h := vu.host
		report.VUs = append(report.VUs, VuReport{
			VU: h.vu, IDInTest: h.idInTest, ExecReadInInit: h.execReadInInit, InitError: initErrors[i],
			Iterations: iterations, Requests: h.requests, Checks: h.checks, Metrics: h.metrics, Logs: h.logs, Globals: globals,
		})
	}
	return report, nil
}
