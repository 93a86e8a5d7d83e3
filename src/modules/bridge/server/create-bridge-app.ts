import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { bridgeServerConfig } from '../../../config/configuration';
import { ProblemDetailsFilter } from '../../../shared/interface/problem-details.filter';
import { requestIdFromHeaders } from '../../../shared/interface/request-id';
import { registerHttpMetrics } from '../../metrics/infrastructure/http-metrics';
import { BridgeServerModule } from './bridge-server.module';
import {
  type BridgeServerOptions,
  resolveBridgeServerOptions,
} from './infrastructure/bridge-server-options';

/** Query bodies are small JSON envelopes; larger ones are refused with 413 before any work. */
export const BRIDGE_BODY_LIMIT_BYTES = 16 * 1024;

export interface BridgeApp {
  readonly app: NestFastifyApplication;
  /** What the bridge was configured with: transport and key ids (no secrets are reachable). */
  readonly options: BridgeServerOptions;
}

/**
 * Builds the bridge as bridge-main.ts runs it and as the e2e tests boot it: Fastify over HTTPS
 * (TLS 1.2+, mutual TLS with BRIDGE_TLS_CLIENT_CA), bodies kept as raw bytes so the signature is
 * checked on exactly what was sent, the one problem filter, pino logs. Throws BridgeStartupError
 * (before anything listens) without keys, or without TLS unless BRIDGE_ALLOW_PLAINTEXT=true.
 */
export async function createBridgeApp(
  settings: { logger?: boolean; shutdownHooks?: boolean } = {},
): Promise<BridgeApp> {
  // Calling the namespace factory validates the whole environment (one error lists every fault).
  const options = resolveBridgeServerOptions(bridgeServerConfig());
  const adapter = new FastifyAdapter({
    ...(options.https ? { https: options.https } : {}),
    bodyLimit: BRIDGE_BODY_LIMIT_BYTES,
    trustProxy: false,
    // Clients keep connections alive (keep-alive pool); outlast their idle timeout.
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    genReqId: requestIdFromHeaders,
    requestIdHeader: false,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  registerHttpMetrics(fastify);
  // Every body stays a Buffer: the signature covers the bytes as received, and nothing reads
  // them as JSON until the signature checked out (the controller does, after the guard).
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: BRIDGE_BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );
  const app = await NestFactory.create<NestFastifyApplication>(
    BridgeServerModule.register(),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false,
    },
  );
  if (settings.logger !== false) app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemDetailsFilter());
  if (settings.shutdownHooks !== false) app.enableShutdownHooks();
  return { app, options };
}
