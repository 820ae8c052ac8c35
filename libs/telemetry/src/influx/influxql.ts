/** InfluxQL quoting (InfluxDB 1.x scanner rules, also what 2.x/3.x v1 compatibility parses). */

/** A double-quoted identifier: measurement, tag key, field key, retention policy. */
export function quoteIdent(name: string): string {
  return `"${escapeChars(name, '"')}"`;
}

/** A single-quoted string literal, e.g. a tag value in WHERE. */
export function quoteString(value: string): string {
  return `'${escapeChars(value, "'")}'`;
}

function escapeChars(s: string, quote: '"' | "'"): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else out += ch;
  }
  return out;
}

/** A time literal for WHERE: an integer with a unit suffix is read as an absolute epoch time. */
export function timeLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`time must be an integer number of ms, got ${ms}`);
  return `${ms}ms`;
}

/** A duration for GROUP BY time(...). */
export function durationLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0)
    throw new RangeError(`interval must be a positive integer number of ms, got ${ms}`);
  return `${ms}ms`;
}
