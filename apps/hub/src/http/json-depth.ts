/**
 * Deepest array/object nesting in JSON text, found by one linear scan that skips string
 * contents. Run before JSON.parse and anything that recurses over the result (validation,
 * class-transformer), so a body nested thousands of levels deep is refused cheaply instead of
 * overflowing the stack (OWASP API4:2023, unrestricted resource consumption). Stops counting
 * once `limit` is exceeded. Malformed text is left to JSON.parse to report.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
