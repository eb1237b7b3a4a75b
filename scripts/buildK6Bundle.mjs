// Bundles src/k6/index.ts (and the pure core it imports) into dist/k6/mockjutsu.js: one ES
// module that k6 can import. k6 runs goja/sobek, not Node: older k6 releases transpile with a
// Babel that rejects ES2018+ syntax, so the output targets ES2017, and the build fails if
// anything from outside the core, the k6 entry or seedrandom's alea gets pulled in.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Files the bundle may be made of (paths relative to the repository, with "/"). */
export const ALLOWED_INPUTS = [
  /^src\/core\/[^]*\.ts$/, /^src\/k6\/[^]*\.ts$/, /^node_modules\/seedrandom\/lib\/alea\.js$/,
  // the schema compiler's pattern strings: ret's regex tokenizer
  /^node_modules\/ret\/dist\/[^]*\.js$/,
];

/** The k6 module is the only import the bundle may keep. */
export const ALLOWED_IMPORTS = ['k6/execution'];

/** Size budget of the minified bundle, in bytes. */
export const K6_BUNDLE_BUDGET_BYTES = 150 * 1024;

/**
 * Builds dist/k6/mockjutsu.js (+ .js.map and .d.ts) and returns where it is, its size in bytes,
 * the files bundled and the imports kept. Throws when the bundle pulls in a file or an import
 * other than those allowed above.
 */
export async function buildK6Bundle({ outDir = join(root, 'dist', 'k6'), quiet = false } = {}) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'mockjutsu.js');
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src', 'k6', 'index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // neutral has no default main fields; ret is a CommonJS package
    mainFields: ['module', 'main'],
    target: 'es2017',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    charset: 'ascii',
    external: ['k6', 'k6/*'],
    banner: { js: `// mockjutsu ${version} k6 module (MIT) - deterministic session streams per VU. Built from src/k6/index.ts.` },
    metafile: true,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error('k6 bundle: esbuild warnings:\n' + result.warnings.map((w) => w.text).join('\n'));

  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p)).split(sep).join('/'));
  const stray = inputs.filter((p) => !ALLOWED_INPUTS.some((re) => re.test(p)));
  if (stray.length > 0) throw new Error(`k6 bundle: unexpected inputs (only src/core, src/k6 and seedrandom/lib/alea.js may be bundled): ${stray.join(', ')}`);
  const output = result.metafile.outputs[relative(root, outfile).split(sep).join('/')];
  const imports = (output?.imports ?? []).map((i) => i.path);
  const strayImports = imports.filter((p) => !ALLOWED_IMPORTS.includes(p));
  if (strayImports.length > 0) throw new Error(`k6 bundle: unexpected imports: ${strayImports.join(', ')}`);

  copyFileSync(join(root, 'src', 'k6', 'mockjutsu.d.ts'), join(outDir, 'mockjutsu.d.ts'));
  const bytes = readFileSync(outfile).length;
  // Over budget is a warning here (the build of the other surfaces goes on) and a failing test.
  if (bytes > K6_BUNDLE_BUDGET_BYTES) console.warn(`build: WARNING k6 bundle is ${bytes} bytes, over its ${K6_BUNDLE_BUDGET_BYTES}-byte budget (every k6 VU loads it)`);
  if (!quiet) console.log(`build: k6 bundle -> ${relative(root, outfile)} (${(bytes / 1024).toFixed(1)} KB, ${inputs.length} files)`);
  return { outfile, bytes, inputs, imports };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildK6Bundle();
