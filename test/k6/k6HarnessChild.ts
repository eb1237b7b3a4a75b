// Child process of startK6Harness(): runs with --experimental-vm-modules and answers jobs.
import { runK6Job, type K6Job } from './k6Harness.js';

process.on('message', (msg: { id: number; job: K6Job }) => {
  runK6Job(msg.job).then(
    (report) => process.send!({ id: msg.id, report }),
    (e: unknown) => process.send!({ id: msg.id, error: e instanceof Error ? e.stack ?? e.message : String(e) }),
  );
});
