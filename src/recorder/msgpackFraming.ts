// Where one MessagePack item ends, without decoding it. A recorder file is MessagePack items
// written back to back (mite's format: no length prefix, no separator), so this is how a
// reader tells a complete last item from one that a kill cut short.

/** `end` of the item starting at `offset`; `incomplete` when the bytes stop inside it; `invalid` at a byte no item starts with. */
export type ItemEnd = { kind: 'complete'; end: number } | { kind: 'incomplete' } | { kind: 'invalid'; at: number; byte: number };

const INCOMPLETE: ItemEnd = { kind: 'incomplete' };

function uint(bytes: Uint8Array, at: number, size: 1 | 2 | 4): number {
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + bytes[at + i]!;
  return n;
}

/**
 * Scans the MessagePack item at `offset` of `bytes` (the spec's formats, including ext and
 * nested maps and arrays) and says where it ends. Iterative: deep nesting cannot overflow the stack.
 */
export function msgpackItemEnd(bytes: Uint8Array, offset: number): ItemEnd {
  let pos = offset;
  let pending = 1; // items still to skip (containers add their children)
  const n = bytes.length;
  while (pending > 0) {
    if (pos >= n) return INCOMPLETE;
    const b = bytes[pos]!;
    pending--;
    let header = 1;
    let body = 0;
    let children = 0;
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) {
      // fixint, nil, false, true
    } else if (b >= 0x80 && b <= 0x8f) children = 2 * (b & 0x0f);
    else if (b >= 0x90 && b <= 0x9f) children = b & 0x0f;
    else if (b >= 0xa0 && b <= 0xbf) body = b & 0x1f;
    else {
      const sized = (size: 1 | 2 | 4): number | undefined => (pos + 1 + size > n ? undefined : uint(bytes, pos + 1, size));
      let len: number | undefined;
      switch (b) {
        case 0xc4: case 0xd9: len = sized(1); header = 2; body = len ?? 0; break; // bin8, str8
        case 0xc5: case 0xda: len = sized(2); header = 3; body = len ?? 0; break; // bin16, str16
        case 0xc6: case 0xdb: len = sized(4); header = 5; body = len ?? 0; break; // bin32, str32
        case 0xc7: len = sized(1); header = 3; body = (len ?? 0); break; // ext8: len, type
        case 0xc8: len = sized(2); header = 4; body = (len ?? 0); break; // ext16
        case 0xc9: len = sized(4); header = 6; body = (len ?? 0); break; // ext32
        case 0xca: body = 4; len = 0; break; // float32
        case 0xcb: body = 8; len = 0; break; // float64
        case 0xcc: case 0xd0: body = 1; len = 0; break;
        case 0xcd: case 0xd1: body = 2; len = 0; break;
        case 0xce: case 0xd2: body = 4; len = 0; break;
        case 0xcf: case 0xd3: body = 8; len = 0; break;
        case 0xd4: body = 2; len = 0; break; // fixext1: type + 1
        case 0xd5: body = 3; len = 0; break;
        case 0xd6: body = 5; len = 0; break;
        case 0xd7: body = 9; len = 0; break;
        case 0xd8: body = 17; len = 0; break;
        case 0xdc: len = sized(2); header = 3; children = len ?? 0; break; // array16
        case 0xdd: len = sized(4); header = 5; children = len ?? 0; break; // array32
        case 0xde: len = sized(2); header = 3; children = 2 * (len ?? 0); break; // map16
        case 0xdf: len = sized(4); header = 5; children = 2 * (len ?? 0); break; // map32
        default: return { kind: 'invalid', at: pos, byte: b }; // 0xc1 is never used
      }
      if (len === undefined) return INCOMPLETE;
    }
    pos += header + body;
    if (pos > n) return INCOMPLETE;
    pending += children;
  }
  return { kind: 'complete', end: pos };
}
