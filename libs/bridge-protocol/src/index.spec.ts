import * as protocol from './index';

describe('index', () => {
  it('re-exports the public API', () => {
    expect(protocol.PROTOCOL_VERSION).toBe('v1');
    expect(protocol.MAX_CLOCK_SKEW_SECONDS).toBe(300);
    expect(protocol.QUERY_PATH).toBe('/bridge/v1/query');
    expect(protocol.BRIDGE_HEADERS).toEqual([
      'x-bridge-key-id',
      'x-bridge-timestamp',
      'x-bridge-nonce',
      'x-bridge-signature',
    ]);
    for (const name of [
      'signRequest',
      'stringToSign',
      'sha256Hex',
      'RequestVerifier',
      'MemoryNonceStore',
      'KeyRing',
      'parseKeyRing',
      'generateKey',
    ] as const) {
      expect(typeof protocol[name]).toBe('function');
    }
  });
});
