import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import pino from 'pino';
import { exitGracefullyOnSignals } from './bootstrap/graceful-shutdown';
import { startupDependencies, waitForDependencies } from './bootstrap/wait-for-dependencies';
import { validateEnvironment } from './config/environment';
import { createApp } from './bootstrap/create-app';
import { appConfig, AppConfig } from './config/configuration';
import { flushLogs } from './shared/infrastructure/logging.module';

async function bootstrap(): Promise<void> {
  const env = validateEnvironment(process.env);
  await waitForDependencies(startupDependencies(env, 'api'), {
    budgetMs: env.STARTUP_WAIT_SECONDS * 1000,
    log: pino({ level: env.LOG_LEVEL, base: { service: 'symptom-diary-api', context: 'Startup' } }),
  });
  const app = await createApp({ shutdownHooks: false });
  const config = app.get<AppConfig>(appConfig.KEY);
  const logger = new Logger('Bootstrap');

  exitGracefullyOnSignals(app, logger);

  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  logger.log(`listening on ${url}; Swagger UI at ${url}/docs`);
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet: report on stderr without anything but the message.
  process.stderr.write(
    `startup failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  flushLogs();
  process.exit(1);
});
