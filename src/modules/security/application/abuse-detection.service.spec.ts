import { Logger } from '@nestjs/common';
import type { AbuseConfig } from '../../../config/configuration';
import { DEFAULT_THRESHOLDS, type BlockReason } from '../domain/abuse-policy';
import { MemoryAbuseStore } from '../infrastructure/memory-abuse.store';
import { AbuseDetectionService } from './abuse-detection.service';
import { AbuseMetrics } from './abuse-metrics';
import { AbuseStoreUnavailableError } from './abuse-store';

class RecordingMetrics extends AbuseMetrics {
  readonly blocks: BlockReason[] = [];
  gauge = -1;
  blocked(reason: BlockReason): void {
    this.blocks.push(reason);
  }
  blockedAddresses(count: number): void {
    this.gauge = count;
  }
}

const site = { method: 'GET', route: '/api/health/symptoms', requestId: 'r1' };
const client = (ip: string) => ({ ip, address: ip });

function service(overrides: Partial<AbuseConfig['thresholds']> = {}, allowlist: string[] = []) {
  const store = new MemoryAbuseStore(1000);
  const metrics = new RecordingMetrics();
  const config = {
    enabled: true,
    allowlist,
    thresholds: { ...DEFAULT_THRESHOLDS, ...overrides },
    redisUrl: undefined,
    redisPrefix: 'abuse:',
  } as AbuseConfig;
  return { detection: new AbuseDetectionService(config, store, metrics), store, metrics };
}

describe('AbuseDetectionService', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('blocks at the first signature by default, logs the details but not free text', async () => {
    const { detection, metrics } = service();
    const block = await detection.suspiciousRequest(
      client('203.0.113.1'),
      { reason: 'sql-injection', location: 'body:text', sample: null },
      site,
    );
    expect(block).toMatchObject({ address: '203.0.113.1', reason: 'sql-injection' });
    expect(metrics.blocks).toEqual(['sql-injection']);
    expect(metrics.gauge).toBe(1);
    expect(await detection.blockOf(client('203.0.113.1'))).toBeDefined();
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain('body:text');
    expect(logged).toContain('[not logged: free text]');
    expect(logged).toContain('203.0.113.1');
  });

  it('waits for ABUSE_SIGNATURE_LIMIT matches when it is higher', async () => {
    const { detection } = service({ signatureLimit: 3 });
    const finding = { reason: 'xss' as const, location: 'query:q', sample: '<script' };
    expect(await detection.suspiciousRequest(client('a'), finding, site)).toBeUndefined();
    expect(await detection.suspiciousRequest(client('a'), finding, site)).toBeUndefined();
    expect(await detection.suspiciousRequest(client('a'), finding, site)).toMatchObject({
      reason: 'xss',
    });
  });

  it('counts 401s, 404s and distinct unknown paths per address', async () => {
    const { detection } = service({ authFailureLimit: 3, notFoundLimit: 4, scanDistinctPaths: 3 });
    for (let i = 0; i < 2; i++)
      expect(await detection.answered(client('a'), 401, true, '/x')).toBeUndefined();
    expect(await detection.answered(client('b'), 401, true, '/x')).toBeUndefined();
    expect(await detection.answered(client('a'), 401, true, '/x')).toMatchObject({
      reason: 'auth-failure-burst',
    });
    // The same unknown path again and again is a 404 burst, not a scan.
    for (let i = 0; i < 3; i++)
      expect(await detection.answered(client('c'), 404, false, '/same')).toBeUndefined();
    expect(await detection.answered(client('c'), 404, false, '/same')).toMatchObject({
      reason: 'not-found-burst',
    });
    await detection.answered(client('d'), 404, false, '/one');
    await detection.answered(client('d'), 404, false, '/two');
    expect(await detection.answered(client('d'), 404, false, '/three')).toMatchObject({
      reason: 'scan',
    });
    expect(await detection.answered(client('e'), 400, true, '/x')).toBeUndefined();
    expect(await detection.answered(client('e'), 500, true, '/x')).toBeUndefined();
  });

  it('never blocks an allowlisted address, and says so in the log', async () => {
    const { detection, metrics } = service({}, ['198.51.100.0/24']);
    const finding = { reason: 'probe-path' as const, location: 'path', sample: '/.env' };
    expect(
      await detection.suspiciousRequest(client('198.51.100.9'), finding, site),
    ).toBeUndefined();
    expect(metrics.blocks).toEqual([]);
    expect(JSON.stringify(warn.mock.calls)).toContain('allowlisted');
  });

  it('lifts a block and forgets the counts; blocks by hand; lists', async () => {
    const { detection, metrics } = service({ notFoundLimit: 2 });
    await detection.answered(client('a'), 404, true, '/x');
    expect(await detection.answered(client('a'), 404, true, '/x')).toBeDefined();
    expect(await detection.lift('a', 'admin-1')).toBe(true);
    expect(await detection.lift('a', 'admin-1')).toBe(false);
    expect(await detection.answered(client('a'), 404, true, '/x')).toBeUndefined();
    const manual = await detection.blockByHand('b', 30, 'note', 'admin-1', 1_000);
    expect(manual).toMatchObject({ reason: 'manual', by: 'admin-1', until: 1_000 + 30 * 60_000 });
    expect(metrics.blocks).toContain('manual');
  });

  it('fails open when the store cannot keep a block', async () => {
    const { detection, store } = service();
    jest.spyOn(store, 'block').mockRejectedValue(new AbuseStoreUnavailableError());
    expect(
      await detection.suspiciousRequest(
        client('a'),
        { reason: 'xss', location: 'path', sample: '<script' },
        site,
      ),
    ).toBeUndefined();
  });

  it('a store that knows nothing (Redis down) blocks nobody', async () => {
    const silent = new (class extends MemoryAbuseStore {
      override count(): Promise<number> {
        return Promise.resolve(0);
      }
    })();
    const detection = new AbuseDetectionService(
      { enabled: true, allowlist: [], thresholds: DEFAULT_THRESHOLDS } as unknown as AbuseConfig,
      silent,
      new RecordingMetrics(),
    );
    expect(
      await detection.suspiciousRequest(
        client('a'),
        { reason: 'xss', location: 'path', sample: '<script' },
        site,
      ),
    ).toBeUndefined();
  });
});
