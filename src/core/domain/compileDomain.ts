import { MockjutsuError } from '../mockjutsuError.js';
import { compileExpression, type ScopeEntry } from './expression/index.js';
import { BUILTIN_SIGNATURES, DRAWING_BUILTINS } from './expression/builtinSignatures.js';
import { ENVELOPE_FIELDS } from './domainDefinition.js';
import { IDENTIFIER_RE } from './domainChecks.js';
import { UNSAFE_KEYS, checkDomain, fieldDrawSlots, finishDomain, jsLiteral, type CompiledDomain, type DomainProgramFactory } from './linkDomain.js';
import { planGuarded } from './guardPlan.js';
import { walkEventSource, walkSource } from './walkSource.js';

// Program generation: a domain's expressions -> one JS program (needs the expression parser).
// Validation and linking live in linkDomain.ts, so a program generated ahead links without this
// file (the k6 bundle swaps it for a stub that says to compile ahead).
export type {
  IdKind, CompiledAggregate, InstanceRule, PayloadSchemaSource, CompiledEventType, EnvelopeColumn, CompiledDomain,
  DomainProgram, DomainProgramFactory,
} from './linkDomain.js';
export { jsLiteral } from './linkDomain.js';

/** A call of a builtin that draws from the session's PRNG (or the catalog): such code is never shared. */
/**
 * Guards and instance expressions are asked several times per step (for each candidate target
 * and instance), so a draw there would make the outcome depend on how often they were asked.
 */
function noDraw(path: string, what: string): never {
  throw new MockjutsuError('INVALID_DOMAIN', `${path}: ${what} cannot draw random values (${[...DRAWING_BUILTINS].map((n) => n + '()').join(', ')}): it is evaluated for every candidate; put the chance into the chain's weights, or draw in a let or an effect and test the variable it sets`, path);
}

// `$x.r(`: random() and chance(number) are compiled inline to the PRNG's draw (compileExpression).
const DRAWING_BUILTIN = new RegExp(`\\$b\\.(?:${Object.keys(BUILTIN_SIGNATURES).filter((n) => DRAWING_BUILTINS.has(n)).join('|')})\\(|\\$x\\.r\\(`);

/** The function of a program given as source (what a program generated ahead is already). */
export function programFunction(programSource: string): DomainProgramFactory {
  return new Function('$b', 'P', 'D', '$x', programSource) as DomainProgramFactory;
}

/**
 * Validates a domain definition (errors name the JSON path and what is allowed; unknown keys
 * suggest the nearest known key) and compiles it. Payload schemas given by `$ref` must have
 * been resolved by the file loader into `{ document, ref }` (see `loadDomainFile`).
 */
export function compileDomain(input: unknown): CompiledDomain {
  const c = checkDomain(input);
  const { chain, aggregates } = c;
  const instanceInit = aggregates.map((_, i) => `function(id){return ${jsLiteral({ id: '\u0000ID', ...c.aggregateStates[i] }).replace('"\\u0000ID"', 'id')};}`);

  // The scope every expression sees.
  const baseScope: Record<string, ScopeEntry> = Object.create(null);
  for (const v of c.sessionVars) baseScope[v] = { js: `S.s[${JSON.stringify(v)}]`, assignable: true };
  aggregates.forEach((a) => {
    if (!IDENTIFIER_RE.test(a.name) || c.globalNames.has(a.name)) return; // not addressable by name
    baseScope[a.name] = { js: `S.i[${a.index}]` };
  });
  baseScope.user = { js: 'S.u' };
  baseScope.last = { js: 'S.l' };
  baseScope.step = { js: 'S.n' };
  baseScope.session_start = { js: 'S.t0' };
  baseScope.session_id = { js: 'S.sid' };
  baseScope.params = { js: 'P' }; // read-only data: no members, not assignable

  /** Lists of literals read by builtins, made once per program (`$k0`...). */
  const constants: string[] = [];
  const slots = fieldDrawSlots(c.events);
  const guards: string[] = [];
  /** Guards that draw nothing, one per distinct code (`$g0`...). */
  const sharedGuards: string[] = [];
  const instanceIds: string[] = [];
  const builds: string[] = [];
  /** Per event type: its guard as an expression over `s<aggregate>` (the only instance's state). */
  const maskGuards: Array<string | undefined> = [];
  for (const et of c.events) {
    const plan = c.plans[et.index]!;
    const path = plan.path;
    const agg = aggregates[et.aggregate]!;
    const st = chain.states[et.index]!;

    // Scope of this event's expressions.
    const scope: Record<string, ScopeEntry> = Object.assign(Object.create(null), baseScope);
    scope.self = { js: 'self', members: agg.stateVariables };
    if (plan.instanceExpr !== undefined) {
      const idScope: Record<string, ScopeEntry> = Object.assign(Object.create(null), baseScope);
      const js = compileExpression(plan.instanceExpr, { path: `${path}.instance`, scope: idScope, constants });
      if (DRAWING_BUILTIN.test(js)) noDraw(`${path}.instance`, 'an instance expression');
      instanceIds.push(`function(S){return ${js};}`);
    } else instanceIds.push('null');
    if (plan.guard !== undefined) {
      // The guard again with `self` = the aggregate's only instance, for the plans' masks.
      const maskScope: Record<string, ScopeEntry> = Object.assign(Object.create(null), baseScope);
      maskScope.self = { js: `s${et.aggregate}`, members: agg.stateVariables };
      maskGuards[et.index] = compileExpression(plan.guard, { path: `${path}.guard`, scope: maskScope, constants });
      const fn = `function(S,self){return !!(${compileExpression(plan.guard, { path: `${path}.guard`, scope, constants })});}`;
      if (DRAWING_BUILTIN.test(fn)) noDraw(`${path}.guard`, 'a guard');
      // A guard is shared by the event types whose guard is the same code: the simulator then
      // asks it once per step (it draws nothing, so it answers the same for all).
      let i = sharedGuards.indexOf(fn);
      if (i === -1) i = sharedGuards.push(fn) - 1;
      guards.push(`$g${i}`);
    } else guards.push('null');

    // Lets, payload, effects: one generated function.
    scope.outcome = { js: 'S.o' };
    scope.time = { js: 'S.t' };
    scope.capped = { js: 'S.c' };
    let body = '';
    plan.lets.forEach(([name, text], i) => {
      const lpath = `${path}.let.${name}`;
      body += `var v${i}=${compileExpression(text, { path: lpath, scope, constants })};`;
      scope[name] = { js: `v${i}`, assignable: true }; // a let may hold data an effect changes (a cart line)
    });

    const payloadSource = et.payload;
    const fields = plan.fields;
    // Unbound fields: drawn as one object (d), or each alone in order (d0, d1...) when that is the same.
    const drawn = payloadSource?.draw?.fields;
    if (drawn !== undefined) body += drawn.map((_, j) => `var d${j}=D[${slots[st.index]! + j}]($x.r);`).join('');
    else if (payloadSource?.draw !== undefined) body += `var d=D[${st.index}]($x.r);`;
    // Whether a field reads `payload` (an earlier field): then the payload is built field by
    // field. Tracked on the scope entry, so a string literal like '/p/' is no false alarm.
    let readsPayload = false;
    scope.payload = { get js(): string { readsPayload = true; return 'p'; } };
    const put = (key: string, valueJs: string): string =>
      `if((f=${valueJs})!==undefined)${UNSAFE_KEYS.has(key) ? `$b.put(p,${JSON.stringify(key)},f)` : `p[${JSON.stringify(key)}]=f`};`;
    const order = payloadSource === undefined ? plan.fieldNames : payloadSource.properties;
    if (order === undefined) {
      body += 'var p={},f;p=$b.copy(d);';
      for (const f of plan.fieldNames) body += put(f, compileExpression(fields[f]!, { path: `${path}.payload.fields.${f}`, scope, constants }));
    } else {
      const values = order.map((f) => {
        const fpath = `${path}.payload.fields.${f}`;
        if (Object.prototype.hasOwnProperty.call(fields, f)) return compileExpression(fields[f]!, { path: fpath, scope, constants });
        return drawn !== undefined ? `d${drawn.indexOf(f)}` : `$b.own(d,${JSON.stringify(f)})`;
      });
      if (order.length > 0 && !order.some((f) => UNSAFE_KEYS.has(f)) && !readsPayload) {
        // Fields evaluated in order into locals; when none is undefined (the usual case) the
        // payload is one object literal (one allocation, its final shape at once), else built
        // field by field skipping the undefined ones. Only when no field reads the payload.
        body += 'var p,f;' + values.map((v, i) => `var f${i}=${v};`).join('') +
          `if(${values.map((_, i) => `f${i}!==undefined`).join('&&')})p={${order.map((f, i) => `${JSON.stringify(f)}:f${i}`).join(',')}};` +
          `else{p={};${order.map((f, i) => `if(f${i}!==undefined)p[${JSON.stringify(f)}]=f${i};`).join('')}}`;
      } else {
        body += 'var p={},f;';
        order.forEach((f, i) => { body += put(f, values[i]!); });
      }
    }
    if (!plan.declaresPayload && st.outcomes.length > 1) body += 'p.outcome=S.o;';
    plan.effects.forEach((e, i) => {
      const epath = `${path}.effects[${i}]`;
      body += compileExpression(e, { path: epath, scope, assignment: true, constants }) + ';';
    });
    builds.push(`function(S,self){${body}return p;}`);
  }

  // Guard masks of the plans: every guard of an outcome in one function, in target order; a
  // guard that draws nothing and repeats one on the same aggregate copies its bit.
  const masks = chain.states.map((st) => '[' + st.outcomes.map((o) => {
    const guarded = planGuarded(c.events, o.targets);
    if (guarded === undefined || guarded.length === 0) return 'null';
    let body = 'var m=0;';
    const loaded = new Set<number>();
    guarded.forEach((t, j) => {
      const a = c.events[t]!.aggregate;
      const js = maskGuards[t]!;
      const same = guarded.findIndex((u, i) => i < j && maskGuards[u] === js && c.events[u]!.aggregate === a);
      if (same !== -1) { body += `if((m&${1 << same})!==0)m|=${1 << j};`; return; }
      if (!loaded.has(a) && new RegExp(`(^|[^\\w$.])s${a}\\b`).test(js)) { loaded.add(a); body += `var s${a}=I[${a}][0].state;`; }
      body += `W[0]=${t};if(!(${js}))m|=${1 << j};`;
    });
    return `function(S,I,W){${body}return m;}`;
  }).join(',') + ']');

  // The simulator passes every contract field, in contract order; the event keeps the domain's.
  const eventFn = `function(${ENVELOPE_FIELDS.map((_, i) => `a${i}`).join(',')}){return {${c.envelope.map((col) => `${JSON.stringify(col.name)}:a${ENVELOPE_FIELDS.indexOf(col.field)}`).join(',')}};}`;
  const programSource = '"use strict";' + constants.map((js, i) => `var $k${i}=${js};`).join('') +
    sharedGuards.map((js, i) => `var $g${i}=${js};`).join('') + walkEventSource(c) + 'return {' +
    `session:function(){return ${jsLiteral(c.sessionDef)};},` +
    `instance:[${instanceInit.join(',')}],` +
    `guard:[${guards.join(',')}],` +
    `instanceId:[${instanceIds.join(',')}],` +
    `build:[${builds.join(',\n')}],` +
    `mask:[${masks.join(',')}],` +
    `event:${eventFn},` +
    // The session walk last (the k6 runtime bundle strips it: scripts/buildK6Bundle.mjs).
    `walk:${walkSource(c)}};`;

  return finishDomain(c, programSource);
}
