import { inspect } from 'node:util';
import { generateKey, KeyRing, parseKeyRing } from './keys';

const S1 = 'first-secret-AAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const S2 = 'second-secret-BBBBBBBBBBBBBBBBBBBBBBBBBBB';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('parseKeyRing', () => {
  it('parses ids and secrets, trimming whitespace, in order', () => {
    const ring = parseKeyRing(` k1 : ${S1} ,\n k2.new:${S2} `);
    expect(ring.ids()).toEqual(['k1', 'k2.new']);
    expect(ring.get('k1')).toEqual(Buffer.from(S1));
    expect(ring.get('k2.new')).toEqual(Buffer.from(S2));
    expect(ring.primary()).toEqual({ id: 'k1', secret: Buffer.from(S1) });
    expect(ring.has('k3')).toBe(false);
    expect(ring.size).toBe(2);
  });

  it('keeps the secrets out of JSON and inspection', () => {
    const ring = parseKeyRing(`k1:${S1}`);
    expect(JSON.stringify(ring)).toBe('{"ids":["k1"]}');
    expect(inspect(ring, { depth: 5 })).not.toContain(S1);
  });

  it.each([
    ['', /empty/],
    [`k1:${S1},`, /entry 2/],
    [S1, /entry 1/],
    [`k1:${S1},k1:${S2}`, /duplicate key id "k1"/],
    [`k1:${S1},k2:${S2.slice(0, 31)}`, /"k2".*shorter than 32/],
    [`bad id:${S1}`, /entry 1: malformed key id/],
    [`${'x'.repeat(65)}:${S1}`, /entry 1: malformed key id/],
    [`k1:${S1.slice(0, 20)} ${S1.slice(20)}`, /entry 1 \("k1"\): secret contains whitespace/],
  ])('rejects %j with a message naming the entry and never a secret', (spec, message) => {
    const text = messageOf(() => parseKeyRing(spec));
    expect(text).toMatch(message);
    for (const secret of [S1, S2, S1.slice(0, 20), S2.slice(0, 31)]) {
      expect(text).not.toContain(secret);
    }
  });

  it('does not echo a colon-less entry, which may be a bare secret', () => {
    expect(messageOf(() => parseKeyRing(`k1:${S1},${S2}`))).toBe(
      'BRIDGE_KEYS entry 2: expected "id:secret"',
    );
  });

  it('KeyRing accepts Buffer secrets and refuses an empty ring', () => {
    expect(new KeyRing([['k', Buffer.alloc(32, 1)]]).get('k')).toHaveLength(32);
    expect(() => new KeyRing([])).toThrow(/empty/);
  });
});

describe('generateKey', () => {
  it('makes a dated id and a 32-byte base64url secret that parseKeyRing accepts', () => {
    const key = generateKey(undefined, () => Date.UTC(2026, 2, 7, 23, 59));
    expect(key.id).toMatch(/^key-20260307-[0-9a-f]{6}$/);
    expect(Buffer.from(key.secret, 'base64url')).toHaveLength(32);
    expect(key.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseKeyRing(`${key.id}:${key.secret}`).ids()).toEqual([key.id]);
    expect(generateKey('bridge').id).toMatch(/^bridge-\d{8}-[0-9a-f]{6}$/);
    expect(generateKey().secret).not.toBe(key.secret);
    expect(() => generateKey('bad prefix')).toThrow(/prefix/);
  });
});
