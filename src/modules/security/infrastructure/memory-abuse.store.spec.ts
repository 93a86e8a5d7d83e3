import { Logger } from '@nestjs/common';
import { newBlock } from '../domain/abuse-policy';
import { MemoryAbuseStore } from './memory-abuse.store';

describe('MemoryAbuseStore', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('counts in fixed windows', async () => {
    const store = new MemoryAbuseStore(100, clock);
    expect(await store.count('a', 60_000)).toBe(1);
    expect(await store.count('a', 60_000)).toBe(2);
    expect(await store.count('b', 60_000)).toBe(1);
    now += 60_000;
    expect(await store.count('a', 60_000)).toBe(1);
  });

  it('counts distinct members, at most 1000', async () => {
    const store = new MemoryAbuseStore(100, clock);
    expect(await store.countDistinct('p', 'x', 60_000)).toBe(1);
    expect(await store.countDistinct('p', 'x', 60_000)).toBe(1);
    expect(await store.countDistinct('p', 'y', 60_000)).toBe(2);
    for (let i = 0; i < 2000; i++) await store.countDistinct('q', `m${i}`, 60_000);
    expect(await store.countDistinct('q', 'last', 60_000)).toBe(1000);
  });

  it('keeps blocks until they end, the longer of two, and lifts them', async () => {
    const store = new MemoryAbuseStore(100, clock);
    await store.block(newBlock('a', 'scan', now, 60_000, 'd'));
    await store.block(newBlock('a', 'xss', now, 1_000, 'd'));
    expect((await store.blockOf('a'))?.reason).toBe('scan');
    await store.block(newBlock('b', 'manual', now, 10_000, 'd'));
    expect((await store.list()).map((b) => b.address)).toEqual(['b', 'a']);
    expect(await store.activeCount()).toBe(2);
    now += 10_000;
    expect(await store.blockOf('b')).toBeUndefined();
    expect(await store.lift('a')).toBe(true);
    expect(await store.lift('a')).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('never holds more than maxKeys entries, with one warning, and starts no timer', async () => {
    jest.useFakeTimers();
    try {
      const store = new MemoryAbuseStore(50, clock);
      for (let i = 0; i < 500; i++) {
        await store.count(`c${i}`, 60_000);
        await store.countDistinct(`s${i}`, 'm', 60_000);
        await store.block(
          newBlock(`10.0.${Math.floor(i / 256)}.${i % 256}`, 'scan', now, 60_000, ''),
        );
      }
      expect(store.size).toEqual({ counters: 50, sets: 50, blocks: 50 });
      expect(jest.getTimerCount()).toBe(0);
      expect(Logger.prototype.warn).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('forgets counts and closes', async () => {
    const store = new MemoryAbuseStore(10, clock);
    await store.count('a', 60_000);
    await store.forget(['a']);
    expect(await store.count('a', 60_000)).toBe(1);
    await store.close();
    expect(store.size).toEqual({ counters: 0, sets: 0, blocks: 0 });
  });
});
