// Records items 0, 1, 2 ... into argv[2] (format argv[3]) until it is killed.
import { createRecorder, type RecordFormat } from '../../src/recorder/index.js';

const recorder = createRecorder(process.argv[2]!, { format: process.argv[3] as RecordFormat });
for (let i = 0; ; i++) recorder.record('users', recordedItem(i));

function recordedItem(i: number): object {
  return { i, email: `user${i}@example.com`, pad: 'x'.repeat(i % 500) };
}
