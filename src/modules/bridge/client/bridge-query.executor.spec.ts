import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  MemoryNonceStore,
  parseKeyRing,
  QUERY_PATH,
  RequestVerifier,
} from '../../../../libs/bridge-protocol/src';
import {
  DependencyTimeoutError,
  DependencyUnavailableError,
  DomainError,
} from '../../../shared/domain/domain-error';
import type { DiaryQuery, Json } from '../../symptoms/infrastructure/queries/diary-query';
import {
  BridgeLog,
  BridgeQueryExecutor,
  LOG_EVERY_MS,
  retryAfterSeconds,
} from './bridge-query.executor';
import { BridgeTransport, createBridgeTransport } from './bridge-transport';
import { BridgeProbe } from './bridge.probe';

const KEY_ID = 'api-test';
const SECRET = 'bridge-unit-secret-0123456789abcdef';
/** A value that stands for health data: it must never appear in a log line. */
const SENSITIVE = 'private-migraine-note';

/** A query shaped like the catalogue's: one string param, a `{ count }` result. */
const COUNT: DiaryQuery<[string], { count: number }> = {
  name: 'test.count',
  kind: 'stats',
  encodeParams: ([symptom]) => ({ symptom }),
  decodeParams: () => {
    throw new Error('not used by the client');
  },
  encodeResult: (result) => result,
  decodeResult: (json: Json) => ({ count: (json as { count: number }).count }),
  run: () => Promise.reject(new Error('not used by the client')),
};

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

interface LocalBridge {
  readonly origin: string;
  /** Requests seen, with the raw body (to check what was signed and sent). */
  readonly seen: {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }[];
  /** TCP connections accepted (keep-alive reuse). */
  connections: number;
  handle: Handler;
  close(): Promise<void>;
}

/** A tiny real HTTP server standing in for the bridge. */
async function localBridge(): Promise<LocalBridge> {
  const sockets = new Set<Socket>();
  const bridge: LocalBridge = {
    origin: '',
    seen: [],
    connections: 0,
    handle: (_req, _body, res) => res.end(),
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bridge.seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      bridge.handle(req, body, res);
    });
  });
  server.on('connection', (socket: Socket) => {
    bridge.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return Object.assign(bridge, { origin: `http://127.0.0.1:${port}` });
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function problem(res: ServerResponse, status: number, code: string, detail: string, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  res.end(JSON.stringify({ type: 'about:blank', status, code, detail }));
}

/** Records log calls; the tests check what, how often, and that nothing sensitive was written. */
class RecordingLog implements BridgeLog {
  readonly lines: { level: 'error' | 'warn'; fields: unknown; message: unknown }[] = [];
  error(fields: unknown, message?: unknown): void {
    this.lines.push({ level: 'error', fields, message });
  }
  warn(fields: unknown, message?: unknown): void {
    this.lines.push({ level: 'warn', fields, message });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('BridgeQueryExecutor (against a local HTTP server)', () => {
  let bridge: LocalBridge;
  let transport: BridgeTransport;
  let log: RecordingLog;
  let now: number;
  let executor: BridgeQueryExecutor;

  function transportFor(origin: string, timeoutMs = 1500): BridgeTransport {
    return createBridgeTransport({
      url: origin,
      timeoutMs,
      connections: 4,
      allowPlaintext: true,
    });
  }

  beforeEach(async () => {
    bridge = await localBridge();
    transport = transportFor(bridge.origin);
    log = new RecordingLog();
    now = Date.parse('2026-11-12T09:00:00Z');
    executor = new BridgeQueryExecutor(
      transport,
      { keyId: KEY_ID, secret: SECRET, timeoutMs: 1500 },
      log,
      () => now,
    );
  });

  afterEach(async () => {
    await transport.close();
    await bridge.close();
  });

  it('POSTs { name, params } signed over exactly the bytes sent, and decodes the result', async () => {
    const verifier = new RequestVerifier({
      keys: parseKeyRing(`${KEY_ID}:${SECRET}`),
      nonces: new MemoryNonceStore(),
    });
    let verified: unknown;
    bridge.handle = (req, body, res) => {
      void verifier
        .verify({
          method: req.method ?? '',
          pathWithQuery: req.url ?? '',
          headers: req.headers,
          rawBody: Buffer.from(body),
        })
        .then((result) => {
          verified = result;
          json(res, 200, { name: 'test.count', result: { count: 7 }, tookMs: 3 });
        });
    };

    await expect(executor.execute(COUNT, [SENSITIVE])).resolves.toEqual({ count: 7 });

    expect(verified).toMatchObject({ ok: true });
    const [request] = bridge.seen;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(QUERY_PATH);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      name: 'test.count',
      params: { symptom: SENSITIVE },
    });
    expect(request.headers['x-bridge-key-id']).toBe(KEY_ID);
    expect(JSON.stringify(request.headers)).not.toContain(SECRET);
    expect(log.lines).toEqual([]);
  });

  it('reuses its keep-alive connection for calls one after the other', async () => {
    bridge.handle = (_req, _body, res) =>
      json(res, 200, { name: 'test.count', result: { count: 1 }, tookMs: 1 });
    for (let i = 0; i < 10; i += 1) await executor.execute(COUNT, ['x']);
    expect(bridge.seen).toHaveLength(10);
    // undici may open a second connection when a call follows the previous one in the same
    // tick, before the first connection is marked free; after that, the pool reuses them.
    expect(bridge.connections).toBeLessThanOrEqual(2);
    // Every request has its own nonce.
    expect(new Set(bridge.seen.map((r) => r.headers['x-bridge-nonce'])).size).toBe(10);
  });

  it('refuses an answer to another query, or a malformed one, as a plain error (500)', async () => {
    bridge.handle = (_req, _body, res) =>
      json(res, 200, { name: 'stats.other', result: { count: 1 }, tookMs: 1 });
    const wrongName = await rejection(executor.execute(COUNT, ['x']));
    expect(wrongName).not.toBeInstanceOf(DomainError);
    expect(wrongName.message).toMatch(/malformed envelope/);

    bridge.handle = (_req, _body, res) => res.end('not json');
    const notJson = await rejection(executor.execute(COUNT, ['x']));
    expect(notJson).not.toBeInstanceOf(DomainError);
  });

  it.each([401, 403])(
    'maps %i to 503 BRIDGE.REFUSED and logs it at most once per 30 s, without the secret',
    async (status) => {
      bridge.handle = (_req, _body, res) =>
        problem(res, status, 'BRIDGE.UNAUTHENTICATED', 'The request is not authenticated.');

      const first = await rejection(executor.execute(COUNT, [SENSITIVE]));
      expect(first).toBeInstanceOf(DependencyUnavailableError);
      expect(first).toMatchObject({ code: 'BRIDGE.REFUSED' });
      expect(first.message).toBe('The diary cannot be reached right now. Try again shortly.');
      await rejection(executor.execute(COUNT, [SENSITIVE]));
      now += LOG_EVERY_MS - 1;
      await rejection(executor.execute(COUNT, [SENSITIVE]));
      expect(log.lines).toHaveLength(1);
      expect(log.lines[0]).toMatchObject({
        level: 'error',
        fields: { keyId: KEY_ID, status },
        message:
          'the bridge refused our signature: check BRIDGE_KEY_ID/BRIDGE_SECRET and the clocks',
      });

      now += 1;
      await rejection(executor.execute(COUNT, [SENSITIVE]));
      expect(log.lines).toHaveLength(2);
      expect(log.text()).not.toContain(SECRET);
      expect(log.text()).not.toContain(SENSITIVE);
    },
  );

  it('maps 400 to a plain error (our bug: 500) and logs the problem detail, not the params', async () => {
    bridge.handle = (_req, _body, res) =>
      problem(res, 400, 'REQUEST.VALIDATION_FAILED', 'The query has 1 invalid parameter: symptom.');
    const error = await rejection(executor.execute(COUNT, [SENSITIVE]));
    expect(error).not.toBeInstanceOf(DomainError);
    expect(log.lines).toEqual([
      {
        level: 'error',
        fields: {
          query: 'test.count',
          status: 400,
          code: 'REQUEST.VALIDATION_FAILED',
          detail: 'The query has 1 invalid parameter: symptom.',
        },
        message: 'the bridge rejected a diary query as invalid',
      },
    ]);
    expect(log.text()).not.toContain(SENSITIVE);
  });

  it.each([
    [429, { 'retry-after': '7' }, 'BRIDGE.BUSY', 7],
    [429, {}, 'BRIDGE.BUSY', 1],
    [503, { 'retry-after': '12' }, 'DIARY.UNAVAILABLE', 12],
    [503, {}, 'DIARY.UNAVAILABLE', 1],
  ])('maps %i %j to 503 %s with Retry-After %i', async (status, headers, code, seconds) => {
    bridge.handle = (_req, _body, res) => problem(res, status, 'X', 'busy', headers);
    const error = await rejection(executor.execute(COUNT, ['x']));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ code, retryAfterSeconds: seconds });
  });

  it('maps 504 (the bridge cancelled the statement) to 504 DIARY.TIMEOUT', async () => {
    bridge.handle = (_req, _body, res) =>
      problem(res, 504, 'DIARY.TIMEOUT', 'timeout', { 'retry-after': '3' });
    const error = await rejection(executor.execute(COUNT, ['x']));
    expect(error).toBeInstanceOf(DependencyTimeoutError);
    expect(error).toMatchObject({ code: 'DIARY.TIMEOUT', retryAfterSeconds: 3 });
  });

  it('maps another 5xx to BRIDGE.UNAVAILABLE, another 4xx (wrong URL) to a plain error', async () => {
    bridge.handle = (_req, _body, res) => problem(res, 502, 'X', 'bad gateway');
    expect(await rejection(executor.execute(COUNT, ['x']))).toMatchObject({
      code: 'BRIDGE.UNAVAILABLE',
    });
    bridge.handle = (_req, _body, res) => problem(res, 404, 'ROUTE.NOT_FOUND', 'nothing here');
    const notFound = await rejection(executor.execute(COUNT, ['x']));
    expect(notFound).not.toBeInstanceOf(DomainError);
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', fields: { status: 404 } });
  });

  it('maps a connection reset mid-answer to 503 BRIDGE.UNAVAILABLE', async () => {
    bridge.handle = (req) => req.socket.destroy();
    const error = await rejection(executor.execute(COUNT, ['x']));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ code: 'BRIDGE.UNAVAILABLE' });
  });

  it('maps a refused connection to 503 BRIDGE.UNAVAILABLE, logged once per 30 s', async () => {
    const origin = bridge.origin;
    await bridge.close();
    const closed = transportFor(origin);
    const offline = new BridgeQueryExecutor(
      closed,
      { keyId: KEY_ID, secret: SECRET, timeoutMs: 1500 },
      log,
      () => now,
    );
    try {
      for (let i = 0; i < 3; i += 1) {
        const error = await rejection(offline.execute(COUNT, ['x']));
        expect(error).toBeInstanceOf(DependencyUnavailableError);
        expect(error).toMatchObject({ code: 'BRIDGE.UNAVAILABLE', retryAfterSeconds: 10 });
      }
      expect(log.lines).toEqual([
        {
          level: 'warn',
          fields: { reason: 'ECONNREFUSED' },
          message: 'the bridge cannot be reached',
        },
      ]);
    } finally {
      await closed.close();
    }
  });

  it('gives up after its own timeout with 504 BRIDGE.TIMEOUT, well before the bridge answers', async () => {
    const pending: ServerResponse[] = [];
    bridge.handle = (_req, _body, res) => pending.push(res);
    const quick = transportFor(bridge.origin, 200);
    const impatient = new BridgeQueryExecutor(
      quick,
      { keyId: KEY_ID, secret: SECRET, timeoutMs: 200 },
      log,
    );
    try {
      const started = Date.now();
      const error = await rejection(impatient.execute(COUNT, ['x']));
      expect(error).toBeInstanceOf(DependencyTimeoutError);
      expect(error).toMatchObject({ code: 'BRIDGE.TIMEOUT' });
      // Generous: the point is that it does not wait for an answer that never comes.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const res of pending) res.destroy();
      await quick.close();
    }
  });
});

describe('BridgeProbe', () => {
  let bridge: LocalBridge;
  let transport: BridgeTransport;

  beforeEach(async () => {
    bridge = await localBridge();
    transport = createBridgeTransport({
      url: bridge.origin,
      timeoutMs: 1500,
      connections: 2,
      allowPlaintext: true,
    });
  });

  afterEach(async () => {
    await transport.close();
    await bridge.close();
  });

  it('reports the bridge up when its /health/ready answers 200 (unsigned GET)', async () => {
    bridge.handle = (_req, _body, res) => json(res, 200, { status: 'ok' });
    const probe = new BridgeProbe(transport, 1500);
    expect(probe.name).toBe('bridge');
    await expect(probe.check(new AbortController().signal)).resolves.toEqual({
      url: bridge.origin,
      httpStatus: 200,
    });
    expect(bridge.seen[0]).toMatchObject({ method: 'GET', url: '/health/ready' });
    expect(bridge.seen[0].headers['x-bridge-signature']).toBeUndefined();
  });

  it('fails when the bridge is not ready', async () => {
    bridge.handle = (_req, _body, res) => json(res, 503, { status: 'error' });
    await expect(
      new BridgeProbe(transport, 1500).check(new AbortController().signal),
    ).rejects.toThrow('the bridge is not ready (HTTP 503)');
  });

  it('stops waiting when the readiness check aborts it', async () => {
    const pending: ServerResponse[] = [];
    bridge.handle = (_req, _body, res) => pending.push(res);
    const controller = new AbortController();
    const check = new BridgeProbe(transport, 10_000).check(controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(check).rejects.toBeDefined();
    for (const res of pending) res.destroy();
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-11-12T09:00:00Z');
  it.each([
    [undefined, 4, 4],
    ['2', 4, 2],
    ['0', 4, 1],
    ['99999', 4, 3600],
    ['soon', 4, 4],
    ['Thu, 12 Nov 2026 09:00:30 GMT', 4, 30],
  ])('%s (fallback %i) → %i', (value, fallback, expected) => {
    expect(
      retryAfterSeconds(value === undefined ? {} : { 'retry-after': value }, fallback, now),
    ).toBe(expected);
  });
});
