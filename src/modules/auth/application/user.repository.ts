import type { Role, User, UserState } from '../domain/user';

export interface NewUser {
  readonly email: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly person: string | null;
}

/**
 * Port: the app's own users (table `app.users`). Emails are stored normalised and are unique;
 * `create` raises EmailTakenError for a duplicate.
 */
export abstract class UserRepository {
  abstract findByEmail(email: string): Promise<User | undefined>;
  abstract findById(id: string): Promise<User | undefined>;
  /** Every user, oldest first. */
  abstract list(): Promise<User[]>;
  abstract create(user: NewUser, now: Date): Promise<User>;
  /** The user after the change; undefined when there is no such user. */
  abstract setState(id: string, state: UserState, now: Date): Promise<User | undefined>;
  abstract setPasswordHash(id: string, passwordHash: string, now: Date): Promise<void>;
}
