import * as argon2 from 'argon2';
import { PasswordHasher } from '../application/password-hasher';

/**
 * argon2id with 19 MiB of memory, 5 passes, 1 lane: OWASP's minimum memory, with passes added
 * until one hash takes about 100 ms on the development machine (a Raspberry Pi 4 takes longer).
 * Hashing runs on libuv's thread pool, not on the event loop. The parameters are stored in each
 * hash, so raising them later keeps old hashes verifiable.
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 5,
  parallelism: 1,
} as const;

export class Argon2PasswordHasher extends PasswordHasher {
  constructor(private readonly options: typeof ARGON2_OPTIONS = ARGON2_OPTIONS) {
    super();
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // An unreadable hash is a failed sign-in, not a server error.
      return false;
    }
  }
}
