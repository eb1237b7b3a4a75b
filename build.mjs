// One build for every surface: faker slice, built-in domain programs -> TypeScript library (dist/) -> k6 bundle
// (dist/k6/) -> JMeter jar (dist/jmeter/, when a JDK and JMeter are present).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeFakerSlice } from './scripts/sliceFakerData.mjs';
import { writeFileDomains } from './scripts/generateFileDomains.mjs';
import { writeBuiltInPrograms, writeExampleModules } from './scripts/builtInPrograms.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const want = (step) => only.length === 0 || only.includes(step);

async function buildLibrary() {
  if (await writeFakerSlice()) console.log('build: faker slice regenerated');
  // File domains first: the built-in programs are generated from every built-in, hotel included.
  for (const name of await writeFileDomains()) console.log(`build: domain ${name} regenerated from domains/${name}/`);
  if (await writeBuiltInPrograms()) console.log('build: built-in domain programs regenerated');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  const cli = join(root, 'dist', 'cli.js');
  if (existsSync(cli)) {
    const text = readFileSync(cli, 'utf8');
    if (!text.startsWith('#!')) writeFileSync(cli, '#!/usr/bin/env node\n' + text);
    chmodSync(cli, 0o755);
  }
  console.log('build: library -> dist/');
}

async function buildK6() {
  const script = join(root, 'scripts', 'buildK6Bundle.mjs');
  if (!existsSync(script)) return;
  const { buildK6Bundle } = await import(script);
  await buildK6Bundle();
  // The k6 examples' own domains, compiled ahead (what `mockjutsu domain --compile` writes).
  for (const path of await writeExampleModules()) console.log(`build: k6 example domain module -> ${path.slice(root.length + 1)}`);
}

async function buildJmeter(required) {
  const script = join(root, 'scripts', 'buildJmeterJar.mjs');
  if (!existsSync(script)) return;
  const { buildJmeterJar } = await import(script);
  await buildJmeterJar({ required });
}

mkdirSync(join(root, 'dist'), { recursive: true });
if (want('lib')) await buildLibrary();
if (want('k6')) await buildK6();
if (want('jmeter')) await buildJmeter(only.includes('jmeter'));
// The mocha root hook rebuilds when a source is newer than this stamp (a full build only).
if (only.length === 0) writeFileSync(join(root, 'dist', '.build-stamp'), new Date().toISOString() + '\n');
