import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap/create-app';
import { appConfig, AppConfig } from './config/configuration';
import { flushLogs } from './shared/infrastructure/logging.module';

async function bootstrap(): Promise<void> {
  const app = await createApp({ shutdownHooks: false });
  const config = app.get<AppConfig>(appConfig.KEY);
  const logger = new Logger('Bootstrap');

  // Graceful shutdown: stop taking requests, let those in flight finish, close the pool and the
  // embedded database (application shutdown hooks), write the last log lines, exit 0.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal} received: shutting down`);
      app
        .close()
        .then(() => {
          logger.log('shut down cleanly');
          flushLogs();
          process.exit(0);
        })
        .catch((error: unknown) => {
          logger.error(`shutdown failed: ${error instanceof Error ? error.message : 'unknown'}`);
          flushLogs();
          process.exit(1);
        });
    });
  }

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
