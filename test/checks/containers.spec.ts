import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { parseDocument, type ScalarTag } from 'yaml';
import { diaryTableDdl } from '../../src/infrastructure/database/diary-schema';
import { withClient, withDatabase } from '../support/database';
import { describeWithTools } from '../support/native-tool';

/**
 * Static checks of docker/ (no Docker engine runs here): the compose files against the Compose
 * Specification's schema and dclint's rules, the production override merged as Compose merges
 * it, the topology rules (networks, published ports, health checks, limits, logging, secrets),
 * the Dockerfile through dockerfile-utils' validator; and what can run natively: the image's
 * health check script, the secrets generator, the diary's init scripts, shellcheck.
 */
const root = join(__dirname, '..', '..');
const docker = join(root, 'docker');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Yaml = Record<string, unknown>;
type Service = Yaml & {
  networks?: string[] | Yaml;
  ports?: unknown[];
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
};

const RESET = Symbol('!reset');
const resetTag: ScalarTag = {
  tag: '!reset',
  identify: () => false,
  resolve: () => RESET,
};
// Compose's `!reset` on a mapping or sequence: the parser sees a collection, so mark those too.
function loadCompose(path: string): Yaml {
  const doc = parseDocument(read(path), { merge: true, customTags: [resetTag] });
  if (doc.errors.length > 0) throw doc.errors[0];
  const source = read(path);
  const data = doc.toJS() as Yaml;
  // `key: !reset {}` / `!reset []` parse as empty collections with the tag: find them by text.
  for (const match of source.matchAll(/^(\s*)([\w.-]+):\s*!reset\b/gm)) {
    markReset(data, match[2]);
  }
  return data;
}
function markReset(node: unknown, key: string): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node as Yaml)) {
    if (k === key && (typeof v !== 'object' || v === null || Object.keys(v).length === 0)) {
      (node as Yaml)[k] = RESET;
    } else markReset(v, key);
  }
}

/** Compose's merge rules, as far as these files use them (compose-spec, "Merge and override"). */
function mergeCompose(base: unknown, override: unknown, path: string[] = []): unknown {
  if (override === RESET) return undefined;
  if (Array.isArray(base) && Array.isArray(override)) {
    const key = path[path.length - 1];
    if (key === 'volumes') {
      // Compose interpolates before it merges: ${VAR:-default} is one source, whatever its colons.
      const target = (v: unknown) =>
        typeof v === 'string' ? v.replace(/\$\{[^}]*\}/g, 'X').split(':')[1] : '';
      const kept = base.filter((b) => !override.some((o) => target(o) === target(b)));
      return [...kept, ...override];
    }
    if (['command', 'entrypoint', 'test'].includes(key)) return override;
    return [...new Set([...base, ...override])];
  }
  if (isMap(base) && isMap(override)) {
    const merged: Yaml = { ...base };
    for (const [k, v] of Object.entries(override)) {
      const value =
        k in base ? mergeCompose(base[k], v, [...path, k]) : v === RESET ? undefined : v;
      if (value === undefined) delete merged[k];
      else merged[k] = value;
    }
    return merged;
  }
  return override;
}
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);
const networksOf = (s: Service): string[] =>
  Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {});

function dclint(...files: string[]): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/dclint/bin/dclint.cjs'),
      '-c',
      join(docker, '.dclintrc.json'),
      ...files,
    ],
    { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs the image's health check script without blocking this process (servers here answer it). */
function healthcheck(
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(docker, 'healthcheck.js')],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 },
      (error, stdout, stderr) =>
        resolve({
          status: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          stdout,
          stderr,
        }),
    );
    child.stdin?.end();
  });
}

const compose = loadCompose('docker/compose.yml');
const prodOverride = loadCompose('docker/compose.prod.yml');
const prod = mergeCompose(compose, prodOverride) as Yaml;
const services = compose.services as Record<string, Service>;
const prodServices = prod.services as Record<string, Service>;

describe('docker/compose.yml', () => {
  it('passes the Compose Specification schema and dclint', () => {
    const result = dclint(join(docker, 'compose.yml'), join(docker, 'compose.prod.yml'));
    expect(result.output).not.toMatch(/error/);
    expect(result.status).toBe(0);
  });

  it('dclint catches a schema violation (the check is real)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    try {
      const file = join(dir, 'compose.yml');
      writeFileSync(file, 'name: x\nservices:\n  a:\n    image: x:1\n    restartt: always\n');
      const result = dclint(file);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/invalid-schema/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the services of the topology', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api-1', 'api-2', 'app-db', 'bridge', 'nginx', 'postgres', 'redis'].sort(),
    );
  });

  it.each(Object.keys(services))(
    '%s: health check, limits, rotated json logs, restart policy',
    (name) => {
      const s = services[name];
      expect(s.healthcheck).toEqual(expect.objectContaining({ test: expect.anything() }));
      expect(s.deploy?.resources?.limits?.memory).toMatch(/^\d+M$/);
      expect(s.deploy?.resources?.limits?.cpus).toMatch(/^\d+(\.\d+)?$/);
      expect(s.logging).toEqual({
        driver: 'json-file',
        options: {
          'max-size': '10m',
          'max-file': '5',
          tag: '{{.Name}}',
          labels: 'com.docker.compose.service',
        },
      });
      expect(s.restart).toBe('unless-stopped');
    },
  );

  it('publishes ports from nginx only (80 and 443)', () => {
    const publishing = Object.entries(services).filter(([, s]) => s.ports !== undefined);
    expect(publishing.map(([n]) => n)).toEqual(['nginx']);
    expect(services.nginx.ports).toEqual(['0.0.0.0:80:80', '0.0.0.0:443:443']);
    expect(prodServices.nginx.ports).toEqual(services.nginx.ports);
  });

  it('keeps the diary database on the internal diary network, with the bridge only', () => {
    expect(networksOf(services.postgres)).toEqual(['diary']);
    const onDiary = Object.entries(services).filter(([, s]) => networksOf(s).includes('diary'));
    expect(onDiary.map(([n]) => n).sort()).toEqual(['bridge', 'postgres']);
    expect((compose.networks as Yaml).diary).toEqual(expect.objectContaining({ internal: true }));
  });

  it('puts every service on the networks COMMON.md names', () => {
    const expected: Record<string, string[]> = {
      nginx: ['edge'],
      'api-1': ['edge', 'backend', 'monitoring'],
      'api-2': ['edge', 'backend', 'monitoring'],
      bridge: ['backend', 'diary', 'monitoring'],
      postgres: ['diary'],
      'app-db': ['backend'],
      redis: ['backend', 'monitoring'],
    };
    for (const [name, networks] of Object.entries(expected)) {
      expect([name, networksOf(services[name]).sort()]).toEqual([name, [...networks].sort()]);
    }
    // TRUST_PROXY names the edge network: the address nginx's requests come from.
    const edge = (compose.networks as Record<string, { ipam: { config: { subnet: string }[] } }>)
      .edge;
    expect((services['api-1'].environment as Yaml).TRUST_PROXY).toBe(edge.ipam.config[0].subnet);
  });

  it('starts a service only when what it needs is healthy', () => {
    const healthyDeps = (s: Service) =>
      Object.entries((s.depends_on ?? {}) as Record<string, { condition: string }>);
    expect(
      healthyDeps(services.nginx)
        .map(([n]) => n)
        .sort(),
    ).toEqual(['api-1', 'api-2']);
    expect(
      healthyDeps(services['api-1'])
        .map(([n]) => n)
        .sort(),
    ).toEqual(['app-db', 'bridge', 'redis']);
    expect(healthyDeps(services.bridge).map(([n]) => n)).toEqual(['postgres']);
    for (const s of Object.values(services)) {
      for (const [, dep] of healthyDeps(s)) expect(dep.condition).toBe('service_healthy');
    }
  });

  it('reads secrets from files only, and every file has an example in docker/secrets', () => {
    const secrets = compose.secrets as Record<string, { file: string }>;
    const prodSecrets = prod.secrets as Record<string, { file: string }>;
    for (const { file } of Object.values(prodSecrets)) {
      expect(existsSync(join(docker, `${file}.example`))).toBe(true);
    }
    for (const [name, s] of Object.entries(services)) {
      for (const secret of (s.secrets ?? []) as string[]) {
        expect([name, secret in secrets]).toEqual([name, true]);
      }
      const env = (s.environment ?? {}) as Record<string, string>;
      for (const [key, value] of Object.entries(env)) {
        if (key.endsWith('_FILE')) expect(value).toMatch(/^\/run\/secrets\/\w+$/);
        expect([key, /SECRET$|PASSWORD$|TOKEN$|KEYS$/.test(key)]).toEqual([key, false]);
      }
    }
    const ignored = read('docker/secrets/.gitignore');
    expect(ignored).toMatch(/^\*$/m);
    expect(ignored).toMatch(/^!\*\.example$/m);
  });

  it('fits a 4 GB Pi 4 with room to spare, as docs/deployment.md budgets it', () => {
    const mib = (m: string) => Number(m.replace(/M$/, ''));
    const limits = Object.fromEntries(
      Object.entries(services).map(([n, s]) => [n, mib(s.deploy!.resources!.limits!.memory!)]),
    );
    const production = Object.entries(limits)
      .filter(([n]) => n !== 'postgres')
      .reduce((sum, [, m]) => sum + m, 0);
    expect(production).toBeLessThanOrEqual(1536);
    const doc = read('docs/deployment.md');
    for (const [name, s] of Object.entries(services)) {
      const row = new RegExp(
        `^\\| \`${name}\`\\s*\\|\\s*${s.deploy!.resources!.limits!.cpus}\\s*\\|\\s*${limits[name]} MiB\\s*\\|`,
        'm',
      );
      expect([name, row.test(doc)]).toEqual([name, true]);
    }
  });
});

describe('docker/compose.prod.yml merged over compose.yml', () => {
  it('is a valid Compose file once merged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-prod-'));
    try {
      const file = join(dir, 'compose.yml');
      writeFileSync(file, JSON.stringify(prod, null, 2));
      const result = dclint(file);
      expect(result.output).not.toMatch(/invalid-schema|invalid-yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the registry image by an explicit tag, restarts always, no Swagger UI', () => {
    for (const name of ['api-1', 'api-2', 'bridge']) {
      expect(prodServices[name].image).toBe('${APP_IMAGE:?set APP_IMAGE}:${APP_TAG:?set APP_TAG}');
      expect(prodServices[name].environment).toEqual(
        expect.objectContaining({ NODE_ENV: 'production' }),
      );
    }
    for (const name of ['nginx', 'api-1', 'api-2', 'bridge', 'app-db', 'redis']) {
      expect([name, prodServices[name].restart]).toEqual([name, 'always']);
    }
    expect((prodServices['api-1'].environment as Yaml).SWAGGER_ENABLED).toBe('false');
  });

  it('leaves the diary stand-in off and points the bridge at the real diary over verified TLS', () => {
    expect(prodServices.postgres.profiles).toEqual(['dev-diary']);
    expect(prodServices.bridge.depends_on).toBeUndefined();
    expect((prodServices.bridge.environment as Yaml).DATABASE_CA_FILE).toBe(
      '/run/secrets/diary_ca',
    );
    expect(prodServices.bridge.secrets).toContain('diary_ca');
    expect((prod.networks as Yaml).diary).toEqual(expect.objectContaining({ internal: false }));
  });

  it("mounts the Let's Encrypt certificate and the certbot webroot in nginx", () => {
    const volumes = prodServices.nginx.volumes as string[];
    expect(volumes).toContain('${TLS_CERT_DIR:-/srv/symptom-diary/certs}:/etc/nginx/certs:ro');
    expect(volumes).toContain(
      '${CERTBOT_WEBROOT:-/srv/symptom-diary/certbot-www}:/var/www/certbot:ro',
    );
    expect(volumes.filter((v) => v.endsWith(':/etc/nginx/certs:ro'))).toHaveLength(1);
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages[stages.length - 1];

  it('has no problem dockerfile-utils reports', () => {
    expect(validateDockerfile(dockerfile)).toEqual([]);
    // The validator is real: it reports a second HEALTHCHECK in one stage.
    expect(validateDockerfile('FROM node:24\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b\n')).not.toEqual(
      [],
    );
  });

  it('builds in stages on Node 24, with production dependencies only in the runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    for (const stage of stages) expect(stage).toMatch(/^\$\{NODE_IMAGE\} AS \w+/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).not.toMatch(/npm install/);
    expect(final).toMatch(/COPY --from=deps .*\/app\/node_modules/);
    expect(final).toMatch(/COPY --from=build .*\/app\/dist/);
    expect(final).not.toMatch(/COPY (--\S+ )*(src|\.) /);
  });

  it('runs as a non-root user, with NODE_ENV=production, tini, a health check and the API by default', () => {
    const user = /^USER (\S+)$/m.exec(final)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(final).toMatch(/NODE_ENV=production/);
    expect(final).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(final).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "\/app\/docker\/healthcheck.js"\]$/m);
    expect(final).toMatch(/^CMD \["node", "dist\/src\/main.js"\]$/m);
    expect(final).toMatch(/org\.opencontainers\.image\.revision/);
  });

  it('sends only what the build needs (.dockerignore): no secrets, no node_modules, no .env', () => {
    const ignore = read('.dockerignore').split('\n');
    expect(ignore).toContain('**');
    const included = ignore.filter((l) => l.startsWith('!'));
    for (const line of included) expect(line).not.toMatch(/secrets|node_modules|\.env|\.data/);
    expect(included).toEqual(expect.arrayContaining(['!src/**', '!libs/**', '!package-lock.json']));
  });
});

describe('docker/healthcheck.js (the image HEALTHCHECK)', () => {
  const run = (env: Record<string, string>) => healthcheck(env);
  let server: Server;
  let port: number;
  let status = 200;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  it('ROLE=api: healthy when /health/ready answers 200, unhealthy on 503 or no answer', async () => {
    status = 200;
    expect((await run({ PORT: String(port) })).status).toBe(0);
    expect(paths.pop()).toBe('/health/ready');
    status = 503;
    const unready = await run({ PORT: String(port) });
    expect(unready.status).toBe(1);
    expect(unready.stderr).toMatch(/answered 503/);
    status = 200;
    expect((await run({ PORT: String(port), HEALTHCHECK_PATH: '/health/live' })).status).toBe(0);
    expect(paths.pop()).toBe('/health/live');
    await new Promise<void>((r) => server.close(() => r()));
    const down = await run({ PORT: String(port) });
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/ECONNREFUSED/);
  });
});

const describeOpenssl = describeWithTools('openssl', 'shellcheck');
describeOpenssl('docker/scripts/make-secrets.sh', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const made = spawnSync('bash', [join(docker, 'scripts/make-secrets.sh'), '--dir', dir], {
      encoding: 'utf8',
    });
    expect(made.status).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes every file compose.yml reads, valid for the variables that read them', () => {
    const secrets = compose.secrets as Record<string, { file: string }>;
    for (const { file } of Object.values(secrets)) {
      expect(existsSync(join(dir, file.replace('./secrets/', '')))).toBe(true);
    }
    const value = (name: string) => readFileSync(join(dir, name), 'utf8').trim();
    expect(value('jwt_secret').length).toBeGreaterThanOrEqual(32);
    expect(value('bridge_secret').length).toBeGreaterThanOrEqual(32);
    expect(value('bridge_keys')).toBe(`api:${value('bridge_secret')}`);
    expect(value('app_database_url')).toBe(
      `postgres://app:${value('app_db_password')}@app-db:5432/app`,
    );
    expect(value('diary_database_url')).toBe(
      `postgres://diary_reader:${value('diary_reader_password')}@postgres:5432/diary`,
    );
    expect(existsSync(join(dir, 'tls/fullchain.pem'))).toBe(true);
  });

  it('keeps what exists when run again', () => {
    const before = readFileSync(join(dir, 'jwt_secret'), 'utf8');
    const again = spawnSync('bash', [join(docker, 'scripts/make-secrets.sh'), '--dir', dir], {
      encoding: 'utf8',
    });
    expect(again.status).toBe(0);
    expect(readFileSync(join(dir, 'jwt_secret'), 'utf8')).toBe(before);
  });

  it("gives the bridge a certificate for the name `bridge` that the API's CA file verifies", async () => {
    const server = createHttpsServer(
      {
        cert: readFileSync(join(dir, 'bridge_tls_cert.pem')),
        key: readFileSync(join(dir, 'bridge_tls_key.pem')),
      },
      (_req, res) => res.end('ok'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = tlsConnect(
          {
            host: '127.0.0.1',
            port,
            servername: 'bridge',
            ca: readFileSync(join(dir, 'bridge_ca.pem')),
          },
          () => {
            resolve(socket.authorized);
            socket.end();
          },
        );
        socket.on('error', reject);
      });
      expect(authorized).toBe(true);
      // The image's health check talks to it as ROLE=bridge.
      const check = await healthcheck({
        ROLE: 'bridge',
        BRIDGE_PORT: String(port),
        BRIDGE_TLS_CERT: 'set',
        HEALTHCHECK_PATH: '/health/ready',
      });
      expect(check.stdout).toMatch(/healthy: bridge \/health\/ready 200/);
      expect(check.status).toBe(0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('every script under docker/ is shellcheck-clean', () => {
    const scripts = [
      ...readdirSync(join(docker, 'scripts')).map((f) => join(docker, 'scripts', f)),
      ...readdirSync(join(docker, 'postgres/diary-init')).map((f) =>
        join(docker, 'postgres/diary-init', f),
      ),
    ].filter((f) => f.endsWith('.sh'));
    expect(scripts.length).toBeGreaterThanOrEqual(7);
    const result = spawnSync('shellcheck', ['--severity=style', ...scripts], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

const describePsql = describeWithTools('psql');
describePsql('docker/postgres/diary-init (the diary stand-in)', () => {
  const adminUrl = () => process.env.TEST_PG_ADMIN_URL!;
  const name = `sdtest_diaryinit_${process.pid}`;
  const role = `sdtest_reader_${process.pid}`;
  let url: string;

  beforeAll(async () => {
    await withClient(adminUrl(), (c) => c.query(`CREATE DATABASE "${name}"`));
    url = withDatabase(adminUrl(), name);
  });
  afterAll(async () => {
    await withClient(adminUrl(), async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS "${role}"`);
    });
  });

  const columns = (schema: string) =>
    withClient(url, async (c) => {
      const result = await c.query(
        `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
           FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'symptom_log'
          ORDER BY ordinal_position`,
        [schema],
      );
      return result.rows.map((r: Yaml) => ({
        ...r,
        column_default: String((r.column_default as string | null) ?? '').replace(`${schema}.`, ''),
      }));
    });

  it('creates symptom_log exactly as diary-schema.ts defines it, and a read-only role', async () => {
    const sql = spawnSync(
      'psql',
      [
        url,
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-f',
        join(docker, 'postgres/diary-init/01-symptom-log.sql'),
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(sql.stderr).toBe('');
    expect(sql.status).toBe(0);
    await withClient(url, async (c) => {
      await c.query('CREATE SCHEMA reference');
      await c.query(diaryTableDdl('reference'));
    });
    const created = await columns('public');
    expect(created).toHaveLength(8);
    expect(created).toEqual(await columns('reference'));

    const dir = mkdtempSync(join(tmpdir(), 'reader-'));
    try {
      writeFileSync(join(dir, 'pw'), 'reader-password\n');
      const parsed = new URL(url);
      const script = spawnSync('bash', [join(docker, 'postgres/diary-init/02-reader-role.sh')], {
        encoding: 'utf8',
        env: {
          ...process.env,
          PGHOST: parsed.hostname,
          PGPORT: parsed.port || '5432',
          POSTGRES_USER: decodeURIComponent(parsed.username || 'postgres'),
          POSTGRES_DB: name,
          DIARY_READER_ROLE: role,
          DIARY_READER_PASSWORD_FILE: join(dir, 'pw'),
        },
      });
      expect(script.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const readerUrl = new URL(url);
    readerUrl.username = role;
    readerUrl.password = 'reader-password';
    await withClient(readerUrl.toString(), async (c) => {
      await expect(c.query('SELECT count(*) FROM symptom_log')).resolves.toBeDefined();
      await expect(
        c.query(`INSERT INTO symptom_log (person, sym, logged) VALUES ('x', 'y', now())`),
      ).rejects.toThrow(/read-only transaction/);
      await expect(c.query('SELECT count(*) FROM reference.symptom_log')).rejects.toThrow(
        /permission denied/,
      );
    });
  });
});
