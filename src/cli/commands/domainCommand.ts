import { stringify as toYaml } from 'yaml';
import { BUILT_IN_DOMAINS } from '../../core/domains/index.js';
import { domainStatistics, simulateDomainSessions, STATISTICS_LIMITS } from '../../core/domain/domainStatistics.js';
import type { CompiledDomain } from '../../core/domain/compileDomain.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseChoiceFlag, parseCommandArgs, parseIntegerFlag, rejectFlags } from '../commandArgs.js';
import { loadDomainFlag, parseParamFlags } from '../domainFlags.js';
import { chainToDot, chainToMermaid, domainChain, dotToSvg } from '../chainDiagram.js';
import { formatDomainStatistics } from '../domainReport.js';
import { writeOutput } from '../writeOutput.js';

const DOMAIN_COMMAND_FLAGS = {
  print: { type: 'string' },
  check: { type: 'string' },
  stats: { type: 'string' },
  draw: { type: 'string' },
  compile: { type: 'string' },
  format: { type: 'string', short: 'f' },
  target: { type: 'string' },
  json: { type: 'boolean' },
  sessions: { type: 'string' },
  probe: { type: 'string' },
  seed: { type: 'string' },
  param: { type: 'string', multiple: true },
  out: { type: 'string', short: 'o' },
} as const;

const ACTIONS = ['print', 'check', 'stats', 'draw', 'compile'] as const;
const DIAGRAM_FORMATS = ['mermaid', 'dot', 'svg'] as const;
/** Sessions `--check` simulates to find states no session reaches. */
export const DEFAULT_PROBE_SESSIONS = 2000;

const HELP = `Usage: mockjutsu domain --print NAME [--format json|yaml]
       mockjutsu domain --check NAME|FILE [--probe N] [--seed S]
       mockjutsu domain --stats NAME|FILE [--json] [--sessions N] [--seed S] [--param N=V]
       mockjutsu domain --draw NAME|FILE --format mermaid|dot|svg   (or: domain NAME|FILE --format F)
       mockjutsu domain --compile FILE --target k6 --out FILE.k6.js

A domain is a built-in (${Object.keys(BUILT_IN_DOMAINS).join(', ')}) or a domain file (JSON or YAML; payload $refs
resolve relative to it). See docs/domains.md.

Actions (one):
      --print NAME     the built-in domain's definition (JSON, or YAML with --format yaml), to
                       start a domain file from
      --check X        validate (exit 0 valid, 2 invalid with the JSON path and what is
                       allowed); then simulate --probe sessions (default ${DEFAULT_PROBE_SESSIONS}) and warn about
                       event types no session reached (a guard that never holds?)
      --stats X        statistics: expected events per session, events per type, P(type in a
                       session), session length, max_steps cut; exact (absorbing Markov chain)
                       when no guard or instance rule makes the next event depend on variables,
                       else simulated (--sessions, default ${STATISTICS_LIMITS.defaultSessions}) with 95% intervals.
                       The output says which
      --json           the statistics as JSON
      --draw X         draw the chain: --format mermaid (stateDiagram-v2), dot (Graphviz), or
                       svg (needs Graphviz's dot); edge labels are transition probabilities
      --compile FILE   a standalone k6 module of the domain (--target k6 --out FILE): VUs import
                       it beside the runtime bundle and skip compiling the domain
  -o, --out FILE       write FILE atomically instead of stdout
      --param N=V      a param of the domain (--stats, --check: they change what guards allow)

Exit status: 0 done (warnings included), 1 runtime error, 2 usage error or invalid domain.`;

/** The domain an action names: a built-in or a file. */
function domainArg(value: string, flag: string): Promise<CompiledDomain> {
  return loadDomainFlag(value, flag).then((d) => d.compiled);
}

async function compileModule(domain: CompiledDomain, target: string): Promise<string> {
  // compileDomainModule is lane k6c's (src/core/domain/compileDomainModule.ts); loaded by a
  // computed specifier so this command builds before it lands.
  const spec = '../../core/domain/compileDomainModule.js';
  let mod: { compileDomainModule?: (d: CompiledDomain, o: { target: string }) => string };
  try {
    mod = await import(spec) as typeof mod;
  } catch {
    throw new Error('--compile needs compileDomainModule (src/core/domain/compileDomainModule.ts), which this build does not have yet');
  }
  if (typeof mod.compileDomainModule !== 'function') throw new Error('--compile: src/core/domain/compileDomainModule.ts exports no compileDomainModule');
  return mod.compileDomainModule(domain, { target });
}

/** `--check`'s report: the domain is valid (it compiled); then --probe sessions, warning about event types none reached. */
export function checkReport(subject: string, domain: CompiledDomain, values: { probe?: string; seed?: string; param?: string[] }): string {
  const sessions = values.probe === undefined ? DEFAULT_PROBE_SESSIONS : parseIntegerFlag(values.probe, '--probe', 1, 1_000_000);
  const seed = values.seed ?? 'mockjutsu-check';
  const params = parseParamFlags(values.param, domain);
  const counts = simulateDomainSessions(domain, { sessions, seed, ...(params !== undefined ? { params } : {}) });
  const unreached = domain.chain.states.filter((s) => counts.reached[s.index] === 0).map((s) => s.name);
  const c = domain.chain;
  let text = `${subject}: domain ${JSON.stringify(domain.name)} is valid: ${c.states.length} event types, ${domain.aggregates.length} aggregate${domain.aggregates.length === 1 ? '' : 's'} (${domain.aggregates.map((a) => a.name).join(', ')}), start ${c.states[c.start]!.name}, terminal ${c.states[c.terminal]!.name}, max_steps ${c.maxSteps}\n`;
  const probe = `${counts.sessions} simulated sessions (seed ${JSON.stringify(seed)})`;
  if (unreached.length > 0) {
    text += `warning: no session reached ${unreached.length} event type${unreached.length === 1 ? '' : 's'} in ${probe}: ${unreached.join(', ')}; a guard that never holds, or an instance that never exists, keeps a session out (or the state is very rare: --probe more)\n`;
  } else {
    text += `every event type occurred in ${probe}\n`;
  }
  return text;
}

/** `--stats`'s report: the statistics as a table, or JSON with --json. */
export function statsReport(domain: CompiledDomain, values: { json?: boolean; sessions?: string; seed?: string; param?: string[] }): string {
  const sessions = values.sessions === undefined ? undefined : parseIntegerFlag(values.sessions, '--sessions', 1, STATISTICS_LIMITS.maxSessions);
  const params = parseParamFlags(values.param, domain);
  const stats = domainStatistics(domain, { ...(sessions !== undefined ? { sessions } : {}), ...(values.seed !== undefined ? { seed: values.seed } : {}), ...(params !== undefined ? { params } : {}) });
  return values.json ? JSON.stringify(stats, null, 2) + '\n' : formatDomainStatistics(stats);
}

/** The domain's chain drawn: mermaid, dot, or svg (dot through Graphviz). */
export async function drawChain(domain: CompiledDomain, formatFlag: string): Promise<string> {
  const format = parseChoiceFlag(formatFlag, '--format', DIAGRAM_FORMATS);
  const chain = domainChain(domain);
  return format === 'mermaid' ? chainToMermaid(chain) : format === 'dot' ? chainToDot(chain) : dotToSvg(chainToDot(chain));
}

/** `mockjutsu domain`: print, check, measure, draw or compile a domain. */
export const domainCommand: CliCommand = {
  name: 'domain',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, DOMAIN_COMMAND_FLAGS, 1);
    const given = ACTIONS.filter((a) => values[a] !== undefined);
    if (given.length > 1) throw new UsageError(`give one of ${ACTIONS.map((a) => '--' + a).join(', ')} (got ${given.map((a) => '--' + a).join(' and ')})`);
    let action: typeof ACTIONS[number];
    let subject: string;
    if (given.length === 1) {
      action = given[0]!;
      subject = values[action]!;
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; --${action} names the domain`);
    } else if (positionals.length === 1) {
      // `domain X --format mermaid` draws; `domain X` alone checks.
      subject = positionals[0]!;
      action = values.format !== undefined && (DIAGRAM_FORMATS as readonly string[]).includes(values.format) ? 'draw' : 'check';
    } else {
      throw new UsageError(`give an action: ${ACTIONS.map((a) => '--' + a).join(', ')} (mockjutsu domain --help)`);
    }
    if (action !== 'stats') rejectFlags(values, ['json', 'sessions'], 'applies to --stats only');
    if (action !== 'check') rejectFlags(values, ['probe'], 'applies to --check only');
    if (action !== 'stats' && action !== 'check') rejectFlags(values, ['seed', 'param'], 'applies to --stats and --check only');
    if (action !== 'compile') rejectFlags(values, ['target'], 'applies to --compile only');
    if (action === 'check' || action === 'stats') rejectFlags(values, ['format'], `does not apply to --${action}${action === 'stats' ? ' (--json for JSON)' : ''}`);

    let text: string;
    switch (action) {
      case 'print': {
        if (!Object.prototype.hasOwnProperty.call(BUILT_IN_DOMAINS, subject)) {
          throw new UsageError(`--print ${JSON.stringify(subject)}: not a built-in domain; built-in domains: ${Object.keys(BUILT_IN_DOMAINS).join(', ')}`);
        }
        const format = values.format === undefined ? 'json' : parseChoiceFlag(values.format, '--format', ['json', 'yaml'] as const);
        const def = BUILT_IN_DOMAINS[subject]!;
        text = format === 'json' ? JSON.stringify(def, null, 2) + '\n' : `# mockjutsu domain ${subject}: edit and load with --domain FILE\n` + toYaml(def, { lineWidth: 0, aliasDuplicateObjects: false });
        break;
      }
      case 'check':
        text = checkReport(subject, await domainArg(subject, '--check'), values);
        break;
      case 'stats':
        text = statsReport(await domainArg(subject, '--stats'), values);
        break;
      case 'draw': {
        if (values.format === undefined) throw new UsageError(`--draw needs --format ${DIAGRAM_FORMATS.join('|')}`);
        text = await drawChain(await domainArg(subject, '--draw'), values.format);
        break;
      }
      case 'compile': {
        if (values.target === undefined) throw new UsageError('--compile needs --target k6');
        const target = parseChoiceFlag(values.target, '--target', ['k6'] as const);
        if (values.out === undefined) throw new UsageError('--compile needs --out FILE (e.g. --out bank.k6.js)');
        const domain = await domainArg(subject, '--compile');
        text = await compileModule(domain, target);
        break;
      }
    }
    await writeOutput([text], { out: values.out, io });
    return 0;
  },
};
