import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of a request: the caller's `x-request-id` when it is sane, a new UUID otherwise. */
export function requestIdFromHeaders(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate && ACCEPTABLE_ID.test(candidate) ? candidate : randomUUID();
}

/** The id assigned to a request by the logging middleware (pino-http sets `req.id`). */
export function requestIdOf(request: { raw?: IncomingMessage; id?: unknown }): string {
  const raw: { id?: unknown } | undefined = request.raw;
  const id = raw?.id ?? request.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : 'unknown';
}
