// Builds dist/k6/ once per test process, so the k6 tests always run the bundle of the current
// source (the same build `node build.mjs k6` makes).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bundlePath = fileURLToPath(new URL('../../dist/k6/mockjutsu.js', import.meta.url));

export interface K6BundleBuild {
  outfile: string;
  bytes: number;
  inputs: string[];
  imports: string[];
}

let building: Promise<K6BundleBuild> | undefined;

export function ensureK6Bundle(): Promise<K6BundleBuild> {
  building ??= import('../../scripts/buildK6Bundle.mjs').then((m: any) => m.buildK6Bundle({ quiet: true }) as Promise<K6BundleBuild>);
  return building;
}

export function bundleText(): string {
  return readFileSync(bundlePath, 'utf8');
}
