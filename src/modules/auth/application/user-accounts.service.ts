import { Injectable, Logger } from '@nestjs/common';
import { InvalidInputError, InvalidParameter } from '../../../shared/domain/domain-error';
import { CannotDisableSelfError, UserNotFoundError } from '../domain/auth-errors';
import type { Caller } from '../domain/caller';
import { passwordProblems } from '../domain/password-policy';
import {
  isPlausibleEmail,
  normaliseEmail,
  profileOf,
  Role,
  ROLES,
  roleProblems,
  type UserProfile,
  type UserState,
} from '../domain/user';
import { CallerCache } from './caller-cache';
import { PasswordHasher } from './password-hasher';
import { RefreshTokenRepository } from './refresh-token.repository';
import { UserRepository } from './user.repository';

export interface CreateUserCommand {
  readonly email: string;
  readonly password: string;
  readonly role: Role;
  /** The diary person the user reads; required for `user`. */
  readonly person?: string | null;
}

/** A demo account of the embedded default: one per demo person. */
export interface DemoAccount {
  readonly email: string;
  readonly person: string;
}

/**
 * The users of the service: created and disabled by admins (and by `npm run user:create`), the
 * demo users of the embedded default. Disabling a user revokes their refresh tokens and makes
 * their access tokens stop working at once on this instance (within seconds on others).
 */
@Injectable()
export class UserAccountsService {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly callers: CallerCache,
  ) {}

  /** Creates a user; 400 naming every bad field, 409 when the email is taken. */
  async create(command: CreateUserCommand): Promise<UserProfile> {
    const email = normaliseEmail(command.email);
    const person = command.person ?? null;
    const problems: InvalidParameter[] = [
      ...(isPlausibleEmail(email)
        ? []
        : [{ name: 'email', reason: 'email must be an email address' }]),
      ...(ROLES.includes(command.role)
        ? roleProblems(command.role, person)
        : [{ name: 'role', reason: `role must be one of ${ROLES.join(', ')}` }]),
      ...passwordProblems(command.password, { email }).map((reason) => ({
        name: 'password',
        reason,
      })),
    ];
    if (problems.length > 0) {
      const names = [...new Set(problems.map((p) => p.name))];
      throw new InvalidInputError(
        'REQUEST.VALIDATION_FAILED',
        `The request has ${names.length} invalid parameter${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`,
        problems,
      );
    }
    const user = await this.users.create(
      { email, passwordHash: await this.hasher.hash(command.password), role: command.role, person },
      new Date(),
    );
    this.logger.log({ event: 'user_created', userId: user.id, role: user.role }, 'user created');
    return profileOf(user);
  }

  async list(): Promise<UserProfile[]> {
    return (await this.users.list()).map(profileOf);
  }

  async get(id: string): Promise<UserProfile> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundError();
    return profileOf(user);
  }

  /** Disables (or enables again) a user. An admin cannot disable themselves. */
  async setState(id: string, state: UserState, actor: Caller): Promise<UserProfile> {
    if (state === 'disabled' && id === actor.userId) throw new CannotDisableSelfError();
    const now = new Date();
    const user = await this.users.setState(id, state, now);
    if (!user) throw new UserNotFoundError();
    if (state === 'disabled') await this.refreshTokens.revokeAllOfUser(id, now);
    this.callers.forget(id);
    this.logger.log(
      {
        event: state === 'disabled' ? 'user_disabled' : 'user_enabled',
        userId: id,
        by: actor.userId,
      },
      `user ${state}`,
    );
    return profileOf(user);
  }

  /**
   * Makes sure each demo account exists with `password` (the embedded default only). An existing
   * account keeps its state (an admin may have disabled it); its password follows the setting.
   */
  async ensureDemoAccounts(accounts: readonly DemoAccount[], password: string): Promise<void> {
    for (const account of accounts) {
      const email = normaliseEmail(account.email);
      const existing = await this.users.findByEmail(email);
      if (!existing) {
        await this.users.create(
          {
            email,
            passwordHash: await this.hasher.hash(password),
            role: 'user',
            person: account.person,
          },
          new Date(),
        );
      } else if (!(await this.hasher.verify(existing.passwordHash, password))) {
        await this.users.setPasswordHash(existing.id, await this.hasher.hash(password), new Date());
      }
    }
  }
}
