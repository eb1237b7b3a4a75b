// The export bench's output ceiling, run as a child with its stdout on the same file or pipe as
// the CLI's: the same 256 KB of NDJSON text written again and again with writeSync, nothing
// made, so the rate is what the file or pipe takes at most. Prints { seconds, bytes } as JSON
// on stderr.
import { openSync, writeSync } from 'node:fs';

const [megabytesArg = '1024'] = process.argv.slice(2);
const line = '{"event_id":"ebb16659-4e82-4709-9e48-e33a1bd77c04","event_type":"page_view","payload":{"url":"https://shop.example.com/c/health"}}\n';
const chunk = Buffer.from(line.repeat(Math.ceil((256 * 1024) / line.length)), 'utf8');
const total = Number(megabytesArg) * 2 ** 20;
// A description of our own, in blocking mode: fd 1 may have been made non-blocking (a pipe
// behind process.stdout).
const fd = openSync('/proc/self/fd/1', 'w');
const t0 = process.hrtime.bigint();
let bytes = 0;
while (bytes < total) {
  for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
  bytes += chunk.length;
}
process.stderr.write(JSON.stringify({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes }) + '\n');
