// Bundles src/k6/index.ts (and the pure core it imports) into dist/k6/: mockjutsu.js, an ES
// module for `import` (k6 >= 0.53 loads it natively), and mockjutsu.cjs.js, the same code as
// CommonJS for `require` (k6 before 0.53 runs Babel over every ES module it imports, which for
// this bundle cost 8-9 s and ~600 MB per run; CommonJS skips Babel). k6 runs goja/sobek, not
// Node: older k6 releases transpile with a Babel that rejects ES2018+ syntax, so both target
// ES2017, and the build fails if anything from outside the core and the k6 entry gets pulled in
// (the core's alea is its own: src/core/alea.ts).
//
// The runtime bundle carries no expression compiler (jsep and the program generator): built-in
// domains link with programs generated at build time, custom ones are compiled ahead into a
// module (compileDomainModule). dist/k6/mockjutsu-domains.js is the same entry with the
// compiler, for scripts that compile a JSON domain from open() in init (heavier per VU).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { renderBuiltInK6Modules } from './builtInPrograms.mjs';
import { basename, dirname, join, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Files the bundle may be made of (paths relative to the repository, with "/"). */
export const ALLOWED_INPUTS = [
  /^src\/core\/[^]*\.ts$/, /^src\/k6\/[^]*\.ts$/,
  // the schema compiler's pattern strings: ret's regex tokenizer
  /^node_modules\/ret\/dist\/[^]*\.js$/,
];

/** What the bundle with the compiler (mockjutsu-domains.js) may add: the expression parser. */
export const COMPILER_INPUTS = [/^node_modules\/(jsep|@jsep-plugin\/[a-z]+)\/dist\/[^]*\.js$/];

/** The k6 module is the only import the bundle may keep. */
export const ALLOWED_IMPORTS = ['k6/execution'];

/** Size budget of the minified bundle, in bytes. */
export const K6_BUNDLE_BUDGET_BYTES = 150 * 1024;

/**
 * Core files that have a variant for engines without a JIT (k6's goja): same results, cheaper
 * there, slower in V8. The k6 bundle takes the variant; the Node library keeps the original.
 * The domain's event serializer is JSON.stringify there (native in goja, ~5x faster than the
 * generated serializer; same text).
 */
export const NO_JIT_VARIANTS = {
  'src/core/aleaState.js': 'src/core/aleaStateNoJit.ts',
  'src/core/uuid.js': 'src/core/uuidNoJit.ts',
  'src/core/isoTime.js': 'src/core/isoTimeNoJit.ts',
  'src/core/domain/eventSerializer.js': 'src/core/domain/eventSerializerNoJit.ts',
};

/**
 * An esbuild plugin that bundles `swaps[path]` wherever a relative import lands on `path`
 * (both relative to the repository).
 */
function pathSwaps(name, swaps) {
  return {
    name,
    setup(b) {
      const names = [...new Set(Object.keys(swaps).map((p) => basename(p).replace(/\./g, '\\.')))];
      b.onResolve({ filter: new RegExp(`(^|/)(${names.join('|')})$`) }, (args) => {
        if (!args.path.startsWith('.')) return undefined;
        const target = relative(root, resolvePath(dirname(args.importer), args.path)).split(sep).join('/');
        const swap = swaps[target];
        return swap === undefined ? undefined : { path: join(root, swap) };
      });
    },
  };
}

const noJitVariants = pathSwaps('mockjutsu-no-jit-variants', NO_JIT_VARIANTS);

/**
 * In the runtime bundle these core files become stubs (src/k6/*Stub.ts): the expression compiler
 * (compileDomain.ts, with jsep), the built-in domains' definitions (built-ins come as generated
 * modules: linked data and program, so linkDomain's validation code is not bundled either; only
 * the shop is in the bundle, the others are dist/k6/domains/NAME.k6.js) and modelDomain.ts (the
 * `model` option: the shop with a user's chain, compiled from the shop's definition). The stubs throw an error
 * that says how to compile ahead. The bundle with the compiler keeps the originals.
 */
export const COMPILER_STUBS = {
  'src/core/domain/compileDomain.js': 'src/k6/compileDomainStub.ts',
  'src/core/domains/index.js': 'src/k6/builtInDomainsStub.ts',
  'src/core/domain/modelDomain.js': 'src/k6/modelDomainStub.ts',
};

const compilerStubs = pathSwaps('mockjutsu-compiler-stubs', COMPILER_STUBS);

/**
 * The user agents of the faker slice (src/core/data/fakerSlice.generated.ts, ~6 KB of long,
 * repetitive strings) go into the runtime bundle packed: the substrings that save the most bytes
 * each replaced by one ASCII character the list does not use (greedy, at build time), undone at
 * module load by one split/join per substring (native, ~1.1M goja instructions per VU; the
 * word lists would cost ~10x that, so they stay as they are). Same array. The ~3.8 KB saved
 * pay for the shop's session walk (src/core/domain/walkSource.ts, ~3.6 KB here), which the
 * runtime bundle once stripped to fit its budget; in goja it saves ~6% of `stream.next()`.
 */
export const PACKED_FAKER_LISTS = ['userAgents'];
/** Characters a packed list may use for its substrings (those absent from the list). */
const PACK_CHARS = "!#$%&'*<=>?@DJQRYZ[]^`jqy{}~";

/** Greedy substring packing of `text`: [packed text, dictionary] with unpackText(packed, dict) === text. */
export function packText(text) {
  const used = new Set(text);
  const free = [...PACK_CHARS].filter((c) => !used.has(c));
  let packed = text;
  const entries = [];
  for (const c of free) {
    const counts = new Map();
    for (let len = 2; len <= 40; len++) {
      for (let i = 0; i + len <= packed.length; i++) {
        const t = packed.slice(i, i + len);
        counts.set(t, (counts.get(t) ?? 0) + 1);
      }
    }
    let best;
    let bestGain = 20; // a substring must save more than its dictionary entry and the split/join
    for (const [t, n] of counts) {
      const gain = n * (t.length - 1) - t.length - 6;
      if (gain > bestGain || (gain === bestGain && best !== undefined && t < best)) { bestGain = gain; best = t; }
    }
    if (best === undefined) break;
    packed = packed.split(best).join(c);
    entries.push(c + best);
  }
  // Undone last first; entries never hold a newline (the dictionary's separator).
  const dict = entries.reverse().join('\n');
  if (dict.includes('\n\n') || unpackText(packed, dict) !== text) throw new Error('k6 bundle: packText does not round-trip');
  return [packed, dict];
}

/** The inverse of packText (its source is put into the bundle as is). */
export function unpackText(packed, dict) {
  const entries = dict.split('\n');
  let s = packed;
  for (let i = 0; i < entries.length; i++) s = s.split(entries[i].charAt(0)).join(entries[i].slice(1));
  return s;
}

let packedFakerSource;
const packFakerLists = {
  name: 'mockjutsu-pack-faker-lists',
  setup(b) {
    b.onLoad({ filter: /fakerSlice\.generated\.ts$/ }, (args) => {
      if (packedFakerSource === undefined) {
        let text = readFileSync(args.path, 'utf8');
        for (const name of PACKED_FAKER_LISTS) {
          const re = new RegExp(`^(export const ${name}: readonly string\\[\\] = )("(?:[^"\\\\]|\\\\.)*")(\\.split\\('\\|'\\);)$`, 'm');
          const m = re.exec(text);
          if (m === null) throw new Error(`k6 bundle: no list ${name} to pack in ${args.path} (did scripts/sliceFakerData.mjs change its form?)`);
          const [packed, dict] = packText(JSON.parse(m[2]));
          text = text.replace(re, () => `${m[1]}unpackText(${JSON.stringify(packed)}, ${JSON.stringify(dict)})${m[3]}`);
        }
        packedFakerSource = text + `\nfunction unpackText(packed: string, dict: string): string {\n${unpackText.toString().split('\n').slice(1).join('\n')}\n`;
      }
      return { contents: packedFakerSource, loader: 'ts' };
    });
  },
};

/** The two files k6 loads: ESM for `import` (k6 >= 0.53), CommonJS for `require` (older k6). */
export const K6_FORMATS = [
  { format: 'esm', file: 'mockjutsu.js' },
  { format: 'cjs', file: 'mockjutsu.cjs.js' },
];

/** The same entry with the expression compiler, to compile a domain in init (ESM and CommonJS). */
export const K6_COMPILER_FORMATS = [
  { format: 'esm', file: 'mockjutsu-domains.js' },
  { format: 'cjs', file: 'mockjutsu-domains.cjs.js' },
];

async function buildOne(outDir, format, file, version, withCompiler = false) {
  const outfile = join(outDir, file);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src', 'k6', 'index.ts')],
    outfile,
    bundle: true,
    format,
    platform: 'neutral',
    // neutral has no default main fields; ret is a CommonJS package
    mainFields: ['module', 'main'],
    target: 'es2017',
    minify: true,
    // The map is written beside the bundle but not referenced from it: k6 before v0.53 loads a
    // referenced map and runs Babel over it (measured: ~600 MB and 8-9 s per run with 230 KB).
    sourcemap: 'external',
    legalComments: 'none',
    charset: 'ascii',
    external: ['k6', 'k6/*'],
    banner: { js: `// mockjutsu ${version} k6 module${withCompiler ? ' with the domain compiler' : ''} (MIT, ${format === 'esm' ? 'ES module for k6 >= 0.53: import' : 'CommonJS for any k6: require'}) - deterministic session streams per VU. Built from src/k6/index.ts.` },
    metafile: true,
    logLevel: 'silent',
    plugins: withCompiler ? [noJitVariants] : [noJitVariants, compilerStubs, packFakerLists],
  });
  if (result.warnings.length > 0) throw new Error(`k6 bundle (${format}): esbuild warnings:\n` + result.warnings.map((w) => w.text).join('\n'));

  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p)).split(sep).join('/'));
  const allowed = withCompiler ? [...ALLOWED_INPUTS, ...COMPILER_INPUTS] : ALLOWED_INPUTS;
  const stray = inputs.filter((p) => !allowed.some((re) => re.test(p)));
  if (stray.length > 0) throw new Error(`k6 bundle: unexpected inputs (only src/core and src/k6 may be bundled): ${stray.join(', ')}`);
  const output = result.metafile.outputs[relative(root, outfile).split(sep).join('/')];
  const imports = (output?.imports ?? []).map((i) => i.path);
  const strayImports = imports.filter((p) => !ALLOWED_IMPORTS.includes(p));
  if (strayImports.length > 0) throw new Error(`k6 bundle: unexpected imports: ${strayImports.join(', ')}`);
  const bytes = readFileSync(outfile).length;
  // Over budget is a warning here (the build of the other surfaces goes on) and a failing test.
  if (!withCompiler && bytes > K6_BUNDLE_BUDGET_BYTES) console.warn(`build: WARNING k6 bundle ${file} is ${bytes} bytes, over its ${K6_BUNDLE_BUDGET_BYTES}-byte budget (every k6 VU loads it)`);
  // Minified bytes each input contributes (to see what the budget goes to).
  const contributions = Object.fromEntries(Object.entries(output?.inputs ?? {}).map(([p, v]) => [p, v.bytesInOutput]));
  return { outfile, bytes, inputs, imports, contributions };
}

/**
 * Builds dist/k6/mockjutsu.js (ESM) and dist/k6/mockjutsu.cjs.js (CommonJS), each with an
 * unreferenced .map and a copy of the .d.ts, and the same pair with the domain compiler
 * (mockjutsu-domains.js, .cjs.js). Returns the ESM build's outfile, bytes, inputs and imports,
 * plus `cjs` with the same for the CommonJS file and `domains` for the compiler bundles. Throws when a bundle pulls in a
 * file or an import other than those allowed above.
 */
export async function buildK6Bundle({ outDir = join(root, 'dist', 'k6'), quiet = false } = {}) {
  mkdirSync(outDir, { recursive: true });
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const [esm, cjs, domainsEsm, domainsCjs] = await Promise.all([
    ...K6_FORMATS.map(({ format, file }) => buildOne(outDir, format, file, version)),
    ...K6_COMPILER_FORMATS.map(({ format, file }) => buildOne(outDir, format, file, version, true)),
  ]);
  // Every built-in domain as a module beside the bundles (the runtime bundle carries only the shop).
  const domainsDir = join(outDir, 'domains');
  mkdirSync(domainsDir, { recursive: true });
  const builtInModules = await renderBuiltInK6Modules();
  for (const [name, text] of Object.entries(builtInModules)) writeFileSync(join(domainsDir, `${name}.k6.js`), text);
  const dts = join(root, 'src', 'k6', 'mockjutsu.d.ts');
  for (const f of [...K6_FORMATS, ...K6_COMPILER_FORMATS]) copyFileSync(dts, join(outDir, f.file.replace(/\.js$/, '.d.ts')));
  if (!quiet) {
    for (const b of [esm, cjs, domainsEsm, domainsCjs]) console.log(`build: k6 bundle -> ${relative(root, b.outfile)} (${(b.bytes / 1024).toFixed(1)} KB, ${b.inputs.length} files)`);
    console.log(`build: k6 built-in domain modules -> ${relative(root, domainsDir)}/ (${Object.keys(builtInModules).map((n) => `${n}.k6.js`).join(', ')})`);
  }
  return { ...esm, cjs, domains: { ...domainsEsm, cjs: domainsCjs }, builtInModules: Object.keys(builtInModules).map((n) => join(domainsDir, `${n}.k6.js`)) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildK6Bundle();
