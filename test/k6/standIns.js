// The stand-ins for k6's modules (`k6`, `k6/execution`, `k6/http`, `k6/metrics`, `k6/data`) and
// globals (`console`, `open`), shared by both test runtimes: the node:vm harness (k6Harness.ts)
// and the goja runner (goja/main.go) evaluate this one expression in each VU and call it with
// their `host`, so the script never holds a host object and both engines see the same k6.
// `host` has: getPhase() -> 'init' | 'setup' | 'vu', noteExecRead(what), vuInfo() and
// scenarioInfo() -> JSON text, request(method, url, body|null, paramsJson) -> JSON text,
// check(name, ok), metric(name, type, value, tagsJson), log(level, text), open(path) -> text.
(function (host) {
  'use strict';
  function inInit(what) { return host.getPhase() === 'init'; }
  function text(args) { return Array.prototype.map.call(args, function (a) { return typeof a === 'string' ? a : JSON.stringify(a); }).join(' '); }
  var console = {
    log: function () { host.log('info', text(arguments)); },
    info: function () { host.log('info', text(arguments)); },
    warn: function () { host.log('warn', text(arguments)); },
    error: function () { host.log('error', text(arguments)); },
    debug: function () { host.log('debug', text(arguments)); },
  };
  function open(path) {
    if (!inInit()) throw new Error('The "open()" function is only available in the init stage');
    return host.open(String(path));
  }

  function vuInfo() {
    host.noteExecRead('vu');
    if (inInit()) throw new Error('getting VU information in the init context is not supported');
    var v = JSON.parse(host.vuInfo());
    v.tags = {};
    v.metrics = { tags: {}, metadata: {} };
    return Object.freeze(v);
  }
  function scenarioInfo() {
    host.noteExecRead('scenario');
    if (inInit()) throw new Error('getting scenario information outside of the VU context is not supported');
    return Object.freeze(JSON.parse(host.scenarioInfo()));
  }
  function instanceInfo() {
    host.noteExecRead('instance');
    if (inInit()) throw new Error('getting instance information in the init context is not supported');
    return Object.freeze({ iterationsInterrupted: 0, iterationsCompleted: 0, vusActive: 1, vusInitialized: 1, currentTestRunDuration: 0 });
  }
  var execution = {};
  Object.defineProperty(execution, 'vu', { get: vuInfo, enumerable: true });
  Object.defineProperty(execution, 'scenario', { get: scenarioInfo, enumerable: true });
  Object.defineProperty(execution, 'instance', { get: instanceInfo, enumerable: true });
  Object.defineProperty(execution, 'test', { get: function () { host.noteExecRead('test'); return { abort: function (m) { throw new Error('test aborted: ' + m); }, options: {} }; }, enumerable: true });

  function bodyText(body) {
    if (body === undefined || body === null) return null;
    if (typeof body === 'string') return body;
    if (typeof body === 'object') return Object.keys(body).map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(String(body[k])); }).join('&');
    return String(body);
  }
  function request(method, url, body, params) {
    if (inInit()) throw new Error('Making http requests in the init context is not supported');
    var r = JSON.parse(host.request(method, String(url), bodyText(body), JSON.stringify(params || {})));
    return {
      status: r.status, body: r.body, headers: r.headers, error: '', error_code: 0, timings: { duration: 1, waiting: 1 },
      json: function (selector) { var v = JSON.parse(r.body); return selector === undefined ? v : v[selector]; },
    };
  }
  var http = {
    request: function (method, url, body, params) { return request(String(method).toUpperCase(), url, body, params); },
    get: function (url, params) { return request('GET', url, null, params); },
    head: function (url, params) { return request('HEAD', url, null, params); },
    del: function (url, body, params) { return request('DELETE', url, body, params); },
    options: function (url, body, params) { return request('OPTIONS', url, body, params); },
    patch: function (url, body, params) { return request('PATCH', url, body, params); },
    post: function (url, body, params) { return request('POST', url, body, params); },
    put: function (url, body, params) { return request('PUT', url, body, params); },
    batch: function (reqs) { return reqs.map(function (q) { return Array.isArray(q) ? request(q[0], q[1], q[2], q[3]) : request(q.method, q.url, q.body, q.params); }); },
  };

  function check(value, sets, tags) {
    var all = true;
    Object.keys(sets).forEach(function (name) {
      var c = sets[name];
      var ok = !!(typeof c === 'function' ? c(value) : c);
      host.check(name, ok);
      all = all && ok;
    });
    return all;
  }
  var k6 = {
    check: check,
    sleep: function () {},
    group: function (name, fn) { return fn(); },
    fail: function (message) { throw new Error(message); },
    randomSeed: function () {},
  };

  function metric(type) {
    function M(name) {
      if (!inInit()) throw new Error('metrics must be declared in the init context');
      if (typeof name !== 'string' || name === '') throw new Error('a metric needs a name');
      this.name = name;
    }
    M.prototype.add = function (value, tags) {
      if (inInit()) throw new Error('metrics cannot be added to in the init context');
      host.metric(this.name, type, Number(value), JSON.stringify(tags || {}));
    };
    return M;
  }

  function SharedArray(name, fn) {
    if (!inInit()) throw new Error('new SharedArray must be called in the init context');
    var data = fn();
    if (!Array.isArray(data)) throw new Error('only arrays can be made into SharedArray');
    var json = JSON.stringify(data);
    return Object.freeze(JSON.parse(json).map(function (x) { return Object.freeze(x); }));
  }

  return {
    globals: { console: console, open: open },
    modules: {
      'k6': Object.assign({ default: k6 }, k6),
      'k6/execution': { default: execution },
      'k6/http': Object.assign({ default: http }, http),
      'k6/metrics': { Counter: metric('counter'), Gauge: metric('gauge'), Rate: metric('rate'), Trend: metric('trend') },
      'k6/data': { SharedArray: SharedArray },
    },
  };
})
