import { MemoryNonceStore } from './nonce-store';

describe('MemoryNonceStore', () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('accepts a nonce once per key id', async () => {
    const store = new MemoryNonceStore({ clock });
    expect(await store.checkAndRemember('k1', 'nonce-aaaaaaaaaaaaaa', 60)).toBe(true);
    expect(await store.checkAndRemember('k1', 'nonce-aaaaaaaaaaaaaa', 60)).toBe(false);
    expect(await store.checkAndRemember('k2', 'nonce-aaaaaaaaaaaaaa', 60)).toBe(true);
  });

  it('forgets a nonce after its ttl, not before', async () => {
    const store = new MemoryNonceStore({ clock });
    await store.checkAndRemember('k', 'n1', 60);
    now += 60_000;
    expect(await store.checkAndRemember('k', 'n1', 60)).toBe(false);
    now += 60_001;
    expect(await store.checkAndRemember('k', 'n1', 60)).toBe(true);
  });

  it('purges expired entries on insert', async () => {
    const store = new MemoryNonceStore({ clock });
    for (let i = 0; i < 10; i++) await store.checkAndRemember('k', `old-${i}`, 10);
    expect(store.size).toBe(10);
    now += 11_000;
    await store.checkAndRemember('k', 'new', 10);
    expect(store.size).toBe(1);
  });

  it('refuses new nonces when full of live ones, and takes them again once some expire', async () => {
    const store = new MemoryNonceStore({ clock, maxEntries: 3 });
    await store.checkAndRemember('k', 'a', 100); // lives longest
    await store.checkAndRemember('k', 'b', 10);
    await store.checkAndRemember('k', 'c', 10);
    expect(await store.checkAndRemember('k', 'd', 10)).toBe(false);
    expect(store.size).toBe(3);
    // 'a' is oldest but still live: the cheap purge stops there, the full sweep finds b and c.
    now += 11_000;
    expect(await store.checkAndRemember('k', 'd', 10)).toBe(true);
    expect(store.size).toBe(2);
    expect(await store.checkAndRemember('k', 'a', 10)).toBe(false);
  });

  it('validates maxEntries', () => {
    expect(() => new MemoryNonceStore({ maxEntries: 0 })).toThrow(RangeError);
    expect(new MemoryNonceStore().size).toBe(0);
  });
});
