/** What a user may do: `user` reads one person's diary; `admin` reads every person's and manages users. */
export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A disabled user can neither sign in nor use a token issued before. */
export const USER_STATES = ['active', 'disabled'] as const;
export type UserState = (typeof USER_STATES)[number];

/** The diary's `person` column is varchar(40). */
export const PERSON_MAX_LENGTH = 40;
export const EMAIL_MAX_LENGTH = 254;

export interface User {
  readonly id: string;
  /** Normalised (trimmed, lower case): the sign-in name, unique. */
  readonly email: string;
  readonly passwordHash: string;
  readonly role: Role;
  /**
   * The diary `person` whose entries this user reads, exactly as the diary writes it. Required for
   * a `user`; optional for an `admin` (who reads everyone's).
   */
  readonly person: string | null;
  readonly state: UserState;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a user looks like outside the service: never the hash. */
export type UserProfile = Omit<User, 'passwordHash'>;

export function profileOf(user: User): UserProfile {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    person: user.person,
    state: user.state,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/** Emails compare trimmed and in lower case, so that `Anna@Example.com` is `anna@example.com`. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A plausible address (one @, a dot in the domain, no spaces), not a full RFC 5322 check: the
 * address is a sign-in name here, nothing is ever sent to it.
 */
export function isPlausibleEmail(email: string): boolean {
  return (
    email.length <= EMAIL_MAX_LENGTH &&
    /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(normaliseEmail(email))
  );
}

/** The problems of a new user's role and person, by field name (empty when fine). */
export function roleProblems(
  role: Role,
  person: string | null | undefined,
): { name: string; reason: string }[] {
  if (person !== null && person !== undefined) {
    if (person.trim().length === 0 || person.length > PERSON_MAX_LENGTH) {
      return [{ name: 'person', reason: `person must be 1 to ${PERSON_MAX_LENGTH} characters` }];
    }
    return [];
  }
  return role === 'user'
    ? [{ name: 'person', reason: 'a user needs the diary person whose entries they read' }]
    : [];
}
