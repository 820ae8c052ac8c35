import { invalidField, type EdgeError } from './edge-error';
import { unsafeTextProblem } from './unsafe-text';

const decode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined; // URIError: malformed %-sequence or not UTF-8 (RFC 3986 §2.1, §2.5)
  }
};

/**
 * Checks the request target (path and query, RFC 9112 §3.2) before routing: every
 * percent-encoded sequence must decode to UTF-8, and no decoded path segment, query name or
 * value may hold text the database cannot store. Returns the first problem, naming `path` or
 * `query.<name>`.
 */
export function checkRequestTarget(url: string): EdgeError | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const decodedPath = decode(path);
  if (decodedPath === undefined) return invalidField('path', 'is not valid percent-encoded UTF-8', 'invalid-encoding');
  const pathProblem = unsafeTextProblem(decodedPath);
  if (pathProblem) return invalidField('path', pathProblem, 'unsafe-text');
  if (q < 0) return undefined;
  for (const pair of url.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' ');
    const name = decode(rawName);
    if (name === undefined)
      return invalidField(`query.${rawName}`, 'has a name that is not valid percent-encoded UTF-8', 'invalid-encoding');
    const nameProblem = unsafeTextProblem(name);
    if (nameProblem) return invalidField('query', `has a parameter name that ${nameProblem}`, 'unsafe-text');
    const value = decode(rawValue);
    if (value === undefined)
      return invalidField(`query.${name}`, 'is not valid percent-encoded UTF-8', 'invalid-encoding');
    const valueProblem = unsafeTextProblem(value);
    if (valueProblem) return invalidField(`query.${name}`, valueProblem, 'unsafe-text');
  }
  return undefined;
}
