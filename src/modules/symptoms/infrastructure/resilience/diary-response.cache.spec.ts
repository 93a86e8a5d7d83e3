import { Logger } from '@nestjs/common';
import { createServer, type Server, type Socket } from 'node:net';
import { DiaryResponseCache } from './diary-response.cache';

const answer = (n: number) => ({ json: { count: n }, storedAt: Date.now() });

describe('DiaryResponseCache', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
    jest.useRealTimers();
  });

  describe('in memory', () => {
    let cache: DiaryResponseCache;

    beforeEach(() => {
      cache = DiaryResponseCache.create({ maxEntries: 10 });
    });

    afterEach(() => cache.close());

    it('stores an answer until its TTL and then forgets it', async () => {
      jest.useFakeTimers({ advanceTimers: true });
      const stored = answer(3);
      await cache.set('diary:v1:q:a', stored, 60_000);
      expect(cache.store).toBe('memory');
      expect(await cache.get('diary:v1:q:a')).toEqual(stored);
      jest.advanceTimersByTime(60_001);
      expect(await cache.get('diary:v1:q:a')).toBeUndefined();
    });

    it('holds at most maxEntries answers, the least recently used going first', async () => {
      for (let i = 0; i < 10; i++) await cache.set(`k${i}`, answer(i), 60_000);
      await cache.get('k0'); // used: k1 is now the least recently used
      await cache.set('k10', answer(10), 60_000);
      expect(await cache.get('k0')).toEqual(expect.objectContaining({ json: { count: 0 } }));
      expect(await cache.get('k1')).toBeUndefined();
      expect(await cache.get('k10')).toEqual(expect.objectContaining({ json: { count: 10 } }));
    });

    it('stores nothing for a TTL that is not positive (fresh and stale windows both 0)', async () => {
      await cache.set('k', answer(1), 0);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('keeps its own frozen copy: neither the writer nor any reader can change a cached answer', async () => {
      const written = {
        json: { page: [{ symptom: 'headache', tags: ['a'] }], total: 1 },
        storedAt: 1,
      };
      await cache.set('k', written, 60_000);
      written.json.page[0].symptom = 'changed by the writer';
      written.json.page[0].tags.push('b');

      const first = await cache.get('k');
      const expected = {
        json: { page: [{ symptom: 'headache', tags: ['a'] }], total: 1 },
        storedAt: 1,
      };
      expect(first).toEqual(expected);
      const json = first?.json as { page: { symptom: string; tags: string[] }[]; total: number };
      expect(Object.isFrozen(first)).toBe(true);
      expect(Object.isFrozen(json.page[0].tags)).toBe(true);
      expect(() => {
        json.page[0].symptom = 'changed by a reader';
      }).toThrow(/read only|not extensible/);
      expect(() => json.page.push({ symptom: 'x', tags: [] })).toThrow(/read only|not extensible/);
      expect(() => {
        json.total = 2;
      }).toThrow(/read only|not extensible/);
      expect(await cache.get('k')).toEqual(expected);
    });

    it('deletes an answer', async () => {
      await cache.set('k', answer(1), 60_000);
      await cache.delete('k');
      expect(await cache.get('k')).toBeUndefined();
    });
  });

  describe('when Redis fails', () => {
    it('answers a miss and stores nothing, without throwing, when Redis refuses connections', async () => {
      // Port 1: nothing listens, connections are refused at once.
      const cache = DiaryResponseCache.create({ redisUrl: 'redis://127.0.0.1:1', maxEntries: 10 });
      try {
        await expect(cache.set('k', answer(1), 60_000)).resolves.toBeUndefined();
        await expect(cache.get('k')).resolves.toBeUndefined();
        await expect(cache.get('k')).resolves.toBeUndefined();
        expect(cache.store).toBe('redis');
        expect(cache.failureCount).toBe(3);
        // Logged once, not once per failure.
        expect(warn).toHaveBeenCalledTimes(1);
        expect(warn.mock.calls[0][0]).toEqual(expect.objectContaining({ store: 'redis' }));
      } finally {
        await cache.close();
      }
    });

    it('warns again after 30 s of failures, not before', async () => {
      const cache = DiaryResponseCache.create({ redisUrl: 'redis://127.0.0.1:1', maxEntries: 10 });
      const now = jest.spyOn(Date, 'now');
      try {
        now.mockReturnValue(1_000_000);
        await cache.get('k');
        now.mockReturnValue(1_000_000 + 29_000);
        await cache.get('k');
        expect(warn).toHaveBeenCalledTimes(1);
        now.mockReturnValue(1_000_000 + 31_000);
        await cache.get('k');
        expect(warn).toHaveBeenCalledTimes(2);
      } finally {
        now.mockRestore();
        await cache.close();
      }
    });

    it('gives up on a Redis that accepts connections but never answers (a miss, quickly)', async () => {
      const sockets = new Set<Socket>();
      const server: Server = createServer((socket) => {
        sockets.add(socket); // never answers anything
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const cache = DiaryResponseCache.create({
        redisUrl: `redis://127.0.0.1:${port}`,
        maxEntries: 10,
        operationTimeoutMs: 100,
      });
      try {
        await expect(cache.get('k')).resolves.toBeUndefined();
        await expect(cache.set('k', answer(1), 60_000)).resolves.toBeUndefined();
        expect(cache.failureCount).toBe(2);
      } finally {
        await cache.close();
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
