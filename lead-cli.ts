import { runCli } from './src/cli/main.js';
const io = { out: '', err: '' };
const cap: any = { stdout: { write: (s: string) => { io.out += s; return true; } }, stderr: { write: (s: string) => { io.err += s; return true; } } };
