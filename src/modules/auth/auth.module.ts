import {
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { authConfig, type AuthConfig } from '../../config/configuration';
import { validateEnvironment } from '../../config/environment';
import {
  APP_DATA_SOURCE,
  AppDatabaseModule,
  assertAppDatabaseLocatable,
} from '../../infrastructure/database/app-database.module';
import { DEMO_PEOPLE } from '../symptoms/infrastructure/demo/demo-diary.generator';
import { AccessTokens } from './application/access-tokens';
import { AuthService } from './application/auth.service';
import { CallerCache } from './application/caller-cache';
import { LoginAttemptStore } from './application/login-attempt.store';
import { PasswordHasher } from './application/password-hasher';
import { RefreshTokenRepository } from './application/refresh-token.repository';
import { UserAccountsService } from './application/user-accounts.service';
import { UserRepository } from './application/user.repository';
import { demoAccounts } from './domain/demo-accounts';
import { Argon2PasswordHasher } from './infrastructure/argon2-password.hasher';
import { JwtAccessTokens } from './infrastructure/jwt-access-tokens';
import { assertJwtKeyAvailable, resolveJwtSecret } from './infrastructure/jwt-secret';
import { SqlLoginAttemptStore } from './infrastructure/sql-login-attempt.store';
import { SqlRefreshTokenRepository } from './infrastructure/sql-refresh-token.repository';
import { SqlUserRepository } from './infrastructure/sql-user.repository';
import { AccessTokenGuard } from './interface/access-token.guard';
import { AdminUsersController } from './interface/admin-users.controller';
import { AuthController } from './interface/auth.controller';

const appDataSource = getDataSourceToken(APP_DATA_SOURCE);

/**
 * What managing users needs, without tokens or HTTP: shared by the service and by
 * `npm run user:create` (src/cli/user-create.ts). Needs AppDatabaseModule.
 */
export const USER_ACCOUNT_PROVIDERS: Provider[] = [
  {
    provide: UserRepository,
    inject: [appDataSource],
    useFactory: (dataSource: DataSource) => new SqlUserRepository(dataSource),
  },
  {
    provide: RefreshTokenRepository,
    inject: [appDataSource],
    useFactory: (dataSource: DataSource) => new SqlRefreshTokenRepository(dataSource),
  },
  { provide: PasswordHasher, useFactory: () => new Argon2PasswordHasher() },
  CallerCache,
  UserAccountsService,
];

/**
 * Authentication and authorisation (docs/security.md): users in the app's own database, JWT
 * access tokens, rotating refresh tokens, sign-in lockout, and the global guard that makes every
 * route need a token unless it is @Public(). On the embedded default, one demo user per demo
 * person.
 */
@Module({
  imports: [AppDatabaseModule],
  controllers: [AuthController, AdminUsersController],
  providers: [
    ...USER_ACCOUNT_PROVIDERS,
    {
      provide: LoginAttemptStore,
      inject: [appDataSource, authConfig.KEY],
      useFactory: (dataSource: DataSource, config: AuthConfig) =>
        new SqlLoginAttemptStore(dataSource, config.lockout.lockMs),
    },
    {
      provide: AccessTokens,
      inject: [authConfig.KEY],
      useFactory: (config: AuthConfig) => {
        const { secret, generated } = resolveJwtSecret(config);
        if (generated) {
          new Logger('Auth').warn(
            'generated a random JWT signing key in DATA_DIR (embedded default only); set JWT_SECRET for anything real',
          );
        }
        return new JwtAccessTokens(secret, config.accessTtlSeconds);
      },
    },
    AuthService,
    { provide: APP_GUARD, useClass: AccessTokenGuard },
  ],
  exports: [AuthService, UserAccountsService],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly accounts: UserAccountsService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /**
   * The module, after checking what it cannot start without — a JWT key, and in bridge mode the
   * app database's URL — before anything connects anywhere: a refused start leaves nothing open.
   */
  static register(): DynamicModule {
    const env = validateEnvironment(process.env);
    assertJwtKeyAvailable({
      jwtSecret: env.JWT_SECRET,
      embeddedDefault: env.DATA_SOURCE === 'direct' && env.DATABASE_URL === undefined,
    });
    assertAppDatabaseLocatable({ url: env.APP_DATABASE_URL, dataSource: env.DATA_SOURCE });
    return { module: AuthModule };
  }

  /** On the embedded default with the demo diary: a demo user per demo person, announced. */
  async onApplicationBootstrap(): Promise<void> {
    const demo = this.config.demoUsers;
    if (!demo) return;
    const accounts = demoAccounts(demo.email, DEMO_PEOPLE);
    await this.accounts.ensureDemoAccounts(accounts, demo.password);
    const [first, ...others] = accounts;
    new Logger('Auth').warn(
      `DEMO ONLY, never for real data: sign in as ${first.email} / ${demo.password} (reads ${first.person}'s diary)` +
        (others.length > 0
          ? `; ${others.map((a) => `${a.email} (${a.person})`).join(', ')} with the same password`
          : ''),
    );
  }
}
