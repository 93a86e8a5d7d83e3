import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/bootstrap/create-app';
import { AuthService, type TokenPair } from '../../src/modules/auth/application/auth.service';
import { UserAccountsService } from '../../src/modules/auth/application/user-accounts.service';
import type { Role } from '../../src/modules/auth/domain/user';
import { createTestDatabase, type TestDatabase } from './database';

/** The JWT key every test app signs with unless a test sets JWT_SECRET itself. */
export const TEST_JWT_SECRET = 'test-only-jwt-secret-do-not-use-0123456789abcdef';

/** Something that sends requests to the app, with or without a token of its own. */
export interface ApiClient {
  get(path: string, init?: RequestInit): Promise<Response>;
}

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly role: Role;
  readonly person: string | null;
}

export interface RunningApp extends ApiClient {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  /**
   * Sends the request as the default admin (who reads every person: today's semantics of the
   * tests written before authentication). An `authorization` header of the caller's wins.
   */
  get(path: string, init?: RequestInit): Promise<Response>;
  /** The default admin, created at start. */
  readonly admin: TestUser;
  /** Requests without any token. */
  readonly anonymous: ApiClient;
  /** Requests as the `user` of `person` (one of `options.people` given to startApp). */
  as(person: string): ApiClient;
  /** Requests with this access token. */
  withToken(accessToken: string): ApiClient;
  /** Creates a user through the app's own user service (random email and password by default). */
  createUser(spec: {
    role: Role;
    person?: string | null;
    email?: string;
    password?: string;
  }): Promise<TestUser>;
  /** Signs in through the app's AuthService (not over HTTP, so no rate limit applies). */
  login(user: { email: string; password: string }): Promise<TokenPair>;
  close(): Promise<void>;
}

/**
 * Boots the real application (same adapter, pipe, filter and Swagger as main.ts) on a free
 * loopback port with the given environment, and talks to it over HTTP. It creates an admin and a
 * `user` for each of `options.people` through the app's own user service, signs them in, and sends
 * the admin's token by default. JWT_SECRET defaults to TEST_JWT_SECRET; DATA_SOURCE=bridge
 * without APP_DATABASE_URL gets a database of its own for the app's tables, dropped on close.
 */
export async function startApp(
  env: Record<string, string>,
  options: { people?: readonly string[] } = {},
): Promise<RunningApp> {
  let appDatabase: TestDatabase | undefined;
  const previousAppUrl = process.env.APP_DATABASE_URL;
  const extra: Record<string, string> = {};
  if (env.DATA_SOURCE === 'bridge' && !env.APP_DATABASE_URL && !process.env.APP_DATABASE_URL) {
    appDatabase = await createTestDatabase();
    extra.APP_DATABASE_URL = appDatabase.url;
  }
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    // Tests send many requests from one address: a budget they never reach by accident
    // (rate-limit.e2e-spec.ts sets its own limit to test the limit itself).
    RATE_LIMIT_PER_MINUTE: '100000',
    // Likewise the abuse detection: suites send payloads, 401s and 404s on purpose to test the
    // validation and the auth behind it, from the loopback address, which is allowlisted here
    // (still examined, never blocked). abuse-blocking.e2e-spec.ts tests the blocking itself,
    // from forwarded addresses with an allowlist and thresholds of its own.
    ABUSE_ALLOWLIST: '127.0.0.1,::1',
    JWT_SECRET: TEST_JWT_SECRET,
    ...extra,
    ...env,
  });
  let app: NestFastifyApplication;
  try {
    app = await createApp({ logger: false });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await appDatabase?.drop().catch(() => undefined);
    throw error;
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const accounts = app.get(UserAccountsService);
  const auth = app.get(AuthService);

  const client = (token: string | undefined): ApiClient => ({
    get: (path, init) => fetch(`${baseUrl}${path}`, bearer(token, init)),
  });
  const createUser: RunningApp['createUser'] = async (spec) => {
    const email = spec.email ?? `${spec.role}-${randomBytes(6).toString('hex')}@test.example`;
    const password = spec.password ?? `pw-${randomBytes(12).toString('base64url')}`;
    const created = await accounts.create({
      email,
      password,
      role: spec.role,
      person: spec.person ?? null,
    });
    return { id: created.id, email, password, role: created.role, person: created.person };
  };
  // Each sign-in from an address of its own: sign-ins at once from one address count as
  // failures until they succeed (the lockout), and tests may lower its limits.
  const login: RunningApp['login'] = (user) =>
    auth.login(user.email, user.password, `test-support-${randomBytes(6).toString('hex')}`);

  const admin = await createUser({ role: 'admin' });
  const adminClient = client((await login(admin)).accessToken);
  const people = new Map<string, ApiClient>();
  for (const person of options.people ?? []) {
    const user = await createUser({ role: 'user', person });
    people.set(person, client((await login(user)).accessToken));
  }

  return {
    app,
    baseUrl,
    get: adminClient.get,
    admin,
    anonymous: client(undefined),
    as: (person) => {
      const found = people.get(person);
      if (!found) throw new Error(`startApp was not told about ${person}: pass { people: [...] }`);
      return found;
    },
    withToken: (token) => client(token),
    createUser,
    login,
    close: async () => {
      try {
        await app.close();
      } finally {
        if (appDatabase) {
          if (previousAppUrl === undefined) delete process.env.APP_DATABASE_URL;
          else process.env.APP_DATABASE_URL = previousAppUrl;
          await appDatabase.drop();
        }
      }
    },
  };
}

/** `init` with `Authorization: Bearer <token>` added, unless it has an authorization already. */
function bearer(token: string | undefined, init: RequestInit = {}): RequestInit {
  if (token === undefined) return init;
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: { name: string; reason: string }[];
}

/**
 * startApp(), then its environment put back: startApp writes `env` into process.env, an app is
 * configured once it is created, so restoring the variables keeps one app's settings from
 * leaking into the next app a test file starts.
 */
export async function startIsolatedApp(
  env: Record<string, string>,
  options?: { people?: readonly string[] },
): Promise<RunningApp> {
  const names = [...Object.keys(env), 'LOG_LEVEL', 'NODE_ENV'];
  const saved = new Map(names.map((n) => [n, process.env[n]]));
  try {
    return await startApp(env, options);
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
