import { PersonNotFoundError } from './auth-errors';
import type { Role } from './user';

/** Who is asking: the signed-in user behind a valid access token, as of this request. */
export interface Caller {
  readonly userId: string;
  readonly role: Role;
  /** The diary person a `user` reads; an admin may have none. */
  readonly person: string | null;
}

/**
 * The diary person a request reads, given the `person` it asked for. Admins read anyone's, or
 * everyone's when they name nobody. A user reads only their own person's: naming nobody means
 * them, naming anyone else answers 404 (as if that diary did not exist, never 403, which would
 * confirm it does).
 */
export function scopedPerson(caller: Caller, requested: string | undefined): string | undefined {
  if (caller.role === 'admin') return requested;
  if (caller.person === null) throw new PersonNotFoundError();
  if (requested !== undefined && requested !== caller.person) throw new PersonNotFoundError();
  return caller.person;
}

/** The household names the caller may see (for reading names in questions). */
export function visiblePeople(caller: Caller, household: readonly string[]): string[] {
  if (caller.role === 'admin') return [...household];
  return caller.person === null ? [] : [caller.person];
}
