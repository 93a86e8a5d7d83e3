import type { INestApplication, LoggerService } from '@nestjs/common';
import { flushLogs } from '../shared/infrastructure/logging.module';

/**
 * Graceful shutdown on SIGTERM or SIGINT, for the API (main.ts) and the bridge (bridge-main.ts):
 * stop taking requests, let those in flight finish, close the pools and the embedded database
 * (application shutdown hooks), write the last log lines, exit 0 (1 when closing failed).
 */
export function exitGracefullyOnSignals(app: INestApplication, logger: LoggerService): void {
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
}
