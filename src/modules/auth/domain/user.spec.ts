import { demoAccounts } from './demo-accounts';
import { isPlausibleEmail, normaliseEmail, profileOf, roleProblems, User } from './user';

describe('users', () => {
  it('normalises emails for comparison', () => {
    expect(normaliseEmail('  Anna@Example.COM ')).toBe('anna@example.com');
  });

  it('takes plausible email addresses only', () => {
    expect(isPlausibleEmail('anna@example.com')).toBe(true);
    expect(isPlausibleEmail('demo+ben@example.co.uk')).toBe(true);
    for (const bad of [
      'anna',
      'anna@',
      '@example.com',
      'anna@example',
      'a b@example.com',
      `${'a'.repeat(250)}@ex.com`,
    ]) {
      expect(isPlausibleEmail(bad)).toBe(false);
    }
  });

  it('needs a person for a user, not for an admin', () => {
    expect(roleProblems('user', null)).toEqual([
      { name: 'person', reason: 'a user needs the diary person whose entries they read' },
    ]);
    expect(roleProblems('user', 'Anna')).toEqual([]);
    expect(roleProblems('admin', null)).toEqual([]);
    expect(roleProblems('admin', 'Anna')).toEqual([]);
    expect(roleProblems('user', '   ')).toHaveLength(1);
    expect(roleProblems('user', 'x'.repeat(41))).toHaveLength(1);
  });

  it('never shows the password hash', () => {
    const user: User = {
      id: 'u1',
      email: 'anna@example.com',
      passwordHash: '$argon2id$secret',
      role: 'user',
      person: 'Anna',
      state: 'active',
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    expect(JSON.stringify(profileOf(user))).not.toContain('argon2');
  });

  it('names one demo account per demo person from one setting', () => {
    expect(demoAccounts('Demo@Example.com', ['Anna', 'Ben', 'Mia'])).toEqual([
      { email: 'demo@example.com', person: 'Anna' },
      { email: 'demo+ben@example.com', person: 'Ben' },
      { email: 'demo+mia@example.com', person: 'Mia' },
    ]);
  });
});
