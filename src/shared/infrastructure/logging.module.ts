import { Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { appConfig, AppConfig } from '../../config/configuration';
import { requestIdFromHeaders } from '../interface/request-id';

/**
 * Paths redacted from every log line. Health data (utterances, notes, symptom names typed by a
 * person), credentials and tokens never reach the logs.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-bridge-signature"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'req.body',
  'req.query',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.text',
  '*.notes',
  '*.utterance',
  '*.params',
  '*.parameters',
];

const PROBE_PATHS = ['/health/live', '/health/ready', '/metrics'];

/**
 * Logs go to stdout asynchronously and in batches: under load, lines leave 4 KiB at a time
 * instead of one write each; at rest, a timer writes what is pending every second.
 * `flushLogs()` writes everything now; main.ts calls it last on shutdown so no line is lost.
 */
const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
setInterval(() => destination.flush(), 1000).unref();

export function flushLogs(): void {
  destination.flushSync();
}

function pathOnly(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export function pinoHttpOptions(config: AppConfig) {
  return {
    level: config.logLevel,
    // Fastify assigns the id (create-app.ts); pino-http reuses `req.id` and only falls back here.
    genReqId: requestIdFromHeaders,
    autoLogging: {
      ignore: (req: IncomingMessage) => PROBE_PATHS.includes(pathOnly(req.url)),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      // Only the path: query strings may carry symptom names and other health data.
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        path: pathOnly(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'symptom-diary-api' },
  };
}

/** JSON logs through nestjs-pino, with a request id on every line. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        pinoHttp: [pinoHttpOptions(config), destination],
        // nestjs-pino's default route pattern ('{/*splat}') never matches under Nest 12 on
        // Fastify: no request was logged. '*path' does (test/e2e proves the request logs).
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
      }),
    }),
  ],
})
export class LoggingModule {}
