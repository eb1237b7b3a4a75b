import { builtInDomain } from '../../core/domains/index.js';
import { compileModel } from '../../core/index.js';
import { STATISTICS_LIMITS } from '../../core/domain/domainStatistics.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseCommandArgs, rejectFlags } from '../commandArgs.js';
import { loadModelFlag } from '../generatorFlags.js';
import { writeOutput } from '../writeOutput.js';
import { checkReport, drawChain, statsReport } from './domainCommand.js';

const MODEL_FLAGS = {
  model: { type: 'string' },
  check: { type: 'boolean' },
  stats: { type: 'boolean' },
  json: { type: 'boolean' },
  sessions: { type: 'string' },
  seed: { type: 'string' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
} as const;

/**
 * `mockjutsu model`: `mockjutsu domain` for a model file, that is the shop with the file's chain
 * (what `--model FILE` generates); without --model, the shop itself.
 */
export const modelCommand: CliCommand = {
  name: 'model',
  help: `Usage: mockjutsu model [--model FILE] [--check | --stats [--json] [--sessions N] [--seed S] | --format mermaid|dot|svg] [--out FILE]

\`mockjutsu domain\` for a Markov model file: works on the shop with the chain of --model FILE
(JSON: start, terminal, max_steps, states; max_cart_lines, aggregate_type, name), which is what
--model FILE generates on every command; without --model, on the shop domain itself.

Actions (one; default --stats):
      --check          validate the model; exit 0 when valid, 2 with the reason when not; then
                       simulate sessions and warn about states none reached
      --stats          statistics, as \`mockjutsu domain --stats\`: exact (absorbing Markov
                       chain) when no guard makes the next event depend on the session (a
                       chain of states the shop has no event for), else simulated (--sessions,
                       default ${STATISTICS_LIMITS.defaultSessions}; --seed) with 95% intervals: the shop's cart and
                       order guards make its own chain simulated. The output says which
      --json           the statistics as JSON (with --stats, or alone)
  -f, --format F       draw the chain: mermaid (stateDiagram-v2 text), dot (Graphviz text;
                       edge labels are transition probabilities, outcomes are labelled
                       edges into small diamonds), svg (dot piped through Graphviz's
                       \`dot -Tsvg\`; needs Graphviz installed)
  -o, --out FILE       write FILE atomically instead of stdout

Exit status: 0 done, 1 runtime error (e.g. Graphviz missing), 2 usage error or invalid model.`,

  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, MODEL_FLAGS, 0);
    const actions = (['check', 'stats', 'format'] as const).filter((a) => values[a] !== undefined);
    if (actions.length > 1) throw new UsageError(`give one of --check, --stats, --format (got ${actions.map((a) => '--' + a).join(' and ')})`);
    const action = actions[0] ?? 'stats';
    if (action !== 'stats') rejectFlags(values, ['json', 'sessions'], 'applies to --stats only');
    if (action === 'format') rejectFlags(values, ['seed'], 'applies to --stats and --check only');
    const model = values.model === undefined ? undefined : await loadModelFlag(values.model);
    const domain = model === undefined ? builtInDomain('shop') : compileModel(model);
    const subject = values.model === undefined
      ? 'the built-in shop'
      : `${JSON.stringify(values.model)} (model${model!.name !== undefined ? ' ' + JSON.stringify(model!.name) : ''}: the shop with its chain)`;
    const text = action === 'check' ? checkReport(subject, domain, values)
      : action === 'stats' ? statsReport(domain, values)
      : await drawChain(domain, values.format!);
    await writeOutput([text], { out: values.out, io });
    return 0;
  },
};
