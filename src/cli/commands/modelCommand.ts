import { spawn } from 'node:child_process';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseChoiceFlag, parseCommandArgs, rejectFlags } from '../commandArgs.js';
import { loadModelFlag } from '../generatorFlags.js';
import { modelToDot, modelToMermaid } from '../modelDiagram.js';
import { formatModelReport, modelReport } from '../modelReport.js';
import { writeOutput } from '../writeOutput.js';

const DIAGRAM_FORMATS = ['mermaid', 'dot', 'svg'] as const;

const MODEL_FLAGS = {
  model: { type: 'string' },
  check: { type: 'boolean' },
  stats: { type: 'boolean' },
  json: { type: 'boolean' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
} as const;

/** Renders dot text to SVG with Graphviz's `dot`; a clear error when it is not installed. */
export function dotToSvg(dot: string, command = 'dot'): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, ['-Tsvg'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // dot failed early; its exit status says why
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === 'ENOENT'
        ? `--format svg needs Graphviz, but "${command}" was not found on PATH; install it (apt-get install graphviz, brew install graphviz) or use --format dot and render the text elsewhere`
        : `cannot run Graphviz "${command}": ${e.message}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`Graphviz "${command} -Tsvg" failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.end(dot);
  });
}

/** `mockjutsu model`: validate a model, print its exact statistics, or draw it. */
export const modelCommand: CliCommand = {
  name: 'model',
  help: `Usage: mockjutsu model [--model FILE] [--check | --stats [--json] | --format mermaid|dot|svg] [--out FILE]

Works on the model of --model FILE (JSON), or on the built-in e-commerce model.

Actions (one; default --stats):
      --check          validate the model; exit 0 when valid, 2 with the reason when not
      --stats          exact statistics, computed from the chain (not sampled): expected
                       events per session, expected visits and share of events per state,
                       probability of reaching each state (checkout, payment...), expected
                       outcomes (payment success / failed) per session
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
    if (action !== 'stats') rejectFlags(values, ['json'], 'applies to --stats only');
    const format = values.format === undefined ? undefined : parseChoiceFlag(values.format, '--format', DIAGRAM_FORMATS);
    const model = await loadModelFlag(values.model);
    let text: string;
    if (action === 'check') {
      const source = values.model === undefined ? 'the built-in model' : JSON.stringify(values.model);
      text = `${source}: model ${JSON.stringify(model.name)} is valid: ${model.states.length} states, start ${model.states[model.start]!.name}, terminal ${model.states[model.terminal]!.name}, max_steps ${model.maxSteps}\n`;
    } else if (action === 'stats') {
      const report = modelReport(model);
      text = values.json ? JSON.stringify(report, null, 2) + '\n' : formatModelReport(report, model);
    } else if (format === 'mermaid') {
      text = modelToMermaid(model);
    } else if (format === 'dot') {
      text = modelToDot(model);
    } else {
      text = await dotToSvg(modelToDot(model));
    }
    await writeOutput([text], { out: values.out, io });
    return 0;
  },
};
