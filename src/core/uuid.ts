import type { Prng } from './prng.js';

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i + 256).toString(16).slice(1));

/** RFC 4122 version-4 layout from four 32-bit draws (a 256-entry table keeps it cheap). */
export function uuidV4(r: Prng): string {
  const a = r.int32();
  const b = r.int32();
  const c = r.int32();
  const d = r.int32();
  return (
    HEX[a >>> 24]! + HEX[(a >>> 16) & 255]! + HEX[(a >>> 8) & 255]! + HEX[a & 255]! + '-' +
    HEX[b >>> 24]! + HEX[(b >>> 16) & 255]! + '-' +
    HEX[((b >>> 8) & 15) | 64]! + HEX[b & 255]! + '-' +
    HEX[((c >>> 24) & 63) | 128]! + HEX[(c >>> 16) & 255]! + '-' +
    HEX[(c >>> 8) & 255]! + HEX[c & 255]! +
    HEX[d >>> 24]! + HEX[(d >>> 16) & 255]! + HEX[(d >>> 8) & 255]! + HEX[d & 255]!
  );
}
