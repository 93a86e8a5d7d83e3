import type { BridgeQueryRequest } from '../../../../../libs/bridge-protocol/src';
import { InvalidInputError, InvalidParameter } from '../../../../shared/domain/domain-error';

/** Query names: catalogue names such as `stats.totals`; anything else is refused unread. */
const QUERY_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const ENVELOPE_KEYS = ['name', 'params'];

const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(): InvalidInputError {
  return new InvalidInputError('REQUEST.MALFORMED', 'The request body is not valid JSON.');
}

function invalid(problems: InvalidParameter[]): InvalidInputError {
  const names = [...new Set(problems.map((p) => p.name))];
  return new InvalidInputError(
    'REQUEST.VALIDATION_FAILED',
    `The request has ${names.length} invalid parameter${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`,
    problems,
  );
}

/**
 * Reads `{ "name": "...", "params": { ... } }` from the raw body bytes, after the signature has
 * been checked. Only the envelope is checked here; the query itself validates its params.
 * Messages never echo a value.
 */
export function parseQueryEnvelope(body: unknown): BridgeQueryRequest {
  if (!Buffer.isBuffer(body) || body.length === 0) throw malformed();
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch {
    throw malformed();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid([{ name: 'body', reason: 'must be an object with name and params' }]);
  }
  const problems: InvalidParameter[] = Object.keys(value)
    .filter((key) => !ENVELOPE_KEYS.includes(key))
    .map((key) => ({ name: key, reason: 'is not a known field' }));
  const { name, params } = value as { name?: unknown; params?: unknown };
  if (typeof name !== 'string' || !QUERY_NAME.test(name)) {
    problems.push({ name: 'name', reason: 'must be a query name such as stats.totals' });
  }
  if (
    params !== undefined &&
    (typeof params !== 'object' || params === null || Array.isArray(params))
  ) {
    problems.push({ name: 'params', reason: 'must be an object' });
  }
  if (problems.length > 0) throw invalid(problems);
  return { name: name as string, params: (params ?? {}) as Record<string, unknown> };
}

/** `application/json`, with or without parameters such as a charset. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(';')[0].trim().toLowerCase() === 'application/json';
}
