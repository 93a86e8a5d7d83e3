import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblems } from './password-policy';

describe('passwordProblems', () => {
  it('accepts a long passphrase, whatever its characters', () => {
    expect(passwordProblems('correct horse battery staple')).toEqual([]);
    expect(passwordProblems('demo-password-123')).toEqual([]);
    expect(passwordProblems('ünïcödé-pässwörd')).toEqual([]);
  });

  it(`needs at least ${PASSWORD_MIN_LENGTH} characters (counted as characters, not bytes)`, () => {
    expect(passwordProblems('a'.repeat(3) + 'bcdefgh')).toEqual([
      `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
    ]);
    expect(passwordProblems('x1y2z3w4v5u6')).toEqual([]);
    // 11 emoji are 44 bytes but 11 characters.
    expect(passwordProblems('🙂🙃😀😁😂😃😄😅😆😇😈')).toContain(
      `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
    );
  });

  it(`refuses more than ${PASSWORD_MAX_LENGTH} characters (hashing cost stays bounded)`, () => {
    expect(passwordProblems('ab'.repeat(65))).toEqual([
      `password must be at most ${PASSWORD_MAX_LENGTH} characters`,
    ]);
    expect(passwordProblems('ab'.repeat(64))).toEqual([]);
  });

  it('refuses the passwords tried first and one repeated character', () => {
    expect(passwordProblems('Password1234')).toEqual(['password is too easy to guess']);
    expect(passwordProblems('123456789012')).toEqual(['password is too easy to guess']);
    expect(passwordProblems('zzzzzzzzzzzzzzzz')).toEqual(['password is too easy to guess']);
  });

  it('refuses the email address or its local part', () => {
    expect(
      passwordProblems('anna.schmidt@example.com', { email: 'Anna.Schmidt@example.com' }),
    ).toEqual(['password must not be the email address']);
    expect(passwordProblems('anna.schmidt', { email: 'anna.schmidt@example.com' })).toEqual([
      'password must not be the email address',
    ]);
  });

  it('never repeats the password in a reason', () => {
    const password = 'short';
    for (const reason of passwordProblems(password, { email: 'x@example.com' })) {
      expect(reason).not.toContain(password);
    }
  });
});
