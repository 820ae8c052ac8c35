import { DomainError } from '@bedside/common';
import { checkPasswordPolicy } from './password-policy';

const refusal = (password: string, username = 'op1') => {
  try {
    checkPasswordPolicy(password, { username, displayName: '张敏' });
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).message;
  }
};

describe('checkPasswordPolicy', () => {
  it.each([
    ['ten spaces', '          ', /at least|blank|guess/],
    ['a common password with digits', 'password12', /guess/],
    ['a keyboard walk', 'qwertyuiop12', /guess/],
    ['too short', 'x7#Lq9', /at least 10/],
    ['the username', 'operator-zhang', /username/],
  ])('refuses %s', (_name, password, why) => {
    const username = password === 'operator-zhang' ? 'operator-zhang' : 'op1';
    expect(refusal(password, username)).toMatch(why);
  });

  it('refuses a password built from the username', () => {
    expect(refusal('op-zhang-password', 'op-zhang')).toMatch(/built from the username/);
    expect(refusal('self-1-self-1', 'self-1')).toMatch(/built from the username/);
  });

  it('accepts a passphrase of unrelated words', () => {
    expect(refusal('copper kettle harbour')).toBeNull();
    expect(refusal('installer-pass-1')).toBeNull();
  });

  it('names the field it checked', () => {
    expect(refusal.call(null, 'short')).toMatch(/^password /);
    expect(() => checkPasswordPolicy('short', { username: 'a' }, 'newPassword')).toThrow(/^newPassword /);
  });
});
