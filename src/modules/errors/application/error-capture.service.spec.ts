import { Logger } from '@nestjs/common';
import type { ErrorOccurrence } from '../../../shared/application/error-reporter';
import type { CapturedError } from '../domain/captured-error';
import { CapturedErrorQuery, CapturedErrorRepository } from './captured-error.repository';
import { ErrorCaptureService } from './error-capture.service';
import { ErrorMetrics } from './error-metrics';

/** An in-memory store (the SQL adapter is tested against PostgreSQL in the e2e suite). */
class MemoryRepository extends CapturedErrorRepository {
  readonly saved: CapturedError[] = [];
  failWith: Error | undefined;
  hold: Promise<void> | undefined;

  async save(error: CapturedError): Promise<void> {
    if (this.hold) await this.hold;
    if (this.failWith) throw this.failWith;
    this.saved.push(error);
  }
  find(_query: CapturedErrorQuery) {
    return Promise.resolve({ items: this.saved, total: this.saved.length });
  }
  get(id: string) {
    return Promise.resolve(this.saved.find((e) => e.id === id));
  }
  prune(): Promise<number> {
    return Promise.reject(new Error('store down'));
  }
}

class CountingMetrics extends ErrorMetrics {
  readonly captures: string[] = [];
  failures = 0;
  captured(route: string, code: string): void {
    this.captures.push(`${route} ${code}`);
  }
  storeFailed(): void {
    this.failures++;
  }
}

const occurrence = (overrides: Partial<ErrorOccurrence> = {}): ErrorOccurrence => ({
  error: new TypeError("Cannot read properties of undefined (reading 'Anna')"),
  requestId: 'req-1',
  method: 'GET',
  route: '/api/health/symptoms',
  status: 500,
  code: 'INTERNAL',
  requestValues: ['Anna'],
  ...overrides,
});

describe('ErrorCaptureService', () => {
  // Its log lines are proven by the e2e suite (the built service's real output).
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  let repository: MemoryRepository;
  let metrics: CountingMetrics;
  let service: ErrorCaptureService;

  beforeEach(() => {
    repository = new MemoryRepository();
    metrics = new CountingMetrics();
    service = new ErrorCaptureService(repository, metrics, {
      retentionDays: 30,
      maxRows: 100,
      pruneEveryMs: 60_000,
      maxPendingWrites: 2,
    });
  });

  afterEach(() => service.stop());

  it('captures an error once: one id, one count, one row, redacted', async () => {
    const first = occurrence();
    const id = service.report(first);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(service.report(first)).toBeUndefined(); // the same error object again
    await service.stop();
    expect(repository.saved).toHaveLength(1);
    expect(repository.saved[0]).toMatchObject({
      id,
      requestId: 'req-1',
      route: '/api/health/symptoms',
      status: 500,
      code: 'INTERNAL',
      name: 'TypeError',
    });
    expect(repository.saved[0].message).not.toContain('Anna');
    expect(repository.saved[0].stack).not.toContain('Anna');
    expect(metrics.captures).toEqual(['/api/health/symptoms INTERNAL']);
  });

  it('samples dependency failures: one per route and code a minute', async () => {
    const unavailable = () =>
      occurrence({ error: new Error('down'), status: 503, code: 'X.UNAVAILABLE' });
    expect(service.report(unavailable())).toBeDefined();
    expect(service.report(unavailable())).toBeUndefined();
    expect(service.report(occurrence({ error: new Error('bug') }))).toBeDefined();
    await service.stop();
    expect(repository.saved.map((e) => e.status)).toEqual([503, 500]);
  });

  it('never throws nor waits when the store fails; counts the failure', async () => {
    repository.failWith = new Error('connection refused');
    expect(() => service.report(occurrence())).not.toThrow();
    await service.stop();
    expect(metrics.failures).toBe(1);
    await expect(service.prune()).resolves.toBe(0);
  });

  it('drops writes beyond the pending limit instead of queueing them', async () => {
    let release!: () => void;
    repository.hold = new Promise<void>((r) => (release = r));
    for (let i = 0; i < 4; i++) service.report(occurrence({ error: new Error(`e${i}`) }));
    expect(metrics.failures).toBe(2);
    release();
    await service.stop();
    expect(repository.saved).toHaveLength(2);
    expect(metrics.captures).toHaveLength(4);
  });
});
