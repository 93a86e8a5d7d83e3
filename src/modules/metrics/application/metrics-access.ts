import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerTokenOf } from '../domain/metric-labels';

/**
 * Who may scrape: anyone when no METRICS_TOKEN is configured (the port is then reachable only
 * from the monitoring network: nginx never proxies /metrics), otherwise only a request with
 * `Authorization: Bearer <METRICS_TOKEN>`. The comparison takes the same time whatever the
 * token sent (both sides hashed to 32 bytes first, so not even the length leaks).
 */
export class MetricsAccess {
  private readonly expected: Buffer | undefined;

  constructor(token: string | undefined) {
    this.expected = token ? digest(token) : undefined;
  }

  get protected(): boolean {
    return this.expected !== undefined;
  }

  allows(authorization: string | string[] | undefined): boolean {
    if (this.expected === undefined) return true;
    const sent = bearerTokenOf(authorization);
    // Compared even without a token, so a missing header takes as long as a wrong one.
    const equal = timingSafeEqual(digest(sent ?? ''), this.expected);
    return sent !== undefined && equal;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
