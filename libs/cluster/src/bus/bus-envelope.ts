import { DOMAIN_ERROR_STATUS, DomainError, type DomainErrorCode } from '@bedside/common';

/**
 * A message on the cluster bus: a `kind` the receiver switches on, plus its own JSON fields
 * (declare a kind as `interface X extends BusMessage { kind: 'x'; ... }`). Nodes of one cluster
 * run the same code, so a typed handler trusts the fields of its kind; a receiver ignores kinds
 * it does not know (a node of the next version during a rolling upgrade).
 */
export interface BusMessage {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** Who sent a message and when (the sender's clock, ms epoch): for logs and fast-path latency. */
export interface BusMeta {
  from: string;
  sentAt: number;
}

/** The wire form of a message or request: version, sender, time, message. */
interface WireMessage extends BusMeta {
  v: 1;
  msg: BusMessage;
}

/** The error a request handler raised, as sent back: a DomainError keeps its code. */
interface WireError {
  code?: DomainErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

type WireReply = { v: 1; ok: true; msg: BusMessage } | { v: 1; ok: false; error: WireError };

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export function encodeMessage(msg: BusMessage, meta: BusMeta): string {
  const wire: WireMessage = { v: 1, from: meta.from, sentAt: meta.sentAt, msg };
  return JSON.stringify(wire);
}

export function decodeMessage(text: string): Decoded<{ msg: BusMessage; meta: BusMeta }> {
  const parsed = parse(text);
  if (!parsed.ok) return parsed;
  const w = parsed.value;
  if (typeof w.from !== 'string' || typeof w.sentAt !== 'number') return bad('no sender or time');
  if (!isBusMessage(w.msg)) return bad('no message kind');
  return { ok: true, value: { msg: w.msg, meta: { from: w.from, sentAt: w.sentAt } } };
}

export function encodeReply(msg: BusMessage): string {
  const wire: WireReply = { v: 1, ok: true, msg };
  return JSON.stringify(wire);
}

/**
 * A handler's failure as a reply. A DomainError keeps its code, message and details, so the
 * requesting node re-throws the same error and its edge maps it as if it were local; anything
 * else is a bug on the serving node, logged there, and travels without its internals.
 */
export function encodeErrorReply(err: unknown): string {
  const error: WireError =
    err instanceof DomainError
      ? { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) }
      : { message: 'the serving node failed to handle the request' };
  const wire: WireReply = { v: 1, ok: false, error };
  return JSON.stringify(wire);
}

/** A reply: the message, or the error to throw (a DomainError when the server sent a code). */
export function decodeReply(text: string): Decoded<{ msg: BusMessage } | { error: Error }> {
  const parsed = parse(text);
  if (!parsed.ok) return parsed;
  const w = parsed.value;
  if (w.ok === true) return isBusMessage(w.msg) ? { ok: true, value: { msg: w.msg } } : bad('no message kind');
  if (w.ok !== false || !isObject(w.error) || typeof w.error.message !== 'string')
    return bad('neither reply nor error');
  const { code, message, details } = w.error;
  if (typeof code === 'string' && Object.hasOwn(DOMAIN_ERROR_STATUS, code)) {
    return {
      ok: true,
      value: { error: new DomainError(code as DomainErrorCode, message, isObject(details) ? details : undefined) },
    };
  }
  return { ok: true, value: { error: new Error(message) } };
}

function parse(text: string): Decoded<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (!isObject(value)) return bad('not an object');
  if (value.v !== 1) return bad(`unknown envelope version ${JSON.stringify(value.v)}`);
  return { ok: true, value };
}

export function isBusMessage(value: unknown): value is BusMessage {
  return isObject(value) && typeof value.kind === 'string' && value.kind.length > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const bad = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
