import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { normalizeIp } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AbuseDetectionService, type Client } from '../application/abuse-detection.service';
import {
  type AddressBlock,
  type Finding,
  inspectBody,
  inspectUrl,
  retryAfterSeconds,
} from '../domain/abuse-policy';
import { AddressBlockedError } from '../domain/address-blocked.error';
import { isUnthrottledPath } from '../domain/rate-limit';

const CLIENT = Symbol.for('symptom-diary.abuse-client');

type ExaminedRequest = FastifyRequest & { [CLIENT]?: Client };

/** The client as the rate limiter keys it (RateLimitGuard: `normalizeIp(request.ip)`). */
export function clientOf(request: FastifyRequest): Client {
  const ip = request.ip ?? 'unknown';
  return { ip, address: normalizeIp(ip) };
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function refuse(reply: FastifyReply, block: AddressBlock): never {
  const seconds = retryAfterSeconds(block, Date.now());
  void reply.header('Retry-After', String(seconds));
  throw new AddressBlockedError(seconds);
}

/**
 * The abuse detection on Fastify's hooks (registered in create-app.ts after the HTTP security,
 * so that a refusal carries the security headers), all before any work (Nest's guards, the
 * token check, the database come after):
 * - onRequest: a blocked address gets 403 problem+json with Retry-After; the path and query
 *   string are examined (probe paths, signatures);
 * - preHandler: the parsed JSON body is examined;
 * - onResponse: 401s, 404s and unknown paths are counted.
 * Probes (/health/*, /metrics) are neither examined nor refused. ABUSE_DETECTION_ENABLED=false
 * registers nothing.
 */
export function registerAbuseBlocking(app: NestFastifyApplication): void {
  const detection = app.get(AbuseDetectionService);
  if (!detection.enabled) return;
  const logger = new Logger('AbuseDetection');
  const fastify = app.getHttpAdapter().getInstance();

  const site = (request: FastifyRequest) => ({
    method: request.method,
    route: request.is404 ? 'unmatched' : (request.routeOptions?.url ?? 'unmatched'),
    requestId: String(request.id),
  });

  const suspicious = async (request: ExaminedRequest, reply: FastifyReply, finding: Finding) => {
    const client = request[CLIENT] ?? clientOf(request);
    const block = await detection.suspiciousRequest(client, finding, site(request));
    if (block) refuse(reply, block);
  };

  fastify.addHook('onRequest', async (request: ExaminedRequest, reply) => {
    const path = pathOf(request.url);
    if (isUnthrottledPath(path)) return;
    const client = clientOf(request);
    request[CLIENT] = client;
    const block = await detection.blockOf(client);
    if (block) refuse(reply, block);
    const finding = inspectUrl(path, (request.query ?? {}) as Record<string, unknown>);
    if (finding) await suspicious(request, reply, finding);
  });

  fastify.addHook('preHandler', async (request: ExaminedRequest, reply) => {
    if (request[CLIENT] === undefined) return;
    const finding = inspectBody(pathOf(request.url), request.body);
    if (finding) await suspicious(request, reply, finding);
  });

  fastify.addHook('onResponse', async (request: ExaminedRequest, reply) => {
    const client = request[CLIENT];
    if (client === undefined) return;
    try {
      await detection.answered(client, reply.statusCode, !request.is404, pathOf(request.url));
    } catch (error) {
      logger.warn(
        { reason: error instanceof Error ? error.message : 'unknown' },
        'abuse count failed',
      );
    }
  });
}
