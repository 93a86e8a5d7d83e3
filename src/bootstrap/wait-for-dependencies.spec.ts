import { createTestDatabase, type TestDatabase, withDatabase } from '../../test/support/database';
import { startTcpProxy } from '../../test/support/tcp-proxy';
import {
  describeTarget,
  isTransient,
  startupDependencies,
  type StartupLog,
  waitForDependencies,
} from './wait-for-dependencies';

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

function recordingLog(): StartupLog & { warnings: object[]; infos: object[] } {
  const warnings: object[] = [];
  const infos: object[] = [];
  return {
    warnings,
    infos,
    warn: (fields) => void warnings.push(fields),
    info: (fields) => void infos.push(fields),
  };
}

/** A clock that only moves when the code under test sleeps. */
function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

describe('waitForDependencies (startup retry with backoff)', () => {
  const diary = { name: 'diary database', url: 'postgres://reader:s3cret@db.lan:5433/diary' };

  it('backs off exponentially up to the cap, logs each wait without credentials, then succeeds', async () => {
    const time = fakeTime();
    const log = recordingLog();
    let calls = 0;
    await waitForDependencies([diary], {
      budgetMs: 60_000,
      initialDelayMs: 500,
      maxDelayMs: 4000,
      log,
      ...time,
      probe: () => (++calls < 6 ? Promise.reject(refused()) : Promise.resolve()),
    });
    expect(time.sleeps).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(log.warnings).toHaveLength(5);
    expect(log.warnings[0]).toMatchObject({
      dependency: 'diary database',
      target: 'db.lan:5433/diary',
      attempt: 1,
      reason: 'ECONNREFUSED',
      retryInMs: 500,
    });
    expect(JSON.stringify(log.warnings)).not.toContain('s3cret');
    expect(log.infos).toEqual([expect.objectContaining({ attempts: 6 })]);
  });

  it('gives up with a clear error once the budget is spent', async () => {
    const time = fakeTime();
    await expect(
      waitForDependencies([diary], {
        budgetMs: 3000,
        log: recordingLog(),
        ...time,
        probe: () => Promise.reject(refused()),
      }),
    ).rejects.toThrow(
      /diary database at db\.lan:5433\/diary still unreachable after 3 attempts \(ECONNREFUSED\)/,
    );
    expect(time.sleeps).toEqual([500, 1000]);
  });

  it('does not wait for an error that waiting cannot fix', async () => {
    const time = fakeTime();
    const authFailed = Object.assign(new Error('password authentication failed'), {
      code: '28P01',
    });
    await expect(
      waitForDependencies([diary], {
        budgetMs: 60_000,
        log: recordingLog(),
        ...time,
        probe: () => Promise.reject(authFailed),
      }),
    ).rejects.toThrow('diary database at db.lan:5433/diary refused us: 28P01');
    expect(time.sleeps).toEqual([]);
  });

  it('classifies errors and describes targets without credentials', () => {
    expect(isTransient(refused())).toBe(true);
    expect(isTransient(Object.assign(new Error('starting up'), { code: '57P03' }))).toBe(true);
    expect(isTransient(new Error('Connection terminated due to connection timeout'))).toBe(true);
    expect(isTransient(Object.assign(new Error('no such db'), { code: '3D000' }))).toBe(false);
    expect(describeTarget('postgres://u:p@h/d')).toBe('h:5432/d');
    expect(describeTarget('not a url')).toBe('(unparseable URL)');
  });

  it('knows what each process waits for', () => {
    const url = 'postgres://h/diary';
    const app = 'postgres://h/app';
    expect(startupDependencies({ DATA_SOURCE: 'direct' }, 'api')).toEqual([]);
    expect(startupDependencies({ DATA_SOURCE: 'bridge', APP_DATABASE_URL: app }, 'api')).toEqual([
      { name: 'app database', url: app },
    ]);
    expect(
      startupDependencies(
        { DATA_SOURCE: 'direct', DATABASE_URL: url, APP_DATABASE_URL: url },
        'api',
      ),
    ).toEqual([{ name: 'diary database', url }]);
    expect(
      startupDependencies(
        { DATA_SOURCE: 'direct', DATABASE_URL: url, APP_DATABASE_URL: app },
        'bridge',
      ),
    ).toEqual([{ name: 'diary database', url }]);
  });

  describe('against a real PostgreSQL that comes up late', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db.drop();
    });

    it('waits while the server refuses connections and returns once it answers', async () => {
      const parsed = new URL(db.url);
      const proxy = await startTcpProxy(parsed.hostname, Number(parsed.port || 5432));
      try {
        await proxy.kill();
        const log = recordingLog();
        const url = new URL(db.url);
        url.port = String(proxy.port);
        const waiting = waitForDependencies([{ name: 'diary database', url: url.toString() }], {
          budgetMs: 10_000,
          initialDelayMs: 100,
          maxDelayMs: 400,
          log,
        });
        const comesUp = setTimeout(() => void proxy.restore(), 600);
        await waiting.finally(() => clearTimeout(comesUp));
        expect(log.warnings.length).toBeGreaterThanOrEqual(2);
        expect(log.warnings[0]).toMatchObject({ reason: 'ECONNREFUSED' });
        expect(log.infos).toHaveLength(1);
      } finally {
        await proxy.close();
      }
    });

    it('fails at once when the database does not exist', async () => {
      const started = Date.now();
      await expect(
        waitForDependencies(
          [{ name: 'app database', url: withDatabase(db.url, 'sdtest_does_not_exist') }],
          { budgetMs: 10_000, log: recordingLog() },
        ),
      ).rejects.toThrow(/app database at .* refused us: 3D000/);
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });
});
