import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { securityConfig, type SecurityConfig } from '../../config/configuration';
import { RateLimitMetrics } from './application/rate-limit-metrics';
import { RATE_WINDOW_MS } from './domain/rate-limit';
import { MemoryThrottlerStorage } from './infrastructure/memory-throttler.storage';
import { PrometheusRateLimitMetrics } from './infrastructure/prometheus-rate-limit.metrics';
import { RedisThrottlerStorage } from './infrastructure/redis-throttler.storage';
import { CspReportController } from './interface/csp-report.controller';
import { RateLimitGuard } from './interface/rate-limit.guard';

/** Rate-limit counters: Redis when REDIS_URL is set (shared by all instances), else memory. */
export function createRateLimitStorage(
  config: Pick<SecurityConfig, 'redisUrl' | 'rateLimitRedisPrefix'>,
): MemoryThrottlerStorage | RedisThrottlerStorage {
  return config.redisUrl
    ? RedisThrottlerStorage.connect(config.redisUrl, config.rateLimitRedisPrefix)
    : new MemoryThrottlerStorage();
}

/**
 * Security of the API's edge (docs/security.md): the rate limit on every route (a global guard
 * over @nestjs/throttler) and the CSP report endpoint. Headers, CORS and the Fastify-level parts
 * are registered by `registerHttpSecurity` (infrastructure/http-security.ts) in create-app.ts.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [securityConfig.KEY],
      useFactory: (config: SecurityConfig) => ({
        throttlers: [
          {
            name: 'default',
            ttl: RATE_WINDOW_MS,
            limit: config.rateLimitPerMinute,
            blockDuration: RATE_WINDOW_MS,
          },
        ],
        storage: createRateLimitStorage(config),
      }),
    }),
  ],
  controllers: [CspReportController],
  providers: [
    { provide: RateLimitMetrics, useClass: PrometheusRateLimitMetrics },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class SecurityModule implements OnApplicationShutdown {
  constructor(@Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage) {}

  async onApplicationShutdown(): Promise<void> {
    if (
      this.storage instanceof MemoryThrottlerStorage ||
      this.storage instanceof RedisThrottlerStorage
    ) {
      await this.storage.close();
    }
  }
}
