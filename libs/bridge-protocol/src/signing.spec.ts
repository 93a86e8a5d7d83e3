import { createHmac } from 'node:crypto';
import { QUERY_PATH } from './protocol';
import { generateNonce, sha256Hex, signRequest, stringToSign } from './signing';

// The vector of ../README.md, computed once with openssl.
const VECTOR = {
  secret: 'bridge-test-secret-0123456789abcdef',
  keyId: 'test-key',
  method: 'POST',
  pathWithQuery: '/bridge/v1/query',
  timestamp: 1767225600,
  nonce: 'example-nonce_0123456789',
  body: '{"name":"ping","params":{}}',
  bodySha256: 'cfc025bdaeb2e0f1bb8052ef8376207dbdf4bec3ea33d8570cdd94aa4edda1f9',
  signature: 'v1=eb39282bb147d6f2bba109538703af52996325b919f70e415130a8608ae8e5f0',
};

describe('stringToSign / signRequest', () => {
  it('matches the fixed test vector', () => {
    expect(sha256Hex(VECTOR.body)).toBe(VECTOR.bodySha256);
    expect(stringToSign({ ...VECTOR, method: 'post' })).toBe(
      [
        'v1',
        'POST',
        '/bridge/v1/query',
        '1767225600',
        'example-nonce_0123456789',
        VECTOR.bodySha256,
      ].join('\n'),
    );
    expect(
      signRequest({
        ...VECTOR,
        body: Buffer.from(VECTOR.body),
        now: VECTOR.timestamp * 1000 + 999,
      }),
    ).toEqual({
      'x-bridge-key-id': 'test-key',
      'x-bridge-timestamp': '1767225600',
      'x-bridge-nonce': 'example-nonce_0123456789',
      'x-bridge-signature': VECTOR.signature,
    });
  });

  it('matches the second vector: a GET with a query string and an empty body', () => {
    const headers = signRequest({
      ...VECTOR,
      method: 'GET',
      pathWithQuery: '/bridge/v1/health?verbose=1',
      body: '',
      now: VECTOR.timestamp * 1000,
    });
    expect(headers['x-bridge-signature']).toBe(
      'v1=14c4d4eea180c9adc2971a829df083a8a5bb44eb7f12dae0a86c2fdc4e585727',
    );
    expect(sha256Hex(undefined)).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('is a plain HMAC-SHA256 of the string to sign', () => {
    const headers = signRequest({ ...VECTOR, pathWithQuery: QUERY_PATH, now: 1_000_000_000_000 });
    const expected = createHmac('sha256', VECTOR.secret)
      .update(
        stringToSign({ ...VECTOR, timestamp: 1_000_000_000, nonce: headers['x-bridge-nonce'] }),
      )
      .digest('hex');
    expect(headers['x-bridge-signature']).toBe(`v1=${expected}`);
  });

  it('generates fresh, well-formed nonces by default', () => {
    const a = signRequest({ ...VECTOR, nonce: undefined })['x-bridge-nonce'];
    const b = generateNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22,64}$/);
    expect(b).toMatch(/^[A-Za-z0-9_-]{22,64}$/);
    expect(a).not.toBe(b);
  });

  it('refuses bad input: short secret (without echoing it), bad nonce, bad id, line breaks', () => {
    expect(() => signRequest({ ...VECTOR, secret: 'short-secret' })).toThrow(/test-key/);
    expect(() => signRequest({ ...VECTOR, secret: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => signRequest({ ...VECTOR, nonce: 'too-short' })).toThrow(/nonce/);
    expect(() => signRequest({ ...VECTOR, keyId: 'bad id' })).toThrow(/key id/);
    expect(() => signRequest({ ...VECTOR, pathWithQuery: '/a\n/b' })).toThrow(/line breaks/);
  });
});
