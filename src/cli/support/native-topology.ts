import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { createTestPki, type TestPki } from './test-pki';

/**
 * The compose topology (docker/compose.yml: nginx in front of api-1 and api-2) run natively on
 * loopback, for the nginx e2e test, `npm run check:tls` and later load tests. No Docker engine is
 * needed: the Debian nginx runs the repository's own docker/nginx/ files, rendered by the few
 * substitutions in `renderNginxConfig` (ports, upstream addresses, paths), so the configuration
 * that is tested is the one that is deployed.
 */

/** The repository root (the directory with package.json), from src/ or from dist/src/. */
export function repositoryRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'docker', 'nginx'))) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}

/** A free TCP port on loopback (released again: the caller binds it soon after). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export interface NginxRendering {
  /** Loopback ports nginx listens on instead of 80 and 443. */
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Loopback ports of the two instances instead of api-1:3000 and api-2:3000. */
  readonly upstreamPorts: readonly [number, number];
  /** Directory with fullchain.pem and privkey.pem, instead of /etc/nginx/certs. */
  readonly certsDir: string;
  /** Where nginx.conf, conf.d/, logs/, cache/ and the pid file go (nginx's -p prefix). */
  readonly prefix: string;
  /** The repository's docker/nginx (default: found from this file). */
  readonly sourceDir?: string;
}

/** One substitution: every occurrence of `from` becomes `to`; `from` must occur (no drift). */
export interface Substitution {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The documented differences between the deployed and the tested configuration, and nothing else:
 * - `user nginx;` (the official image's user): `user nobody nogroup;` when the test runs as root
 *   (workers never run as root; they only read the error pages and write temporary files), the
 *   line removed otherwise (an unprivileged master cannot switch users anyway);
 * - the pid file, logs (/var/log/nginx) and temporary files (/var/cache/nginx) under the prefix;
 * - the certificates directory (/etc/nginx/certs) and the error pages (/usr/share/nginx/errors:
 *   the repository's own docker/nginx/errors, not a copy);
 * - `listen 80` / `listen 443` on loopback ports, the IPv6 listens dropped;
 * - the upstreams api-1:3000 / api-2:3000 as 127.0.0.1:<port>.
 * Includes are relative to the configuration's directory (`include conf.d/*.conf`), so they
 * need no substitution; /etc/nginx/mime.types is the same file in the image and on Debian.
 */
export function nginxSubstitutions(r: NginxRendering, runningAsRoot: boolean): Substitution[] {
  const source = r.sourceDir ?? join(repositoryRoot(), 'docker', 'nginx');
  const main = 'nginx.conf';
  const api = 'conf.d/api.conf';
  return [
    { file: main, from: 'user nginx;', to: runningAsRoot ? 'user nobody nogroup;' : '' },
    { file: main, from: '/var/run/nginx.pid', to: join(r.prefix, 'nginx.pid') },
    { file: main, from: '/var/log/nginx/', to: `${join(r.prefix, 'logs')}/` },
    { file: main, from: '/var/cache/nginx/', to: `${join(r.prefix, 'cache')}/` },
    { file: api, from: '/etc/nginx/certs/', to: `${r.certsDir}/` },
    { file: api, from: '/usr/share/nginx/errors/', to: `${join(source, 'errors')}/` },
    { file: api, from: 'listen 80 default_server;', to: `listen 127.0.0.1:${r.httpPort};` },
    { file: api, from: 'listen [::]:80 default_server;', to: '' },
    {
      file: api,
      from: 'listen 443 ssl http2 default_server;',
      to: `listen 127.0.0.1:${r.httpsPort} ssl http2;`,
    },
    { file: api, from: 'listen [::]:443 ssl http2 default_server;', to: '' },
    { file: api, from: 'server api-1:3000', to: `server 127.0.0.1:${r.upstreamPorts[0]}` },
    { file: api, from: 'server api-2:3000', to: `server 127.0.0.1:${r.upstreamPorts[1]}` },
  ];
}

/**
 * Copies docker/nginx/nginx.conf and conf.d/ into `prefix` with the substitutions above applied,
 * and returns the path of the rendered nginx.conf. Throws when a substitution no longer matches
 * (the deployed files changed: update the list, do not let the test drift from them).
 */
export function renderNginxConfig(r: NginxRendering): string {
  const source = r.sourceDir ?? join(repositoryRoot(), 'docker', 'nginx');
  const files = ['nginx.conf', ...readdirSync(join(source, 'conf.d')).map((f) => `conf.d/${f}`)];
  const rendered = new Map(files.map((f) => [f, readFileSync(join(source, f), 'utf8')]));
  const runningAsRoot = process.getuid?.() === 0;
  for (const { file, from, to } of nginxSubstitutions(r, runningAsRoot)) {
    const text = rendered.get(file);
    if (text === undefined || !text.includes(from)) {
      throw new Error(`docker/nginx/${file} no longer contains "${from}": update native-topology`);
    }
    rendered.set(file, text.split(from).join(to));
  }
  for (const dir of ['conf.d', 'logs', 'cache'])
    mkdirSync(join(r.prefix, dir), { recursive: true });
  for (const [file, text] of rendered) writeFileSync(join(r.prefix, file), text);
  return join(r.prefix, 'nginx.conf');
}

/** A child process with its output kept (the last 64 KiB) for error messages. */
class Child {
  output = '';
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-65536);
    };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
    this.exited = new Promise((r) => process.once('close', () => r()));
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    const killer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    this.process.kill(signal);
    await this.exited;
    clearTimeout(killer);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  child: Child,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (!child.running) throw new Error(`${what} exited before it was ready:\n${child.output}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`${what} not ready within ${timeoutMs} ms:\n${child.output}`);
    }
    await sleep(200);
  }
}

async function httpReady(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
  await res.arrayBuffer();
  return res.status === 200;
}

/** A TLS handshake with nginx succeeds (trusting the test CA). */
async function tlsReady(port: number, ca: string): Promise<boolean> {
  return new Promise((r) => {
    const socket = connectTls({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      socket.end();
      r(true);
    });
    socket.once('error', () => r(false));
  });
}

async function tcpOpen(port: number): Promise<boolean> {
  return new Promise((r) => {
    const socket = connectTcp(port, '127.0.0.1', () => {
      socket.end();
      r(true);
    });
    socket.once('error', () => r(false));
  });
}

/** One line of nginx's JSON access log (log_format json_access in docker/nginx/nginx.conf). */
export interface AccessLogLine {
  time: string;
  client: string;
  method: string;
  path: string;
  protocol: string;
  status: number;
  bytes: number;
  latency: number;
  upstream: string;
  upstream_status: string;
  upstream_time: string;
  request_id: string;
}

export interface TopologyOptions {
  /**
   * The API instances' environment (DATABASE_URL, RATE_LIMIT_PER_MINUTE …). Added to the
   * defaults: PORT, HOST=127.0.0.1, TRUST_PROXY=127.0.0.1, NODE_ENV=production,
   * LOG_LEVEL=warn, DIARY_TIMEZONE=UTC. Required unless `upstreams` is given.
   */
  readonly apiEnv?: Record<string, string>;
  /**
   * Ports of upstreams the caller runs itself (e.g. `npm run check:tls`'s static answerers);
   * no API instance is started then.
   */
  readonly upstreams?: readonly [number, number];
  /** How long an instance may take to become ready (default 45 s). */
  readonly readyTimeoutMs?: number;
}

export interface ApiInstance {
  readonly name: string;
  readonly port: number;
  /** 127.0.0.1:<port>, as nginx's $upstream_addr names it. */
  readonly address: string;
  /** Its process id (for CPU and memory figures). */
  readonly pid: number;
  readonly running: boolean;
  readonly output: string;
  stop(): Promise<void>;
}

export interface Topology {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** https://127.0.0.1:<httpsPort> */
  readonly httpsUrl: string;
  readonly httpUrl: string;
  /** PEM of the CA that signed nginx's certificate, and its path. */
  readonly caPem: string;
  readonly caPath: string;
  readonly prefix: string;
  readonly nginxConf: string;
  /** The nginx master's process id (its workers are its children). */
  readonly nginxPid: number;
  /** Empty when `upstreams` was given. */
  readonly apis: readonly ApiInstance[];
  /** The access log so far, parsed (one JSON object a line). */
  accessLog(): AccessLogLine[];
  accessLogText(): string;
  errorLogText(): string;
  /** Stops every API instance (nginx keeps running: the error pages' case). */
  stopApis(): Promise<void>;
  /** Stops everything and removes the temporary files. */
  stop(): Promise<void>;
}

/**
 * Starts the topology: a throwaway CA and a server certificate for 127.0.0.1/localhost
 * (test-pki.ts), two API instances (`node dist/src/main.js`: run `nest build` first) started one
 * after the other (the first runs the migrations), then `nginx -p <prefix> -c <rendered conf>
 * -g 'daemon off;'` as a child. Resolves once nginx answers TLS and every instance is ready;
 * `stop()` tears everything down.
 */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const root = repositoryRoot();
  const prefix = mkdtempSync(join(tmpdir(), 'sd-nginx-'));
  // mkdtemp makes it 0700: nginx's workers (nobody when run as root) must reach cache/ inside.
  chmodSync(prefix, 0o755);
  let pki: TestPki | undefined;
  const apis: Child[] = [];
  let nginx: Child | undefined;
  const stopAll = async () => {
    await nginx?.stop('SIGQUIT');
    await Promise.all(apis.map((api) => api.stop()));
    pki?.cleanup();
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    pki = createTestPki();
    const certsDir = join(prefix, 'certs');
    mkdirSync(certsDir);
    copyFileSync(pki.serverCert, join(certsDir, 'fullchain.pem'));
    copyFileSync(pki.serverKey, join(certsDir, 'privkey.pem'));

    const upstreamPorts: [number, number] = options.upstreams
      ? [options.upstreams[0], options.upstreams[1]]
      : [await freePort(), await freePort()];
    if (!options.upstreams) {
      const main = join(root, 'dist', 'src', 'main.js');
      if (!existsSync(main)) throw new Error(`${main} is missing: run nest build first`);
      for (const [i, port] of upstreamPorts.entries()) {
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          DIARY_TIMEZONE: 'UTC',
          HOST: '127.0.0.1',
          TRUST_PROXY: '127.0.0.1',
          ...options.apiEnv,
          PORT: String(port),
        };
        const child = new Child(
          `api-${i + 1}`,
          spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
        );
        apis.push(child);
        await waitFor(child.name, child, () => httpReady(port), options.readyTimeoutMs ?? 45_000);
      }
    }

    const httpPort = await freePort();
    const httpsPort = await freePort();
    const nginxConf = renderNginxConfig({ httpPort, httpsPort, upstreamPorts, certsDir, prefix });
    nginx = new Child(
      'nginx',
      spawn('nginx', ['-p', `${prefix}/`, '-c', nginxConf, '-g', 'daemon off;'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const ca = pki.pem(pki.caCert);
    await waitFor(
      'nginx',
      nginx,
      async () => (await tcpOpen(httpPort)) && tlsReady(httpsPort, ca),
      15_000,
    );

    const accessLogPath = join(prefix, 'logs', 'access.log');
    const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
    const caPath = join(prefix, 'ca.pem');
    writeFileSync(caPath, ca);
    return {
      httpPort,
      httpsPort,
      httpsUrl: `https://127.0.0.1:${httpsPort}`,
      httpUrl: `http://127.0.0.1:${httpPort}`,
      caPem: ca,
      caPath,
      prefix,
      nginxConf,
      nginxPid: nginx.process.pid ?? 0,
      apis: apis.map((child, i) => ({
        name: child.name,
        port: upstreamPorts[i],
        address: `127.0.0.1:${upstreamPorts[i]}`,
        pid: child.process.pid ?? 0,
        get running() {
          return child.running;
        },
        get output() {
          return child.output;
        },
        stop: () => child.stop(),
      })),
      accessLogText: () => read(accessLogPath),
      accessLog: () =>
        read(accessLogPath)
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line) => JSON.parse(line) as AccessLogLine),
      errorLogText: () => read(join(prefix, 'logs', 'error.log')),
      stopApis: async () => {
        await Promise.all(apis.map((api) => api.stop()));
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
