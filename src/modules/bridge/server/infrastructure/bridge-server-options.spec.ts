import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BridgeServerConfig } from '../../../../config/configuration';
import { BridgeStartupError, resolveBridgeServerOptions } from './bridge-server-options';

const SECRET = 'options-unit-secret-0123456789abcdefghij';

function config(overrides: Partial<BridgeServerConfig> = {}): BridgeServerConfig {
  return {
    port: 4000,
    host: '0.0.0.0',
    tlsCertFile: '/pki/server.crt',
    tlsKeyFile: '/pki/server.key',
    tlsClientCaFile: undefined,
    allowPlaintext: false,
    keys: `k1:${SECRET}`,
    maxConcurrency: 8,
    maxRps: 100,
    ...overrides,
  };
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BridgeStartupError);
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('resolveBridgeServerOptions', () => {
  let dir: string;
  let files: Record<string, Buffer>;
  const read = (path: string): Buffer => {
    const file = files[path];
    if (!file) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return file;
  };

  beforeAll(() => {
    // One self-signed certificate is enough to build a TLS context.
    dir = mkdtempSync(join(tmpdir(), 'sd-bridge-options-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        'server.key',
        '-out',
        'server.crt',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    files = {
      '/pki/server.crt': readFileSync(join(dir, 'server.crt')),
      '/pki/server.key': readFileSync(join(dir, 'server.key')),
      '/pki/ca.crt': readFileSync(join(dir, 'server.crt')),
      '/pki/garbage.pem': Buffer.from('not a pem'),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS with TLS 1.2 at least and the configured keys', () => {
    const options = resolveBridgeServerOptions(config(), read);
    expect(options.transport).toBe('https');
    expect(options.keys.ids()).toEqual(['k1']);
    expect(options.https).toEqual({
      key: files['/pki/server.key'],
      cert: files['/pki/server.crt'],
      minVersion: 'TLSv1.2',
      requestCert: false,
      rejectUnauthorized: false,
    });
  });

  it('asks for client certificates of the configured CA (mutual TLS)', () => {
    const options = resolveBridgeServerOptions(config({ tlsClientCaFile: '/pki/ca.crt' }), read);
    expect(options.transport).toBe('https+mtls');
    expect(options.https).toMatchObject({
      ca: files['/pki/ca.crt'],
      requestCert: true,
      rejectUnauthorized: true,
    });
  });

  it('refuses to start without keys, or with bad ones, never echoing a secret', () => {
    expect(messageOf(() => resolveBridgeServerOptions(config({ keys: undefined }), read))).toMatch(
      /BRIDGE_KEYS is not set.*npm run bridge:keygen/,
    );
    const bad = messageOf(() =>
      resolveBridgeServerOptions(config({ keys: `k1:${SECRET},k2:short-secret` }), read),
    );
    expect(bad).toMatch(/BRIDGE_KEYS: key "k2": secret is shorter than 32/);
    expect(bad).not.toContain('short-secret');
    expect(bad).not.toContain(SECRET);
  });

  it('refuses plain HTTP unless allowed', () => {
    const plain = config({ tlsCertFile: undefined, tlsKeyFile: undefined });
    expect(messageOf(() => resolveBridgeServerOptions(plain, read))).toMatch(
      /HTTPS only.*BRIDGE_ALLOW_PLAINTEXT=true/,
    );
    const allowed = resolveBridgeServerOptions({ ...plain, allowPlaintext: true }, read);
    expect(allowed.transport).toBe('http');
    expect(allowed.https).toBeUndefined();
    expect(
      messageOf(() =>
        resolveBridgeServerOptions(
          { ...plain, allowPlaintext: true, tlsClientCaFile: '/pki/ca.crt' },
          read,
        ),
      ),
    ).toMatch(/BRIDGE_TLS_CLIENT_CA needs BRIDGE_TLS_CERT/);
  });

  it('prefers TLS when files are given even if plain HTTP is allowed', () => {
    expect(resolveBridgeServerOptions(config({ allowPlaintext: true }), read).transport).toBe(
      'https',
    );
  });

  it('names the variable and file it cannot read, or cannot use', () => {
    expect(
      messageOf(() => resolveBridgeServerOptions(config({ tlsKeyFile: '/pki/missing.key' }), read)),
    ).toBe('BRIDGE_TLS_KEY: cannot read /pki/missing.key (ENOENT)');
    expect(
      messageOf(() =>
        resolveBridgeServerOptions(config({ tlsCertFile: '/pki/garbage.pem' }), read),
      ),
    ).toMatch(/^BRIDGE_TLS_CERT \/ BRIDGE_TLS_KEY: not a PEM certificate/);
  });
});
