import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import {
  abuseConfig,
  type AbuseConfig,
  securityConfig,
  type SecurityConfig,
} from '../../config/configuration';
import { AbuseDetectionService } from './application/abuse-detection.service';
import { AbuseMetrics } from './application/abuse-metrics';
import { AbuseStore } from './application/abuse-store';
import { RateLimitMetrics } from './application/rate-limit-metrics';
import { RATE_WINDOW_MS } from './domain/rate-limit';
import { MemoryThrottlerStorage } from './infrastructure/memory-throttler.storage';
import { PrometheusRateLimitMetrics } from './infrastructure/prometheus-rate-limit.metrics';
import { RedisThrottlerStorage } from './infrastructure/redis-throttler.storage';
import { MemoryAbuseStore } from './infrastructure/memory-abuse.store';
import { PrometheusAbuseMetrics } from './infrastructure/prometheus-abuse.metrics';
import { RedisAbuseStore } from './infrastructure/redis-abuse.store';
import { AdminBlocksController } from './interface/admin-blocks.controller';
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

/** Abuse counts and blocks: Redis when REDIS_URL is set (shared by all instances), else memory. */
export function createAbuseStore(
  config: Pick<AbuseConfig, 'redisUrl' | 'redisPrefix'>,
): AbuseStore {
  return config.redisUrl
    ? RedisAbuseStore.connect(config.redisUrl, config.redisPrefix)
    : new MemoryAbuseStore();
}

/**
 * Security of the API's edge (docs/security.md): the rate limit on every route (a global guard
 * over @nestjs/throttler), the CSP report endpoint, and the abuse detection (request-pattern
 * analysis and address blocks, on Fastify hooks registered by `registerAbuseBlocking`; the
 * admin's list of blocks). Headers, CORS and the Fastify-level parts
 * are registered by `registerHttpSecurity` (infrastructure/http-security.ts) in create-app.ts.
 */
@Module({
  imports: [
    ConfigModule.forFeature(abuseConfig),
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
  controllers: [CspReportController, AdminBlocksController],
  providers: [
    { provide: RateLimitMetrics, useClass: PrometheusRateLimitMetrics },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    {
      provide: AbuseStore,
      inject: [abuseConfig.KEY],
      useFactory: (config: AbuseConfig) => createAbuseStore(config),
    },
    { provide: AbuseMetrics, useClass: PrometheusAbuseMetrics },
    AbuseDetectionService,
  ],
  exports: [AbuseDetectionService],
})
export class SecurityModule implements OnApplicationShutdown {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly abuseStore: AbuseStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.abuseStore.close();
    if (
      this.storage instanceof MemoryThrottlerStorage ||
      this.storage instanceof RedisThrottlerStorage
    ) {
      await this.storage.close();
    }
  }
}
