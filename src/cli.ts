// Placeholder entry so the bin exists while the CLI is being built.
import { jutsu, serializeSession } from './index.js';
process.stdout.write(serializeSession(jutsu.generate('event_stream', { seed: 42 })) + '\n');
