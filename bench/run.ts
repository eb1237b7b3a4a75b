// `npm run bench`: runs every bench/*.bench.ts in turn (each prints its own table), in one
// process run so ratios compare figures measured on the same machine at the same time.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const mod = await import(pathToFileURL(join(here, f)).href);
  await mod.default();
}

// The JMeter bench is a standalone script (it parses its own flags); run it last, as a child.
if (only.length === 0 || only.some((o) => 'jmeter'.includes(o))) {
  const { spawnSync } = await import('node:child_process');
  console.log('\n=== jmeterBench.ts ===');
  spawnSync(process.execPath, ['--import', 'tsx', join(here, 'jmeterBench.ts')], { stdio: 'inherit' });
  console.log('\n=== jmeterPoolBench.ts ===');
  spawnSync(process.execPath, ['--import', 'tsx', join(here, 'jmeterPoolBench.ts')], { stdio: 'inherit' });
}
