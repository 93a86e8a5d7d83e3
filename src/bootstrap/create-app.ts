import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { appConfig, AppConfig } from '../config/configuration';
import { validateEnvironment } from '../config/environment';
import { parseTrustProxy } from '../config/security-settings';
import { registerHttpMetrics } from '../modules/metrics/infrastructure/http-metrics';
import { registerHttpSecurity } from '../modules/security/infrastructure/http-security';
import { ErrorReporter } from '../shared/application/error-reporter';
import { registerAbuseBlocking } from '../modules/security/interface/abuse-blocking.hooks';
import { ProblemDetailsFilter } from '../shared/interface/problem-details.filter';
import { requestIdFromHeaders } from '../shared/interface/request-id';
import { createValidationPipe } from '../shared/interface/validation';
import { setupOpenApi } from './openapi';

/** Request bodies larger than this are refused with 413 before any work. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Builds the application exactly as production runs it (main.ts) and as the e2e tests boot it:
 * Fastify, the one ValidationPipe, the one exception filter, pino logs, Swagger.
 */
export async function createApp(options: { logger?: boolean; shutdownHooks?: boolean } = {}) {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // The client address comes from X-Forwarded-For only when the peer is a trusted proxy.
    trustProxy: parseTrustProxy(validateEnvironment(process.env).TRUST_PROXY),
    // Node's keep-alive must outlast a reverse proxy's upstream keep-alive (nginx: 60 s).
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // One request id for Fastify, pino-http (which reuses `req.id`) and the problem bodies: the
    // caller's `x-request-id` when it is sane, a new UUID otherwise; echoed on every answer.
    genReqId: requestIdFromHeaders,
    requestIdHeader: false,
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  registerHttpMetrics(adapter.getInstance());
  const { DATA_SOURCE } = validateEnvironment(process.env);
  const module = AppModule.register({ dataSource: DATA_SOURCE });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  await registerHttpSecurity(app);
  registerAbuseBlocking(app);
  if (options.logger !== false) app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(ErrorReporter)));
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  const config = app.get<AppConfig>(appConfig.KEY);
  if (config.swaggerEnabled) setupOpenApi(app);
  return app;
}
