import type { CheckedDomain } from './linkDomain.js';
import { planGuarded } from './guardPlan.js';

// The session walk of one domain as code (issue #14, speed): the generic simulator's chain walk
// (domainSimulator.ts `simulate`) with the domain's constants in place. Per state a `case` with
// its outcome draw, its build called by name (one call site per event type, which the engine
// can inline), the event as an object literal under the envelope's names, and per outcome the
// next state drawn by its guard mask and cumulative weights written out. Whatever is not the
// usual case (a target that is not `any`, an aggregate without exactly one instance, the step
// cap, an ended chain) goes back to the simulator through `H`, so the draws, and the bytes,
// are the generic loop's. The program references `$B<i>` (builds) and `$M<s>_<o>` (masks).

/** A number's JS source, the same double. */
function num(x: number): string {
  return String(x);
}

/**
 * The `walk` member of a domain's program: `walk(H, S, r, inst, first, cid, sid, uid, ts)`
 * runs a session from its start event on and returns its events. H: the simulator's helpers
 * and lists (I instances per aggregate, C chosen instance per event type, A aggregate per
 * event type, uuid, iso, think, next(state, outcome), resolve(eventType), err(e, eventType)).
 */
/** The event literal of the walk, one function of the program (`$E`). */
export function walkEventSource(c: CheckedDomain): string {
  const { chain, events, aggregates } = c;
  const types = JSON.stringify(chain.states.map((st) => st.name));
  const aggTypes = JSON.stringify(chain.states.map((st) => aggregates[events[st.index]!.aggregate]!.name));
  return `var $E=${walkEvent(c)},$TY=${types},$AT=${aggTypes},$TM=[${chain.states.map((st) => num(st.thinkMedianMs)).join(',')}],$TS=[${chain.states.map((st) => num(st.thinkSigma)).join(',')}];`;
}

function walkEvent(c: CheckedDomain): string {
  const fieldJs: Record<string, string> = {
    event_id: 'id', stream_id: 'inst.streamId', aggregate_id: 'inst.id', stream_version: 'inst.version',
    global_position: 'first+step-1', correlation_id: 'cid', causation_id: 'prev', session_id: 'sid', user_id: 'uid',
    timestamp: 'iso(ts)', schema_version: num(c.schemaVersion), payload: 'p',
  };
  return `function(id,ty,at,inst,first,step,prev,cid,sid,uid,ts,p,iso){return {${c.envelope.map((col) => {
    const js = col.field === 'event_type' ? 'ty' : col.field === 'aggregate_type' ? 'at' : fieldJs[col.field]!;
    return `${JSON.stringify(col.name)}:${js}`;
  }).join(',')}};}`;
}

export function walkSource(c: CheckedDomain): string {
  const { chain, events } = c;
  const T = chain.terminal;
  const outcomeCases: string[] = [];
  const buildCases: string[] = [];
  const nextCases: string[] = [];
  for (const st of chain.states) {
    const i = st.index;
    const oc = st.outcomes;
    if (oc.length > 1) {
      const cum = st.outcomeCumulative;
      const last = cum.length - 1;
      outcomeCases.push(`case ${i}:x=r()*${num(cum[last]!)};o=${cum.slice(0, last).map((v, j) => `x<${num(v)}?${j}:`).join('')}${last};S.o=${oc.map((o, j) => (j < oc.length - 1 ? `o===${j}?${JSON.stringify(o.name)}:` : JSON.stringify(o.name))).join('')};break;`);
    } else if (oc.length === 1 && oc[0]!.name !== '') outcomeCases.push(`case ${i}:o=0;S.o=${JSON.stringify(oc[0]!.name)};break;`);
    buildCases.push(`case ${i}:p=$B${i}(S,inst.state);break;`);
    if (i === T) continue;
    const trans = oc.map((o, oi) => {
      const guarded = planGuarded(events, o.targets);
      const fallback = `{nx=H.next(${i},${oi});inst=C[nx]||null;}`;
      if (guarded === undefined) return fallback;
      const aggs = [...new Set(o.targets.map((t) => events[t]!.aggregate))];
      const single = aggs.map((a) => `I[${a}].length===1`).join('&&');
      let code: string;
      if (guarded.length === 0) {
        // A constant set: cumulative weights summed as the simulator sums them.
        let acc = 0;
        const cum = o.weights.map((w) => (acc += w));
        code = o.targets.length === 1 ? `nx=${o.targets[0]};`
          : `x=r()*${num(acc)};nx=${o.targets.slice(0, -1).map((t, j) => `x<${num(cum[j]!)}?${t}:`).join('')}${o.targets[o.targets.length - 1]};`;
        code += 'inst=I[A[nx]][0];';
      } else {
        // Guarded target j is allowed when bit j of the mask is clear. w: the allowed weights
        // summed in target order (c<j> after target j), n how many, l the last allowed.
        const ok = o.targets.map((t) => {
          const j = guarded.indexOf(t);
          return j === -1 ? '' : `!(m&${1 << j})`;
        });
        code = `at=-1;m=$M${i}_${oi}(S,I,W);w=0;n=0;`;
        o.targets.forEach((t, j) => {
          const add = `w+=${num(o.weights[j]!)};n++;l=${t};`;
          code += ok[j] === '' ? `${add}c${j}=w;` : `if(${ok[j]}){${add}}c${j}=w;`;
        });
        code += `if(n===0){nx=${T};inst=null;}else{nx=n===1?l:(x=r()*w,` +
          o.targets.map((t, j) => `${ok[j] === '' ? '' : `${ok[j]}&&`}x<c${j}?${t}:`).join('') + 'l);inst=I[A[nx]][0];}';
      }
      return `if(${single}){${code}}else${fallback}`;
    });
    const body = oc.length === 1 ? trans[0]! : '{' + trans.map((t, oi) => (oi < trans.length - 1 ? `if(o===${oi})${t}else ` : t)).join('') + '}';
    nextCases.push(`case ${i}:${body}ts+=think(r,${num(st.thinkMedianMs)},${num(st.thinkSigma)});break;`);
  }
  const most = Math.max(1, ...chain.states.map((st) => Math.max(0, ...st.outcomes.map((o) => o.targets.length))));
  const cVars = Array.from({ length: most }, (_, j) => `c${j}=0`).join(',');
  // The outcome's name is '' where a state has none (the terminal); S.o is set before the build.
  // Builds and masks from the program (the walk is its method): one local per function, so
  // each call site calls one function.
  const fns = chain.states.map((st) => `$B${st.index}=B[${st.index}]`);
  for (const st of chain.states) {
    st.outcomes.forEach((o, oi) => {
      const g = planGuarded(events, o.targets);
      if (g !== undefined && g.length > 0) fns.push(`$M${st.index}_${oi}=M[${st.index}][${oi}]`);
    });
  }
  return `function(H,S,r,inst,first,cid,sid,uid,ts){var B=this.build,M=this.mask,${fns.join(',')},I=H.I,C=H.C,A=H.A,W=H.W,uuid=H.uuid,iso=H.iso,think=H.think,E=$E,TY=$TY,AT=$AT,TM=$TM,TS=$TS,` +
    `ev=[],prev=null,st=${chain.start},step=1,at=${chain.start},o=0,p,e,id,nx=0,x=0,m=0,w=0,n=0,l=-1,${cVars};` +
    `try{for(;;step++){S.o='';switch(st){${outcomeCases.join('')}}S.t=ts;S.n=step;id=uuid(r);at=st;switch(st){${buildCases.join('')}}` +
    `inst.version++;e=E(id,TY[st],AT[st],inst,first,step,prev,cid,sid,uid,ts,p,iso);ev.push(e);if(st===${T})return ev;prev=id;S.l=e;` +
    `if(step>=${chain.maxSteps - 1}){nx=${T};S.c=true;inst=null;ts+=think(r,TM[st],TS[st]);}else switch(st){${nextCases.join('')}}` +
    `st=nx;if(inst===null)inst=H.resolve(nx);}}catch(err){throw H.err(err,at);}}`;
}
