import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import pino from 'pino';
import { exitGracefullyOnSignals } from './bootstrap/graceful-shutdown';
import { startupDependencies, waitForDependencies } from './bootstrap/wait-for-dependencies';
import { validateEnvironment } from './config/environment';
import {
  bridgeServerConfig,
  BridgeServerConfig,
  databaseConfig,
  DatabaseConfig,
} from './config/configuration';
import { createBridgeApp } from './modules/bridge/server/create-bridge-app';
import { flushLogs } from './shared/infrastructure/logging.module';

/** The bridge process (npm run start:bridge): see docs/bridge.md. */
async function bootstrap(): Promise<void> {
  const env = validateEnvironment(process.env);
  await waitForDependencies(startupDependencies(env, 'bridge'), {
    budgetMs: env.STARTUP_WAIT_SECONDS * 1000,
    log: pino({
      level: env.LOG_LEVEL,
      base: { service: 'symptom-diary-bridge', context: 'Startup' },
    }),
  });
  const { app, options } = await createBridgeApp({ shutdownHooks: false });
  const config = app.get<BridgeServerConfig>(bridgeServerConfig.KEY);
  const logger = new Logger('Bridge');

  exitGracefullyOnSignals(app, logger);

  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  logger.log(
    {
      transport: options.transport,
      keyIds: options.keys.ids(),
      maxConcurrency: config.maxConcurrency,
      maxRps: config.maxRps,
    },
    `bridge listening on ${url}`,
  );
  const database = app.get<DatabaseConfig>(databaseConfig.KEY);
  if (config.maxConcurrency > database.poolSize) {
    logger.warn(
      `BRIDGE_MAX_CONCURRENCY (${config.maxConcurrency}) is above DB_POOL_SIZE ` +
        `(${database.poolSize}): admitted queries may wait for a connection`,
    );
  }
  if (options.transport === 'http') {
    logger.warn('plain HTTP (BRIDGE_ALLOW_PLAINTEXT=true): signatures only, nothing is encrypted');
  }
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet: report on stderr without anything but the message.
  process.stderr.write(
    `bridge startup failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  flushLogs();
  process.exit(1);
});
