/**
 * The password rules (NIST SP 800-63B): long rather than "complex", no composition rules, a check
 * against passwords everybody tries first, and an upper bound so that hashing cannot be made to
 * cost arbitrarily much.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** A few of the passwords tried first in every guessing attack (those of 12+ characters). */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  'password1234',
  'password12345',
  'passwordpassword',
  'qwertyuiopas',
  'qwerty123456',
  '111111111111',
  'aaaaaaaaaaaa',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'administrator',
  'changeme1234',
]);

/** Why a password is refused; empty when it is acceptable. Never mentions the password itself. */
export function passwordProblems(password: string, context: { email?: string } = {}): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push(`password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push(`password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) {
    problems.push('password is too easy to guess');
  }
  const email = context.email?.trim().toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0])) {
    problems.push('password must not be the email address');
  }
  return problems;
}
