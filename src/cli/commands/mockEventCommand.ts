import { ENVELOPE_KINDS, resolveSeed, type SchemaMode } from '../../core/index.js';
import { jsonArrayChunks, jsonLineChunks } from '../../formats/index.js';
import { createEventMockerFromFile } from '../../schemaFiles/index.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseChoiceFlag, parseCommandArgs, parseIntegerFlag } from '../commandArgs.js';
import { writeOutput } from '../writeOutput.js';

const MODES: readonly SchemaMode[] = ['realistic', 'barebone'];
const FORMATS = ['ndjson', 'json'] as const;
/** Most events one run writes (the stream is endless; this keeps numbers exact). */
export const MAX_MOCK_EVENTS = 1_000_000_000_000;

const FLAGS = {
  schema: { type: 'string' },
  ref: { type: 'string' },
  mode: { type: 'string' },
  envelope: { type: 'string' },
  count: { type: 'string', short: 'n' },
  seed: { type: 'string' },
  partition: { type: 'string' },
  from: { type: 'string' },
  start: { type: 'string' },
  format: { type: 'string', short: 'f' },
  pretty: { type: 'boolean' },
  out: { type: 'string', short: 'o' },
} as const;

/** `mockjutsu mock-event`: events from an OpenAPI, JSON Schema, AsyncAPI or EventBridge schema. */
export const mockEventCommand: CliCommand = {
  name: 'mock-event',
  help: `Usage: mockjutsu mock-event --schema FILE [--ref NAME] [--mode realistic|barebone] [--envelope E] [--count N] [--seed S] [--out FILE]

Compiles the schema once, then writes events 0..N-1 of the partition, one JSON per line
(ndjson) or as one array (json). The same schema, options and seed give the same bytes as the
library's mockEvents({ schema, ... }) and the sidecar's GET /mock-event/NAME.

Options:
      --schema FILE    the schema document: OpenAPI 3.0/3.1, JSON Schema (draft-07, 2019-09,
                       2020-12), AsyncAPI 2/3, or an EventBridge registry export (the output of
                       aws schemas describe-schema); JSON or YAML; $refs to other files resolved
      --ref NAME       which schema of the document: a components.schemas entry (OpenAPI), a
                       message or its payload (AsyncAPI), or a JSON pointer (#/definitions/X)
      --mode M         realistic (default: values that validate and look real) or barebone
                       (as AWS IATK: "" for strings, the first enum value, [] for arrays, 0)
      --envelope E     none (default), cloudevents (the event in data) or eventbridge (in detail)
  -n, --count N        events to write, 1..${MAX_MOCK_EVENTS} (default 1)
      --seed S         any string or integer; without it a random seed is used and printed
      --partition KEY  the partition (a k6 VU id, a JMeter thread key...; default 0)
      --from K         first event index (default 0)
      --start TIME     time of event 0 for envelopes and date-times (ISO-8601 or epoch ms)
  -f, --format F       ndjson (default) or json
      --pretty         indent the JSON (--format json)
  -o, --out FILE       write FILE atomically instead of stdout

Exit status: 0 done, 1 runtime error, 2 usage error or a schema that cannot be satisfied (the
message names the JSON pointer inside the schema and why).`,

  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, FLAGS, 0);
    if (values.schema === undefined || values.schema === '') throw new UsageError('missing --schema FILE; give an OpenAPI, JSON Schema, AsyncAPI or EventBridge schema file');
    const count = values.count === undefined ? 1 : parseIntegerFlag(values.count, '--count', 1, MAX_MOCK_EVENTS);
    const from = values.from === undefined ? 0 : parseIntegerFlag(values.from, '--from', 0, Number.MAX_SAFE_INTEGER);
    const mode = values.mode === undefined ? 'realistic' : parseChoiceFlag(values.mode, '--mode', MODES);
    const envelope = values.envelope === undefined ? 'none' : parseChoiceFlag(values.envelope, '--envelope', ENVELOPE_KINDS);
    const format = values.format === undefined ? 'ndjson' : parseChoiceFlag(values.format, '--format', FORMATS);
    if (values.pretty && format !== 'json') throw new UsageError('--pretty applies to --format json only');
    const seed = resolveSeed(values.seed);
    const start = values.start === undefined ? undefined : /^-?[0-9]+$/.test(values.start) ? Number(values.start) : values.start;
    const mocker = await createEventMockerFromFile(values.schema, { ref: values.ref, mode, envelope, seed, ...(start === undefined ? {} : { start }) });
    const events = mocker.events(values.partition ?? 0, from, count);
    const chunks = format === 'json'
      ? jsonArrayChunks(events, values.pretty ? (e) => JSON.stringify(e, null, 2) : (e) => JSON.stringify(e), values.pretty === true)
      : jsonLineChunks(events, (e) => JSON.stringify(e));
    const onOpen = () => {
      if (values.seed === undefined) io.stderr.write(`mockjutsu: seed ${seed} (replay with --seed ${seed})\n`);
    };
    await writeOutput(chunks, { out: values.out, io, onOpen });
    return 0;
  },
};
