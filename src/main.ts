import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap/create-app';
import { appConfig, AppConfig } from './config/configuration';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<AppConfig>(appConfig.KEY);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  new Logger('Bootstrap').log(`listening on ${url}; Swagger UI at ${url}/docs`);
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet: report on stderr without anything but the message.
  process.stderr.write(
    `startup failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
