import type { IncomingMessage } from 'node:http';
import { EdgeError, invalidField } from './edge-error';
import { checkJsonText } from '@bedside/contracts';
import { findUnsafeText } from './unsafe-text';

export interface JsonBodyLimits {
  /** Largest body accepted, in bytes, checked before and while reading. */
  maxBytes: number;
  /** Deepest array/object nesting accepted. */
  maxDepth: number;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The body rules of the REST API, checked before anything parses or walks the body:
 * only `application/json` in UTF-8 (RFC 8259 §8.1) without a content coding; anything else is a
 * 415 (RFC 9110 §15.5.16). Refusing form, multipart and text/plain bodies also closes classic
 * cross-site form posts, which browsers send without a CORS preflight (OWASP CSRF Prevention
 * Cheat Sheet). A declared type is refused even without a body on a state-changing method.
 */
export function checkBodyHeaders(
  req: Pick<IncomingMessage, 'method' | 'headers'>,
  limits: JsonBodyLimits,
): EdgeError | undefined {
  const contentType = req.headers['content-type'];
  const declaredLength = Number(req.headers['content-length'] ?? 0);
  const hasBody = req.headers['transfer-encoding'] !== undefined || declaredLength > 0;
  if (contentType === undefined) {
    return hasBody ? unsupported('a request body needs Content-Type: application/json') : undefined;
  }
  if (!hasBody && !STATE_CHANGING.has(req.method?.toUpperCase() ?? '')) return undefined;
  const [mediaType, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (mediaType !== 'application/json')
    return unsupported(`Content-Type ${mediaType || '(empty)'} is not accepted; send application/json`, {
      contentType: mediaType,
    });
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    return unsupported(`charset ${charset} is not accepted; JSON is UTF-8`, { charset });
  const coding = req.headers['content-encoding']?.trim().toLowerCase();
  if (coding && coding !== 'identity')
    return unsupported(`Content-Encoding ${coding} is not accepted`, { contentEncoding: coding });
  if (declaredLength > limits.maxBytes) return tooLarge(limits.maxBytes);
  return undefined;
}

/** Parses a complete body; undefined for an empty one. Throws EdgeError naming what is wrong. */
export function parseJsonBody(raw: Buffer, limits: JsonBodyLimits): unknown {
  if (raw.length === 0) return undefined;
  // Encoding and depth from the bytes, before anything parses or recurses; unsafe text is left
  // to findUnsafeText below, which names the field it is in.
  const fault = checkJsonText(raw, limits.maxDepth);
  if (fault?.kind === 'encoding') throw invalidField('body', 'is not valid UTF-8', 'invalid-encoding');
  if (fault?.kind === 'depth')
    throw invalidField('body', `is nested deeper than ${limits.maxDepth} levels`, 'too-deep');
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw invalidField('body', `is not valid JSON: ${(err as Error).message}`, 'malformed-json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalidField('body', 'must be a JSON object', 'not-an-object');
  const unsafe = findUnsafeText(value, 'body');
  if (unsafe) throw invalidField(unsafe.field, unsafe.problem, 'unsafe-text');
  return value;
}

/** Reads the body, stopping (413) as soon as it passes the limit. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.resume(); // discard the rest
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

const unsupported = (message: string, details?: Record<string, unknown>) =>
  new EdgeError(415, 'UNSUPPORTED_MEDIA_TYPE', message, details);
const tooLarge = (maxBytes: number) =>
  new EdgeError(413, 'PAYLOAD_TOO_LARGE', `request body larger than ${maxBytes} bytes`, { maxBytes });
