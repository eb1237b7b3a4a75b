// Builds dist/k6/ once per test process, so the k6 tests always run the bundle of the current
// source (the same build `node build.mjs k6` makes).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bundlePath = fileURLToPath(new URL('../../dist/k6/mockjutsu.js', import.meta.url));
/** The CommonJS build of the same code, for `require` (k6 before v0.53 loads it without Babel). */
export const cjsBundlePath = fileURLToPath(new URL('../../dist/k6/mockjutsu.cjs.js', import.meta.url));

export interface K6BundleFile {
  outfile: string;
  bytes: number;
  inputs: string[];
  imports: string[];
  /** Minified bytes each input contributes (0: imported, but nothing of it kept). */
  contributions: Record<string, number>;
}

/** The ESM build's fields, plus `cjs` for the CommonJS build. */
export interface K6BundleBuild extends K6BundleFile {
  cjs: K6BundleFile;
  /** dist/k6/domains/NAME.k6.js of every built-in domain. */
  builtInModules: string[];
}

let building: Promise<K6BundleBuild> | undefined;

export function ensureK6Bundle(): Promise<K6BundleBuild> {
  building ??= import('../../scripts/buildK6Bundle.mjs').then((m: any) => m.buildK6Bundle({ quiet: true }) as Promise<K6BundleBuild>);
  return building;
}

export function bundleText(path = bundlePath): string {
  return readFileSync(path, 'utf8');
}
