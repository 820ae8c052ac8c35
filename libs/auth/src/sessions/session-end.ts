/**
 * A console session, or every session of a user but one, that ended: what each hub must
 * forget at once and whose open streams it must close.
 */
export type SessionEnd =
  /**
   * Signed out (or no longer live at a read of the live sessions). `recorded` false: the
   * database was unreachable and the sign-out is written when it is back, at `at`.
   */
  | { kind: 'session'; digest: string; at: number; recorded: boolean }
  /** Disabled, deleted, given a new role or password: every session of the user, but `exceptDigest`. */
  | { kind: 'user'; userId: string; exceptDigest?: string };

/** Where an end was learnt: made on this hub, told by another hub, or found by a read of the live sessions. */
export type SessionEndSource = 'here' | 'elsewhere' | 'read';

/** A session end as received from another hub, checked field by field (the bus carries plain JSON). */
export function asSessionEnd(value: unknown): SessionEnd | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (
    v.kind === 'session' &&
    typeof v.digest === 'string' &&
    typeof v.at === 'number' &&
    typeof v.recorded === 'boolean'
  )
    return { kind: 'session', digest: v.digest, at: v.at, recorded: v.recorded };
  if (
    v.kind === 'user' &&
    typeof v.userId === 'string' &&
    (v.exceptDigest === undefined || typeof v.exceptDigest === 'string')
  )
    return v.exceptDigest === undefined
      ? { kind: 'user', userId: v.userId }
      : { kind: 'user', userId: v.userId, exceptDigest: v.exceptDigest };
  return undefined;
}
