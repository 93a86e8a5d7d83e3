import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { SkipThrottle, Throttle, ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { ProblemDetailsFilter } from '../../../shared/interface/problem-details.filter';
import { countHit, RateWindow } from '../domain/rate-limit';
import { LOGIN_ATTEMPTS_PER_WINDOW, LoginThrottle } from './login-throttle.decorator';
import { RateLimitGuard } from './rate-limit.guard';

/** The fixed window in a plain Map (interface code may not reach the infrastructure stores). */
class MapStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, RateWindow>();

  increment(key: string, ttl: number, limit: number, blockDuration: number) {
    const counted = countHit(this.windows.get(key), Date.now(), ttl, limit, blockDuration);
    this.windows.set(key, counted.window);
    return Promise.resolve(counted.outcome);
  }
}

@Controller()
class SampleController {
  @Get('a')
  a(): string {
    return 'a';
  }

  @Get('b')
  b(): string {
    return 'b';
  }

  @Post('login')
  @HttpCode(200)
  @LoginThrottle()
  login(): string {
    return 'welcome';
  }

  @Get('reports')
  @Throttle({ default: { limit: 2, ttl: 60_000 } })
  reports(): string {
    return 'r';
  }

  @Get('skipped')
  @SkipThrottle()
  skipped(): string {
    return 's';
  }

  @Get('health/live')
  live(): string {
    return 'ok';
  }
}

describe('RateLimitGuard', () => {
  let app: NestFastifyApplication;

  const call = (method: 'GET' | 'POST', url: string) =>
    app.getHttpAdapter().getInstance().inject({ method, url });

  beforeEach(async () => {
    const module = await Test.createTestingModule({
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: 3, blockDuration: 60_000 }],
          storage: new MapStorage(),
        }),
      ],
      controllers: [SampleController],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    }).compile();
    app = module.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterEach(async () => {
    await app.close();
  });

  it('sets the X-RateLimit headers on every counted answer', async () => {
    const res = await call('GET', '/a');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('3');
    expect(res.headers['x-ratelimit-remaining']).toBe('2');
    expect(res.headers['x-ratelimit-reset']).toBe('60');
  });

  it('shares one budget across routes without a limit of their own', async () => {
    await call('GET', '/a');
    await call('GET', '/b');
    expect((await call('GET', '/a')).headers['x-ratelimit-remaining']).toBe('0');
    const refused = await call('GET', '/b');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-ratelimit-limit']).toBe('3');
    expect(refused.json()).toMatchObject({
      status: 429,
      code: 'REQUEST.RATE_LIMITED',
      detail: 'Too many requests from this address. Try again in 60 s.',
      instance: '/b',
    });
  });

  it('gives a route with its own @Throttle a budget of its own', async () => {
    for (let i = 0; i < 3; i++) await call('GET', '/a');
    expect((await call('GET', '/a')).statusCode).toBe(429);
    const own = await call('GET', '/reports');
    expect(own.statusCode).toBe(200);
    expect(own.headers['x-ratelimit-limit']).toBe('2');
  });

  it('@LoginThrottle: 5 attempts, then 15 minutes of 429', async () => {
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_WINDOW; i++) {
      expect((await call('POST', '/login')).statusCode).toBe(200);
    }
    const refused = await call('POST', '/login');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('900');
    expect(refused.headers['x-ratelimit-limit']).toBe('5');
    // Browsing is not affected by the failed logins.
    expect((await call('GET', '/a')).statusCode).toBe(200);
  });

  it('never counts @SkipThrottle routes nor the probes', async () => {
    for (let i = 0; i < 10; i++) {
      for (const url of ['/skipped', '/health/live']) {
        const res = await call('GET', url);
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
    }
    expect((await call('GET', '/a')).headers['x-ratelimit-remaining']).toBe('2');
  });
});
