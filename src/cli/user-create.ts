import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import {
  appDatabaseConfig,
  authConfig,
  databaseConfig,
  diaryConfig,
} from '../config/configuration';
import { validateEnvironment } from '../config/environment';
import { AppDatabaseModule } from '../infrastructure/database/app-database.module';
import { DatabaseModule } from '../infrastructure/database/database.module';
import { UserAccountsService } from '../modules/auth/application/user-accounts.service';
import { USER_ACCOUNT_PROVIDERS } from '../modules/auth/auth.module';
import { ROLES, type Role } from '../modules/auth/domain/user';
import { DomainError } from '../shared/domain/domain-error';

const USAGE = `Creates a user of the service (the first admin, typically).

  npm run user:create -- --email you@example.com [--role admin|user] [--person Anna]

--role defaults to admin; a user needs --person (the diary's person whose entries they read).
The password is read from USER_PASSWORD, else from standard input (one line), else asked for
on the terminal without echo. Never pass it as an argument: other users can see arguments.
The database is found as the service finds it (APP_DATABASE_URL, DATABASE_URL, or the embedded
default in DATA_DIR: stop the service first, the embedded cluster runs once per DATA_DIR).`;

/** Just enough of the service to reach the users: configuration and the app's database. */
@Module({})
class UserCliModule {
  static register(): DynamicModule {
    const env = validateEnvironment(process.env);
    // The embedded cluster is started by the diary connection (DatabaseModule).
    const embedded = !env.APP_DATABASE_URL && !env.DATABASE_URL && env.DATA_SOURCE === 'direct';
    return {
      module: UserCliModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validate: validateEnvironment,
          load: [databaseConfig, diaryConfig, appDatabaseConfig, authConfig],
        }),
        ...(embedded ? [DatabaseModule] : []),
        AppDatabaseModule,
      ],
      providers: USER_ACCOUNT_PROVIDERS,
    };
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      person: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.email) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (!ROLES.includes(values.role as Role)) {
    process.stderr.write(`--role must be one of ${ROLES.join(', ')}\n`);
    return 2;
  }
  const password = await readPassword();
  const app = await NestFactory.createApplicationContext(UserCliModule.register(), {
    logger: ['error', 'warn'],
  });
  try {
    const user = await app.get(UserAccountsService).create({
      email: values.email,
      password,
      role: values.role as Role,
      person: values.person ?? null,
    });
    process.stdout.write(
      `created ${user.role} ${user.email}${user.person ? ` (reads ${user.person}'s diary)` : ''}, id ${user.id}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const reasons = error.invalidParameters.map((p) => `\n  - ${p.reason}`).join('');
    process.stderr.write(`${error.message}${reasons}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.USER_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Again: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(
      `user:create failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
