/**
 * Text PostgreSQL cannot store and no client means to send: U+0000 (refused by `text` columns)
 * and unpaired UTF-16 surrogates (not Unicode scalar values, so not encodable as UTF-8; RFC 8259
 * §8.2 leaves their handling undefined). Refused at the edge instead of failing in the database.
 */
// eslint-disable-next-line no-control-regex -- finding U+0000 is the purpose of this pattern
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` is unsafe, or undefined when it is fine. */
export function unsafeTextProblem(text: string): string | undefined {
  const m = UNSAFE.exec(text);
  if (!m) return undefined;
  return m[0] === '\u0000' ? 'must not contain U+0000 (NUL)' : 'must not contain an unpaired UTF-16 surrogate';
}

export interface UnsafeTextFinding {
  /** Where, e.g. `body.contacts[0].name`. */
  field: string;
  problem: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const child = (path: string, key: string) =>
  IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/**
 * First unsafe string (value or property name) in a parsed JSON value. Recursive: call it only
 * on values whose nesting depth is already bounded (see json-depth.ts).
 */
export function findUnsafeText(value: unknown, path: string): UnsafeTextFinding | undefined {
  if (typeof value === 'string') {
    const problem = unsafeTextProblem(value);
    return problem ? { field: path, problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const keyProblem = unsafeTextProblem(key);
      if (keyProblem) return { field: path, problem: `has a property name that ${keyProblem}` };
      const found = findUnsafeText(v, child(path, key));
      if (found) return found;
    }
  }
  return undefined;
}
