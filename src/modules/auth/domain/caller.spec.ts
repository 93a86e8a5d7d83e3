import { PersonNotFoundError } from './auth-errors';
import { Caller, scopedPerson, visiblePeople } from './caller';

const anna: Caller = { userId: 'u1', role: 'user', person: 'Anna' };
const admin: Caller = { userId: 'u2', role: 'admin', person: null };

describe('scopedPerson', () => {
  it('gives a user their own person, asked or not', () => {
    expect(scopedPerson(anna, undefined)).toBe('Anna');
    expect(scopedPerson(anna, 'Anna')).toBe('Anna');
  });

  it("answers a user asking for anyone else's diary as not found (404, never 403)", () => {
    for (const other of ['Ben', 'anna', 'Anna ', '']) {
      expect(() => scopedPerson(anna, other)).toThrow(PersonNotFoundError);
    }
    try {
      scopedPerson(anna, 'Ben');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'not_found', code: 'DIARY.PERSON_NOT_FOUND' });
    }
  });

  it('gives an admin whoever they name, or everyone', () => {
    expect(scopedPerson(admin, undefined)).toBeUndefined();
    expect(scopedPerson(admin, 'Ben')).toBe('Ben');
  });

  it('gives a user without a person nothing at all', () => {
    expect(() => scopedPerson({ ...anna, person: null }, undefined)).toThrow(PersonNotFoundError);
  });
});

describe('visiblePeople', () => {
  it('shows an admin the household and a user only themselves', () => {
    expect(visiblePeople(admin, ['Anna', 'Ben', 'Mia'])).toEqual(['Anna', 'Ben', 'Mia']);
    expect(visiblePeople(anna, ['Anna', 'Ben', 'Mia'])).toEqual(['Anna']);
    expect(visiblePeople({ ...anna, person: null }, ['Anna'])).toEqual([]);
  });
});
