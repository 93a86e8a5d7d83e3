import { Logger } from '@nestjs/common';
import { MemoryThrottlerStorage } from './memory-throttler.storage';

describe('MemoryThrottlerStorage', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('counts per key and refuses beyond the limit until the window ends', async () => {
    const storage = new MemoryThrottlerStorage(100, clock);
    for (let i = 1; i <= 3; i++) {
      expect(await storage.increment('a', 60_000, 3, 60_000, 'default')).toMatchObject({
        totalHits: i,
        isBlocked: false,
      });
    }
    expect(await storage.increment('a', 60_000, 3, 60_000, 'default')).toMatchObject({
      totalHits: 4,
      isBlocked: true,
      timeToBlockExpire: 60,
    });
    expect(await storage.increment('b', 60_000, 3, 60_000, 'default')).toMatchObject({
      totalHits: 1,
    });
    expect(await storage.increment('a', 60_000, 3, 60_000, 'other')).toMatchObject({
      totalHits: 1,
    });
    now += 60_000;
    expect(await storage.increment('a', 60_000, 3, 60_000, 'default')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('starts no timer, however many clients (the old per-key timer leak)', async () => {
    jest.useFakeTimers();
    try {
      const storage = new MemoryThrottlerStorage(10_000, clock);
      for (let i = 0; i < 5000; i++)
        await storage.increment(`k${i}`, 60_000, 60, 60_000, 'default');
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('never holds more than maxKeys counters; the oldest go first, with one warning', async () => {
    const storage = new MemoryThrottlerStorage(100, clock);
    for (let i = 0; i < 1000; i++) {
      await storage.increment(`client-${i}`, 60_000, 60, 60_000, 'default');
    }
    expect(storage.size).toBe(100);
    expect(await storage.increment('client-999', 60_000, 60, 60_000, 'default')).toMatchObject({
      totalHits: 2,
    });
    expect(await storage.increment('client-0', 60_000, 60, 60_000, 'default')).toMatchObject({
      totalHits: 1,
    });
    expect(Logger.prototype.warn).toHaveBeenCalledTimes(1);
  });

  it('drops expired counters as it goes (lazy expiry, no sweep timer)', async () => {
    const storage = new MemoryThrottlerStorage(1000, clock);
    for (let i = 0; i < 50; i++) await storage.increment(`old-${i}`, 60_000, 60, 60_000, 'default');
    now += 61_000;
    for (let i = 0; i < 10; i++) await storage.increment(`new-${i}`, 60_000, 60, 60_000, 'default');
    expect(storage.size).toBe(10);
  });

  it('close() forgets everything', async () => {
    const storage = new MemoryThrottlerStorage(10, clock);
    await storage.increment('a', 60_000, 1, 60_000, 'default');
    await storage.close();
    expect(storage.size).toBe(0);
  });
});
