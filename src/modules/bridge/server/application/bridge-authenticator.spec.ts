import { Logger } from '@nestjs/common';
import {
  MemoryNonceStore,
  parseKeyRing,
  QUERY_PATH,
  RequestVerifier,
  signRequest,
} from '../../../../../libs/bridge-protocol/src';
import { DomainError } from '../../../../shared/domain/domain-error';
import { BridgeAuthenticator, type ReceivedRequest } from './bridge-authenticator';

const SECRET = 'bridge-unit-secret-0123456789abcdefghij';
const LONG_UNKNOWN_ID = 'A'.repeat(43); // as long as a generated secret

function setup() {
  const keys = parseKeyRing(`k1:${SECRET}`);
  const verifier = new RequestVerifier({ keys, nonces: new MemoryNonceStore() });
  return new BridgeAuthenticator(verifier, keys);
}

function received(overrides: { keyId?: string; secret?: string; body?: string } = {}) {
  const body = overrides.body ?? '{"name":"entries.people","params":{}}';
  const headers = signRequest({
    keyId: overrides.keyId ?? 'k1',
    secret: overrides.secret ?? SECRET,
    method: 'POST',
    pathWithQuery: QUERY_PATH,
    body,
  });
  return {
    method: 'POST',
    pathWithQuery: QUERY_PATH,
    headers,
    rawBody: Buffer.from(body),
    clientAddress: '192.0.2.7',
  } satisfies ReceivedRequest;
}

describe('BridgeAuthenticator', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('resolves with the key id of a valid request and logs nothing', async () => {
    await expect(setup().authenticate(received())).resolves.toBe('k1');
    expect(warn).not.toHaveBeenCalled();
  });

  it('throws the one 401 error and logs reason, key id and address, never the secret', async () => {
    const auth = setup();
    const request = received();
    request.rawBody = Buffer.from('{"name":"stats.totals","params":{}}');
    const error = await auth.authenticate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'unauthenticated', code: 'BRIDGE.UNAUTHENTICATED' });
    expect(warn).toHaveBeenCalledWith(
      {
        event: 'bridge.auth_rejected',
        reason: 'bad_signature',
        keyId: 'k1',
        clientAddress: '192.0.2.7',
      },
      'bridge request rejected',
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain(SECRET);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(request.headers['x-bridge-signature']);
  });

  it('names the missing header, and gives every reason the same error', async () => {
    const auth = setup();
    const request = received();
    const withoutNonce: Record<string, string> = { ...request.headers };
    delete withoutNonce['x-bridge-nonce'];
    const missing = await auth
      .authenticate({ ...request, headers: withoutNonce })
      .catch((e: unknown) => e);
    expect(warn).toHaveBeenLastCalledWith(
      expect.objectContaining({ reason: 'missing_header', header: 'x-bridge-nonce' }),
      'bridge request rejected',
    );
    await auth.authenticate(request);
    const replay = await auth.authenticate(request).catch((e: unknown) => e);
    expect(warn).toHaveBeenLastCalledWith(
      expect.objectContaining({ reason: 'replayed_nonce', keyId: 'k1' }),
      'bridge request rejected',
    );
    expect(replay).toEqual(missing);
    expect((replay as Error).message).toBe((missing as Error).message);
  });

  it('logs a short unknown key id, but not one as long as a secret', async () => {
    const auth = setup();
    await auth.authenticate(received({ keyId: 'old-key' })).catch(() => undefined);
    expect(warn).toHaveBeenLastCalledWith(
      expect.objectContaining({ reason: 'unknown_key', keyId: 'old-key' }),
      'bridge request rejected',
    );
    await auth.authenticate(received({ keyId: LONG_UNKNOWN_ID })).catch(() => undefined);
    expect(warn).toHaveBeenLastCalledWith(
      expect.objectContaining({
        reason: 'unknown_key',
        keyId: expect.stringMatching(/not logged/),
      }),
      'bridge request rejected',
    );
    expect(JSON.stringify(warn.mock.calls)).not.toContain(LONG_UNKNOWN_ID);
  });
});
