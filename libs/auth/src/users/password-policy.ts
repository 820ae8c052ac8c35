import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { DomainError } from '@bedside/common';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
/** zxcvbn score 3: "safely unguessable", resists an offline attack on a slow hash. */
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/** What is left of a password once every copy of the username is taken out. */
const withoutName = (password: string, username: string): string =>
  password.toLowerCase().split(username.toLowerCase()).join('');

/**
 * Refuses the obviously weak, as NIST SP 800-63B §5.1.1.2 asks: too short, blank, on the
 * common-password and common-word lists, keyboard walks, and anything built from the user's own
 * name. Length beyond the minimum is left to the user (no composition rules).
 */
export function checkPasswordPolicy(
  password: string,
  user: { username: string; displayName?: string },
  field = 'password',
): void {
  const refuse = (why: string) => {
    throw new DomainError('VALIDATION_FAILED', `${field} ${why}`, { field });
  };
  if (typeof password !== 'string') refuse('must be a string');
  if ([...password].length < PASSWORD_MIN_LENGTH) refuse(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) refuse(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (password.trim().length === 0) refuse('must not be blank');
  if (password.toLowerCase() === user.username.toLowerCase()) refuse('must not be the username');
  estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  const known = [user.username, ...(user.displayName ? [user.displayName] : []), 'bedside'];
  const result = estimator.check(password, known);
  // The rest must stand on its own: "<username>-password" is as weak as "password".
  if (result.score >= MIN_SCORE && estimator.check(withoutName(password, user.username), known).score < MIN_SCORE)
    refuse('must not be built from the username');
  if (result.score < MIN_SCORE) {
    const hint = result.feedback.warning ? ` (${result.feedback.warning})` : '';
    refuse(`is too easy to guess${hint}: use a longer phrase of unrelated words`);
  }
}
