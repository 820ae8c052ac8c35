import { isUtf8 } from 'node:buffer';
import { MAX_JSON_DEPTH } from './limits';

export interface TextFault {
  code: 'MALFORMED_JSON' | 'INVALID_PAYLOAD';
  /** What is wrong: the bytes are not UTF-8, the nesting is too deep, or a string holds unsafe text. */
  kind: 'encoding' | 'depth' | 'text';
  reason: string;
}

const NUL: TextFault = { code: 'INVALID_PAYLOAD', kind: 'text', reason: 'strings must not contain U+0000' };
const LONE_SURROGATE: TextFault = {
  code: 'INVALID_PAYLOAD',
  kind: 'text',
  reason: 'strings must not contain an unpaired surrogate',
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const U = 0x75;

function hex4(b: Uint8Array, at: number): number {
  if (at + 4 > b.length) return -1;
  let v = 0;
  for (let k = at; k < at + 4; k++) {
    const c = b[k];
    const d =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * Checks a payload's bytes before JSON.parse sees them, so nothing the parser would turn into
 * text the store cannot hold gets further:
 * - not UTF-8 → MALFORMED_JSON (Buffer#toString would silently turn it into U+FFFD);
 * - nested deeper than MAX_JSON_DEPTH → INVALID_PAYLOAD (recursive validators overflow the stack
 *   long before the parser does);
 * - a `\u0000` escape or an unpaired surrogate escape, in a key or a value → INVALID_PAYLOAD:
 *   PostgreSQL text cannot hold U+0000, and a lone surrogate is not a Unicode character.
 * Raw control bytes and raw surrogates need no check here: the first is not JSON, the second
 * not UTF-8. Returns null when the text is fine (the JSON grammar is the parser's to check).
 * One linear pass that recurses into nothing, so it is safe on any input; the REST edge uses it
 * too, with its own depth limit.
 */
export function checkJsonText(payload: Uint8Array, maxDepth = MAX_JSON_DEPTH): TextFault | null {
  if (!isUtf8(payload)) return { code: 'MALFORMED_JSON', kind: 'encoding', reason: 'payload is not valid UTF-8' };
  let depth = 0;
  let inString = false;
  // Too deep wins over unsafe text: a caller that then walks the parsed value must know it is shallow.
  let textFault: TextFault | null = null;
  const n = payload.length;
  for (let i = 0; i < n; i++) {
    const c = payload[i];
    if (inString) {
      if (c === QUOTE) inString = false;
      else if (c === BACKSLASH) {
        if (payload[i + 1] !== U) {
          i++; // a one-character escape, possibly \" or \\
          continue;
        }
        const v = hex4(payload, i + 2);
        if (v === 0) textFault ??= NUL;
        else if (v >= 0xd800 && v <= 0xdbff) {
          const low = payload[i + 6] === BACKSLASH && payload[i + 7] === U ? hex4(payload, i + 8) : -1;
          if (low >= 0xdc00 && low <= 0xdfff) {
            i += 11; // a surrogate pair: one character
            continue;
          }
          textFault ??= LONE_SURROGATE;
        } else if (v >= 0xdc00 && v <= 0xdfff) textFault ??= LONE_SURROGATE;
        i += 5;
      }
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth)
        return { code: 'INVALID_PAYLOAD', kind: 'depth', reason: `JSON nested deeper than ${maxDepth} levels` };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return textFault;
}
