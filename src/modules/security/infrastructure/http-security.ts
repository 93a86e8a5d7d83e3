import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { normalizeIp, ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { securityConfig, type SecurityConfig } from '../../../config/configuration';
import {
  CSP_REPORT_BODY_LIMIT_BYTES,
  CSP_REPORT_CONTENT_TYPES,
  CSP_REPORT_GROUP,
  CSP_REPORT_PATH,
} from '../domain/csp-report';
import { PrometheusRateLimitMetrics } from './prometheus-rate-limit.metrics';
import {
  clientBudgetKey,
  isUnthrottledPath,
  RATE_LIMIT_DECIDED,
  RATE_WINDOW_MS,
  rateLimitDetail,
  rateLimitHeaders,
} from '../domain/rate-limit';

type Directives = Record<string, string[]>;

const reporting: Directives = { reportUri: [CSP_REPORT_PATH], reportTo: [CSP_REPORT_GROUP] };

/**
 * The API answers JSON only: nothing may load, run, frame or submit anything from its answers.
 * A browser that renders an answer anyway (an error page opened directly, a sniffing attempt)
 * gets a document that can do nothing.
 */
export const API_CSP_DIRECTIVES: Directives = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  ...reporting,
};

/**
 * Swagger UI (/docs) is an HTML application served from this origin: its scripts, stylesheet and
 * images are same-origin files; its inline <style> blocks need 'unsafe-inline' for styles (no
 * script is inline); "try it out" calls the API on the same origin. It may not be framed.
 */
export const DOCS_CSP_DIRECTIVES: Directives = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  ...reporting,
};

/** Swagger UI, its assets and the OpenAPI document (routes outside Nest's router). */
export function isDocsPath(path: string): boolean {
  return path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-');
}

export function helmetOptions(config: SecurityConfig): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
    strictTransportSecurity: {
      maxAge: config.hstsMaxAgeSeconds,
      includeSubDomains: true,
      preload: false,
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    xContentTypeOptions: true,
    xPoweredBy: true,
  };
}

/** Headers a browser may read from a cross-origin answer. */
const EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
];

/**
 * Only the listed origins, compared exactly; none when the list is empty. No cookies are used,
 * so credentials are never allowed (`Access-Control-Allow-Credentials` is not sent); a frontend
 * authenticates with the Authorization header, which preflights allow.
 */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  const allowed = new Set(origins);
  return {
    origin:
      allowed.size === 0
        ? false
        : (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    // A non-preflight OPTIONS from an allowed origin gets the headers rather than a text/plain 400.
    strictPreflight: false,
  };
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

type DecidedRequest = FastifyRequest & { [RATE_LIMIT_DECIDED]?: boolean };

/**
 * Security at the HTTP edge, registered on Fastify before any route (create-app.ts):
 * - helmet: CSP (the API's, or Swagger UI's under /docs), HSTS, nosniff, Referrer-Policy,
 *   X-Frame-Options, no X-Powered-By; `Reporting-Endpoints` names the CSP report endpoint;
 * - body parsers for CSP reports (bounded);
 * - CORS for CORS_ORIGINS, registered after helmet so that preflight answers carry the headers;
 * - the rate limit for answers Nest's guard never sees (Swagger UI, 404s, bodies refused while
 *   parsing), in the client's default budget shared with the guard.
 */
export async function registerHttpSecurity(app: NestFastifyApplication): Promise<void> {
  const config = app.get<SecurityConfig>(securityConfig.KEY);
  const storage = app.get<ThrottlerStorage>(ThrottlerStorage);
  const fastify = app.getHttpAdapter().getInstance();

  // helmet itself (the library @fastify/helmet wraps), its middleware built once: @fastify/helmet
  // builds it anew on every request (parsing the CSP directives each time, ~2 % of a request's
  // CPU) and adds a second async hook per request for reply decorators nothing here uses.
  const securityHeaders = helmet(helmetOptions(config));
  const docsPolicy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: DOCS_CSP_DIRECTIVES,
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    // Synchronous: every helmet middleware sets its header and calls next at once (and throws
    // on a bad option, which helmet() above already rejected when it was built).
    securityHeaders(request.raw, reply.raw, rethrow);
    reply.raw.setHeader('Reporting-Endpoints', `${CSP_REPORT_GROUP}="${CSP_REPORT_PATH}"`);
    if (isDocsPath(pathOf(request.url))) docsPolicy(request.raw, reply.raw, done);
    else done();
  });

  registerReportParsers(fastify);
  await app.register(fastifyCors, corsOptions(config.corsOrigins));
  registerRateLimitHooks(fastify, storage, config.rateLimitPerMinute);
}

function rethrow(error?: unknown): void {
  if (error) throw error instanceof Error ? error : new Error('helmet failed');
}

function registerReportParsers(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    CSP_REPORT_CONTENT_TYPES,
    { parseAs: 'string', bodyLimit: CSP_REPORT_BODY_LIMIT_BYTES },
    fastify.getDefaultJsonParser('error', 'error'),
  );
}

function registerRateLimitHooks(
  fastify: FastifyInstance,
  storage: ThrottlerStorage,
  limit: number,
): void {
  const rejections = new PrometheusRateLimitMetrics();
  const count = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = clientBudgetKey('default', normalizeIp(request.ip));
    const outcome = await storage.increment(key, RATE_WINDOW_MS, limit, RATE_WINDOW_MS, 'default');
    const headers = rateLimitHeaders(limit, outcome);
    for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
      void reply.header(name, headers[name]);
    }
    return outcome;
  };

  // Swagger UI and unknown paths: counted and refused here, before any work.
  fastify.addHook('onRequest', async (request: DecidedRequest, reply) => {
    const path = pathOf(request.url);
    if (!(request.is404 || isDocsPath(path)) || isUnthrottledPath(path)) return;
    if (request.method === 'OPTIONS') return;
    request[RATE_LIMIT_DECIDED] = true;
    const outcome = await count(request, reply);
    if (outcome.isBlocked) {
      rejections.rejected(request.is404 ? 'unmatched' : (request.routeOptions?.url ?? 'unmatched'));
      void reply.header('Retry-After', String(outcome.timeToBlockExpire));
      throw new ThrottlerException(rateLimitDetail(outcome.timeToBlockExpire));
    }
  });

  // Errors answered before the guard ran (413, 415, malformed JSON, a disallowed preflight):
  // counted and marked, so they carry the headers too; the next request meets the limit.
  fastify.addHook('onSend', async (request: DecidedRequest, reply, payload) => {
    if (request[RATE_LIMIT_DECIDED] || reply.statusCode < 400) return payload;
    if (reply.hasHeader('x-ratelimit-limit') || isUnthrottledPath(pathOf(request.url))) {
      return payload;
    }
    request[RATE_LIMIT_DECIDED] = true;
    await count(request, reply);
    return payload;
  });
}
