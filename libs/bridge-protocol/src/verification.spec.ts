import { parseKeyRing } from './keys';
import { MemoryNonceStore, type NonceStore } from './nonce-store';
import { QUERY_PATH } from './protocol';
import { signRequest } from './signing';
import { RequestVerifier, type VerifiableRequest } from './verification';

const OLD = 'old-secret-0123456789-0123456789-0123456789';
const NEW = 'new-secret-abcdefghij-abcdefghij-abcdefghij';
const NOW = Date.UTC(2026, 0, 1, 12); // the verifier's clock
const BODY = '{"name":"symptomCounts","params":{"days":7}}';

let nonceCounter = 0;
const freshNonce = () => `nonce-${String(++nonceCounter).padStart(16, '0')}`;

function signed(overrides: { keyId?: string; secret?: string; now?: number } = {}) {
  const req = { method: 'POST', pathWithQuery: `${QUERY_PATH}?trace=1`, body: BODY };
  const headers = signRequest({
    keyId: 'k-old',
    secret: OLD,
    now: NOW,
    nonce: freshNonce(),
    ...req,
    ...overrides,
  });
  return {
    method: req.method,
    pathWithQuery: req.pathWithQuery,
    headers: headers as VerifiableRequest['headers'],
    rawBody: Buffer.from(BODY),
  };
}

function setup(nonces: NonceStore = new MemoryNonceStore({ clock: () => NOW })) {
  const keys = parseKeyRing(`k-old:${OLD},k-new:${NEW}`);
  return new RequestVerifier({ keys, nonces, clock: () => NOW });
}

describe('RequestVerifier', () => {
  it('accepts a valid request, with either key of the ring (rotation)', async () => {
    const verifier = setup();
    await expect(verifier.verify(signed())).resolves.toEqual({ ok: true, keyId: 'k-old' });
    await expect(verifier.verify(signed({ keyId: 'k-new', secret: NEW }))).resolves.toEqual({
      ok: true,
      keyId: 'k-new',
    });
  });

  it('accepts a plain Map of keys and header names in any case', async () => {
    const verifier = new RequestVerifier({
      keys: new Map([['k-old', Buffer.from(OLD)]]),
      nonces: new MemoryNonceStore(),
      clock: () => NOW,
    });
    const req = signed();
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toUpperCase(), v]),
    );
    await expect(verifier.verify({ ...req, headers })).resolves.toMatchObject({ ok: true });
  });

  it('treats an undefined body as empty', async () => {
    const headers = signRequest({
      keyId: 'k-old',
      secret: OLD,
      method: 'GET',
      pathWithQuery: '/bridge/v1/health',
      body: '',
      now: NOW,
    });
    await expect(
      setup().verify({
        method: 'GET',
        pathWithQuery: '/bridge/v1/health',
        headers,
        rawBody: undefined,
      }),
    ).resolves.toMatchObject({ ok: true });
  });

  it.each<[string, (req: VerifiableRequest) => VerifiableRequest]>([
    ['body', (r) => ({ ...r, rawBody: Buffer.from(BODY.replace('7', '8')) })],
    ['body (emptied)', (r) => ({ ...r, rawBody: undefined })],
    ['path', (r) => ({ ...r, pathWithQuery: r.pathWithQuery.replace('query', 'querx') })],
    ['query string', (r) => ({ ...r, pathWithQuery: `${QUERY_PATH}?trace=2` })],
    ['query string (dropped)', (r) => ({ ...r, pathWithQuery: QUERY_PATH })],
    ['method', (r) => ({ ...r, method: 'PUT' })],
    [
      'timestamp header',
      (r) => ({ ...r, headers: { ...r.headers, 'x-bridge-timestamp': String(NOW / 1000 + 1) } }),
    ],
    ['nonce header', (r) => ({ ...r, headers: { ...r.headers, 'x-bridge-nonce': freshNonce() } })],
    [
      'signature',
      (r) => ({ ...r, headers: { ...r.headers, 'x-bridge-signature': `v1=${'0'.repeat(64)}` } }),
    ],
    ['path with a line break', (r) => ({ ...r, pathWithQuery: `${QUERY_PATH}\n` })],
  ])('rejects a tampered %s as bad_signature', async (_what, tamper) => {
    await expect(setup().verify(tamper(signed()))).resolves.toEqual({
      ok: false,
      reason: 'bad_signature',
      keyId: 'k-old',
    });
  });

  it('rejects a signature made with the other key of the ring', async () => {
    await expect(setup().verify(signed({ secret: NEW }))).resolves.toMatchObject({
      reason: 'bad_signature',
    });
  });

  it.each([
    [-301_000, 'stale_timestamp'],
    [301_000, 'stale_timestamp'],
    [-299_000, true],
    [299_000, true],
    [-300_000, true],
    [300_000, true],
  ])('a request signed %i ms away from the verifier clock: %s', async (offset, expected) => {
    const result = await setup().verify(signed({ now: NOW + offset }));
    expect(result.ok ? true : result.reason).toBe(expected);
  });

  it('rejects a replayed nonce; the same nonce under another key id is independent', async () => {
    const verifier = setup();
    const first = signed();
    const nonce = first.headers['x-bridge-nonce'] as string;
    await expect(verifier.verify(first)).resolves.toMatchObject({ ok: true });
    await expect(verifier.verify(first)).resolves.toEqual({
      ok: false,
      reason: 'replayed_nonce',
      keyId: 'k-old',
    });
    const other = signRequest({
      keyId: 'k-new',
      secret: NEW,
      method: first.method,
      pathWithQuery: first.pathWithQuery,
      body: BODY,
      now: NOW,
      nonce,
    });
    await expect(verifier.verify({ ...first, headers: other })).resolves.toMatchObject({
      ok: true,
      keyId: 'k-new',
    });
  });

  it('records nonces only for authenticated requests', async () => {
    const nonces = { checkAndRemember: jest.fn(() => Promise.resolve(true)) };
    const verifier = setup(nonces);
    const good = signed();
    await verifier.verify({ ...good, method: 'PUT' }); // bad signature
    await verifier.verify(signed({ now: NOW - 400_000 })); // stale
    await verifier.verify(signed({ keyId: 'k-gone' })); // unknown key
    expect(nonces.checkAndRemember).not.toHaveBeenCalled();
    await verifier.verify(good);
    expect(nonces.checkAndRemember).toHaveBeenCalledWith(
      'k-old',
      good.headers['x-bridge-nonce'],
      601,
    );
  });

  it('rejects an unknown key id as unknown_key, before looking at the timestamp', async () => {
    await expect(setup().verify(signed({ keyId: 'k-gone', now: 0 }))).resolves.toEqual({
      ok: false,
      reason: 'unknown_key',
      keyId: 'k-gone',
    });
  });

  it.each(['x-bridge-key-id', 'x-bridge-timestamp', 'x-bridge-nonce', 'x-bridge-signature'])(
    'rejects a request without %s as missing_header',
    async (name) => {
      const req = signed();
      const headers = { ...req.headers, [name]: undefined };
      await expect(setup().verify({ ...req, headers })).resolves.toEqual({
        ok: false,
        reason: 'missing_header',
        header: name,
      });
      const rest = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== name));
      await expect(setup().verify({ ...req, headers: rest })).resolves.toMatchObject({
        reason: 'missing_header',
      });
    },
  );

  it.each<[string, string | string[]]>([
    ['x-bridge-key-id', 'bad key id'],
    ['x-bridge-key-id', ''],
    ['x-bridge-key-id', ['k-old', 'k-new']],
    ['x-bridge-timestamp', '1767268800.5'],
    ['x-bridge-timestamp', '-1767268800'],
    ['x-bridge-timestamp', 'soon'],
    ['x-bridge-timestamp', ''],
    ['x-bridge-nonce', 'short'],
    ['x-bridge-nonce', 'has spaces in it and more'],
    ['x-bridge-nonce', 'a'.repeat(65)],
    ['x-bridge-nonce', 'nonce-0000000000000001, nonce-0000000000000002'],
    ['x-bridge-signature', 'f'.repeat(64)],
    ['x-bridge-signature', `v2=${'f'.repeat(64)}`],
    ['x-bridge-signature', `v1=${'F'.repeat(64)}`],
    ['x-bridge-signature', `v1=${'f'.repeat(63)}`],
    ['x-bridge-signature', `v1=${'f'.repeat(66)}`],
    ['x-bridge-signature', [`v1=${'f'.repeat(64)}`, `v1=${'e'.repeat(64)}`]],
  ])('rejects %s = %j as malformed_header', async (name, value) => {
    const req = signed();
    await expect(
      setup().verify({ ...req, headers: { ...req.headers, [name]: value } }),
    ).resolves.toMatchObject({ ok: false, reason: 'malformed_header', header: name });
  });

  it('treats the same header under two spellings as duplicated', async () => {
    const req = signed();
    const headers = { ...req.headers, 'X-Bridge-Nonce': freshNonce() };
    await expect(setup().verify({ ...req, headers })).resolves.toMatchObject({
      reason: 'malformed_header',
      header: 'x-bridge-nonce',
    });
  });

  it('accepts a single-element header array', async () => {
    const req = signed();
    const headers = { ...req.headers, 'x-bridge-nonce': [req.headers['x-bridge-nonce'] as string] };
    await expect(setup().verify({ ...req, headers })).resolves.toMatchObject({ ok: true });
  });

  it('never puts a secret in a result', async () => {
    const verifier = setup();
    const results = await Promise.all([
      verifier.verify(signed()),
      verifier.verify({ ...signed(), method: 'PUT' }),
      verifier.verify(signed({ now: 0 })),
    ]);
    for (const result of results) {
      expect(JSON.stringify(result)).not.toContain(OLD);
      expect(JSON.stringify(result)).not.toContain(Buffer.from(OLD).toString('hex'));
    }
  });

  it('refuses a Map with a short secret at construction, naming only the key id', () => {
    expect(
      () =>
        new RequestVerifier({
          keys: new Map([['k1', 'tiny-secret']]),
          nonces: new MemoryNonceStore(),
        }),
    ).toThrow(/"k1": secret is shorter than 32/);
  });
});
