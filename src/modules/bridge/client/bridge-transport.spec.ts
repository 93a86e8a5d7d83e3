import { readFileSync } from 'node:fs';
import { createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { createTestPki, type TestPki } from '../../../../test/support/tls';
import { DependencyUnavailableError } from '../../../shared/domain/domain-error';
import type { DiaryQuery, Json } from '../../symptoms/infrastructure/queries/diary-query';
import { BridgeQueryExecutor, type BridgeLog } from './bridge-query.executor';
import {
  BridgeTransport,
  createBridgeTransport,
  type BridgeTransportConfig,
} from './bridge-transport';

const SECRET = 'bridge-unit-secret-0123456789abcdef';

const PING: DiaryQuery<[], { ok: boolean }> = {
  name: 'test.ping',
  kind: 'stats',
  encodeParams: () => ({}),
  decodeParams: () => [],
  encodeResult: (result) => result,
  decodeResult: (json: Json) => json as { ok: boolean },
  run: () => Promise.reject(new Error('not used by the client')),
};

interface TlsBridge {
  readonly origin: string;
  /** The TLS version and client-certificate state of each request's connection. */
  readonly seen: { protocol: string | null; authorized: boolean }[];
  close(): Promise<void>;
}

/** A local HTTPS server answering every query with `{ ok: true }`. */
async function tlsBridge(options: ServerOptions): Promise<TlsBridge> {
  const seen: TlsBridge['seen'] = [];
  const server = createServer(options, (req, res) => {
    const socket = req.socket as TLSSocket;
    seen.push({ protocol: socket.getProtocol(), authorized: socket.authorized });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'test.ping', result: { ok: true }, tookMs: 0 }));
    });
  });
  // Failed handshakes are the point of some tests; they must not surface as errors here.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

class RecordingLog implements BridgeLog {
  readonly lines: { level: string; fields: unknown; message: unknown }[] = [];
  error(fields: unknown, message?: unknown): void {
    this.lines.push({ level: 'error', fields, message });
  }
  warn(fields: unknown, message?: unknown): void {
    this.lines.push({ level: 'warn', fields, message });
  }
}

describe('createBridgeTransport', () => {
  const base: BridgeTransportConfig = {
    url: 'https://bridge.example:4000',
    timeoutMs: 1500,
    connections: 2,
    allowPlaintext: false,
  };

  it('refuses plain http unless explicitly allowed (local development)', async () => {
    expect(() => createBridgeTransport({ ...base, url: 'http://127.0.0.1:4000' })).toThrow(
      /BRIDGE_ALLOW_PLAINTEXT/,
    );
    const allowed = createBridgeTransport({
      ...base,
      url: 'http://127.0.0.1:4000/',
      allowPlaintext: true,
    });
    expect(allowed.origin).toBe('http://127.0.0.1:4000');
    await allowed.close();
  });

  it('refuses a missing URL, another scheme, and a client certificate without its key', () => {
    expect(() => createBridgeTransport({ ...base, url: undefined })).toThrow(/BRIDGE_URL/);
    expect(() => createBridgeTransport({ ...base, url: 'ftp://bridge:21' })).toThrow(/BRIDGE_URL/);
    expect(() => createBridgeTransport({ ...base, clientCertFile: '/x.crt' })).toThrow(
      /BRIDGE_CLIENT_CERT and BRIDGE_CLIENT_KEY/,
    );
  });

  it('names the variable whose PEM file cannot be read', () => {
    expect(() => createBridgeTransport({ ...base, caFile: '/nonexistent/bridge-ca.pem' })).toThrow(
      'BRIDGE_CA: cannot read /nonexistent/bridge-ca.pem (ENOENT)',
    );
  });

  it('closes once, however often it is asked to', async () => {
    const transport = createBridgeTransport(base);
    await Promise.all([transport.close(), transport.close()]);
    await transport.close();
  });
});

describe('BridgeTransport over TLS (local HTTPS servers, openssl-made certificates)', () => {
  let pki: TestPki;
  const transports: BridgeTransport[] = [];
  const servers: TlsBridge[] = [];

  beforeAll(() => {
    pki = createTestPki();
  });

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  afterAll(() => pki?.cleanup());

  const serverTls = (): ServerOptions => ({
    key: readFileSync(pki.serverKey),
    cert: readFileSync(pki.serverCert),
  });

  async function serve(options: ServerOptions): Promise<TlsBridge> {
    const server = await tlsBridge(options);
    servers.push(server);
    return server;
  }

  function executorFor(config: Partial<BridgeTransportConfig> & { url: string }, log?: BridgeLog) {
    const transport = createBridgeTransport({
      timeoutMs: 3000,
      connections: 2,
      allowPlaintext: false,
      ...config,
    });
    transports.push(transport);
    return new BridgeQueryExecutor(
      transport,
      { keyId: 'api-test', secret: SECRET, timeoutMs: 3000 },
      log ?? new RecordingLog(),
    );
  }

  it('talks TLS 1.2+ to a bridge whose certificate BRIDGE_CA signed', async () => {
    const bridge = await serve(serverTls());
    const executor = executorFor({ url: bridge.origin, caFile: pki.caCert });
    await expect(executor.execute(PING, [])).resolves.toEqual({ ok: true });
    expect(bridge.seen[0].protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it.each([
    ['without BRIDGE_CA (the system CAs do not know the test CA)', undefined],
    ['trusting another CA', 'other'],
  ])('refuses the bridge %s: 503 BRIDGE.UNAVAILABLE and an error log', async (_, ca) => {
    const bridge = await serve(serverTls());
    const log = new RecordingLog();
    const executor = executorFor(
      { url: bridge.origin, caFile: ca === 'other' ? pki.otherCaCert : undefined },
      log,
    );
    const error = await executor.execute(PING, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ code: 'BRIDGE.UNAVAILABLE' });
    expect(bridge.seen).toHaveLength(0);
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message:
          'TLS with the bridge failed: check BRIDGE_URL, BRIDGE_CA and the client certificate',
      }),
    ]);
  });

  it('refuses a bridge that only speaks TLS 1.1 (which a legacy client would accept)', async () => {
    const bridge = await serve({
      ...serverTls(),
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    // The server really does speak TLS 1.1: a client that allows it gets through.
    const { port } = new URL(bridge.origin);
    const legacy = await new Promise<string | null>((done, fail) => {
      const socket = connect(
        {
          host: '127.0.0.1',
          port: Number(port),
          ca: readFileSync(pki.caCert),
          minVersion: 'TLSv1',
          ciphers: 'DEFAULT:@SECLEVEL=0',
        },
        () => {
          done(socket.getProtocol());
          socket.end();
        },
      );
      socket.on('error', fail);
    });
    expect(legacy).toBe('TLSv1.1');

    const executor = executorFor({ url: bridge.origin, caFile: pki.caCert });
    const error = await executor.execute(PING, []).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BRIDGE.UNAVAILABLE' });
    expect(bridge.seen).toHaveLength(0);
  });

  it('presents the client certificate for mutual TLS; without one the bridge is unreachable', async () => {
    const bridge = await serve({
      ...serverTls(),
      ca: readFileSync(pki.caCert),
      requestCert: true,
      rejectUnauthorized: true,
    });
    const mutual = executorFor({
      url: bridge.origin,
      caFile: pki.caCert,
      clientCertFile: pki.clientCert,
      clientKeyFile: pki.clientKey,
    });
    await expect(mutual.execute(PING, [])).resolves.toEqual({ ok: true });
    expect(bridge.seen).toEqual([
      { protocol: expect.stringMatching(/^TLSv1\.[23]$/), authorized: true },
    ]);

    const anonymous = executorFor({ url: bridge.origin, caFile: pki.caCert });
    await expect(anonymous.execute(PING, [])).rejects.toMatchObject({
      code: 'BRIDGE.UNAVAILABLE',
    });
    const stranger = executorFor({
      url: bridge.origin,
      caFile: pki.caCert,
      clientCertFile: pki.strangerCert,
      clientKeyFile: pki.strangerKey,
    });
    await expect(stranger.execute(PING, [])).rejects.toMatchObject({
      code: 'BRIDGE.UNAVAILABLE',
    });
    expect(bridge.seen).toHaveLength(1);
  });
});
