import { createKeyv } from '@keyv/redis';
import type Keyv from 'keyv';

/**
 * A Keyv on Redis that fails fast while Redis is away — no offline queue, bounded connects —
 * and reconnects in the background with backoff (100 ms doubling, at most 5 s). Every store on
 * Redis (conversations, the diary response cache) uses it, so that an outage answers at once
 * (a 503, or a cache miss) rather than after a queue fills.
 */
export function createFailFastRedisKeyv(url: string): Keyv {
  return createKeyv(
    {
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000),
      },
    },
    { throwOnConnectError: false, throwOnErrors: true, connectionTimeout: 2000 },
  );
}
