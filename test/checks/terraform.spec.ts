import { parse } from '@cdktf/hcl2json';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { describeWithTools } from '../support/native-tool';

/**
 * Static checks of terraform/ (docs/infrastructure.md, "What the tests check"). Every .tf file is
 * parsed with HashiCorp's HCL parser (@cdktf/hcl2json, the HCL library compiled to WebAssembly)
 * and the rules the modules promise are asserted on the parsed blocks: typed and described
 * variables, sensitive secrets, no secret literals, pinned providers, described outputs, the
 * environments composed of the modules, and the security settings of the database, Redis and the
 * load balancer. `terraform fmt -check` runs the real formatter; `terraform validate` runs for the
 * modules whose providers are in a local plugin mirror (TF_PLUGIN_DIR, default /opt/tf-plugins):
 * no provider can be downloaded here. The workflow (.github/workflows/ci.yml) runs `terraform
 * validate` and `terraform test` for everything with the providers downloaded.
 */

const ROOT = join(__dirname, '..', '..', 'terraform');
const MODULES = join(ROOT, 'modules');
const ENVIRONMENTS = join(ROOT, 'environments');
const CLOUD_ENVIRONMENTS = ['staging', 'production'];
const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins';

type Hcl = Record<string, unknown>;

/** hcl2json renders each block as an array of bodies (a block may repeat). */
function bodies(value: unknown): Hcl[] {
  return Array.isArray(value) ? (value as Hcl[]) : [];
}

function blocksOf(doc: Hcl, kind: string): Map<string, Hcl> {
  const out = new Map<string, Hcl>();
  const group = doc[kind];
  if (!group || typeof group !== 'object') return out;
  for (const [name, value] of Object.entries(group as Hcl)) {
    const [body] = bodies(value);
    if (body) out.set(name, body);
  }
  return out;
}

/** resource "type" "name" → Map of "type.name" → body. */
function resourcesOf(doc: Hcl): Map<string, Hcl> {
  const out = new Map<string, Hcl>();
  const group = doc.resource;
  if (!group || typeof group !== 'object') return out;
  for (const [type, byName] of Object.entries(group as Hcl)) {
    for (const [name, value] of Object.entries(byName as Hcl)) {
      const [body] = bodies(value);
      if (body) out.set(`${type}.${name}`, body);
    }
  }
  return out;
}

function tfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === '.terraform') return [];
    if (statSync(path).isDirectory()) return tfFiles(path);
    return entry.endsWith('.tf') ? [path] : [];
  });
}

function subdirectories(dir: string): string[] {
  return readdirSync(dir).filter((entry) => statSync(join(dir, entry)).isDirectory());
}

/** Every configuration directory (module or environment) with its .tf files merged. */
interface Configuration {
  readonly dir: string;
  readonly name: string;
  readonly files: Map<string, Hcl>;
  readonly variables: Map<string, Hcl>;
  readonly outputs: Map<string, Hcl>;
  readonly resources: Map<string, Hcl>;
  readonly modules: Map<string, Hcl>;
  readonly locals: Hcl;
  readonly terraform: Hcl[];
}

async function load(dir: string): Promise<Configuration> {
  const files = new Map<string, Hcl>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const path = join(dir, file);
    files.set(file, (await parse(path, readFileSync(path, 'utf8'))) as Hcl);
  }
  const merge = (pick: (doc: Hcl) => Map<string, Hcl>): Map<string, Hcl> =>
    new Map([...files.values()].flatMap((doc) => [...pick(doc)]));
  const locals: Hcl = Object.assign(
    {},
    ...[...files.values()].flatMap((doc) => bodies(doc.locals)),
  ) as Hcl;
  return {
    dir,
    name: relative(ROOT, dir),
    files,
    variables: merge((doc) => blocksOf(doc, 'variable')),
    outputs: merge((doc) => blocksOf(doc, 'output')),
    resources: merge(resourcesOf),
    modules: merge((doc) => blocksOf(doc, 'module')),
    locals,
    terraform: [...files.values()].flatMap((doc) => bodies(doc.terraform)),
  };
}

function requiredProviders(config: Configuration): Map<string, Hcl> {
  const out = new Map<string, Hcl>();
  for (const block of config.terraform) {
    for (const providers of bodies(block.required_providers)) {
      for (const [name, spec] of Object.entries(providers)) out.set(name, spec as Hcl);
    }
  }
  return out;
}

/** Walks every attribute of a parsed document: [path, key, value] for each scalar. */
function* scalars(value: unknown, path: string[] = []): Generator<[string[], string, unknown]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* scalars(item, [...path, String(i)]);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Hcl)) {
      if (item && typeof item === 'object') yield* scalars(item, [...path, key]);
      else yield [path, key, item];
    }
  }
}

/** Variable names that say "secret" (contained anywhere in the name). */
const SECRET_NAME = /(password|secret|token|private_key|api_key|access_key|auth)/i;
/** Attribute names that hold a secret (at the end of the name: not auth_token_update_strategy). */
const SECRET_ATTRIBUTE = /(password|secret|token|private_key|api_key|access_key)$/i;
/** Names that say secret but hold none (an id, an ARN, a name, a file or its path). */
const NOT_SECRET = /(_id$|_ids$|_arn$|_name$|_names$|_file$|_dir$|_url$|_pem$)/;
/** Secret-named variables that hold no secret, with the reason. */
const NOT_SECRET_VARIABLES: Record<string, string> = {
  'modules/service: var.secrets': 'ARNs of Secrets Manager entries (the values never pass through)',
};

let modules: Configuration[];
let environments: Configuration[];
let all: Configuration[];

beforeAll(async () => {
  modules = await Promise.all(subdirectories(MODULES).map((m) => load(join(MODULES, m))));
  environments = await Promise.all(
    subdirectories(ENVIRONMENTS).map((e) => load(join(ENVIRONMENTS, e))),
  );
  all = [...modules, ...environments];
});

function environment(name: string): Configuration {
  const found = environments.find((e) => basename(e.dir) === name);
  if (!found) throw new Error(`terraform/environments/${name} is missing`);
  return found;
}

function resource(config: Configuration, address: string): Hcl {
  const found = config.resources.get(address);
  if (!found) throw new Error(`${config.name} has no ${address}`);
  return found;
}

function moduleNamed(name: string): Configuration {
  const found = modules.find((m) => basename(m.dir) === name);
  if (!found) throw new Error(`terraform/modules/${name} is missing`);
  return found;
}

describe('terraform/ (parsed with @cdktf/hcl2json)', () => {
  it('has the modules and environments the deployment needs', () => {
    expect(modules.map((m) => basename(m.dir)).sort()).toEqual(
      expect.arrayContaining([
        'alarms',
        'cache',
        'cluster',
        'database',
        'load-balancer',
        'network',
        'registry',
        'secrets',
        'service',
      ]),
    );
    expect(environments.map((e) => basename(e.dir)).sort()).toEqual([
      'home',
      'production',
      'staging',
    ]);
  });

  it('parses every .tf file', () => {
    const parsed = all.reduce((n, c) => n + c.files.size, 0);
    expect(parsed).toBe(tfFiles(ROOT).length);
    expect(parsed).toBeGreaterThan(30);
  });

  it('types and describes every variable', () => {
    const problems = all.flatMap((c) =>
      [...c.variables].flatMap(([name, v]) => [
        ...(typeof v.type === 'string' && v.type.length > 0
          ? []
          : [`${c.name}: var.${name} has no type`]),
        ...(typeof v.description === 'string' && v.description.length >= 10
          ? []
          : [`${c.name}: var.${name} has no description`]),
      ]),
    );
    expect(problems).toEqual([]);
  });

  it('validates the variables that have a shape (names, CIDRs, versions, sizes)', () => {
    const validated = all.flatMap((c) =>
      [...c.variables].filter(([, v]) => bodies(v.validation).length > 0),
    ).length;
    const total = all.reduce((n, c) => n + c.variables.size, 0);
    expect(validated / total).toBeGreaterThan(0.6);
    for (const c of all) {
      for (const name of [
        'name',
        'cidr_block',
        'engine_version',
        'image',
        'image_tag',
        'ssl_policy',
      ]) {
        const v = c.variables.get(name);
        if (v)
          expect({ [`${c.name}: var.${name}`]: bodies(v.validation).length > 0 }).toEqual({
            [`${c.name}: var.${name}`]: true,
          });
      }
    }
  });

  it('marks every secret variable sensitive and gives it no default', () => {
    const secretVariables = all.flatMap((c) =>
      [...c.variables]
        .filter(([name]) => SECRET_NAME.test(name) && !NOT_SECRET.test(name))
        .map(([name, v]) => ({ where: `${c.name}: var.${name}`, v }))
        .filter(({ where }) => !(where in NOT_SECRET_VARIABLES)),
    );
    expect(secretVariables.map((s) => s.where)).toEqual(
      expect.arrayContaining([
        'modules/database: var.master_password',
        'modules/cache: var.auth_token',
        'modules/secrets: var.secret_values',
      ]),
    );
    expect(
      secretVariables.filter(({ v }) => v.sensitive !== true || 'default' in v).map((s) => s.where),
    ).toEqual([]);
    const privateKeys = all.flatMap((c) =>
      [...c.variables].filter(([name]) => /private_key/.test(name)).map(([, v]) => v),
    );
    expect(privateKeys.every((v) => v.sensitive === true)).toBe(true);
  });

  it('writes no secret value in the code', () => {
    const problems: string[] = [];
    for (const c of all) {
      for (const [file, doc] of c.files) {
        for (const [path, key, value] of scalars(doc)) {
          if (typeof value !== 'string') continue;
          const where = `${c.name}/${file}: ${[...path, key].join('.')}`;
          // A secret-named attribute comes from a variable or a generated value, never a literal;
          // the one literal allowed is the name of the file that holds it (home: bind mounts).
          const fileOfTheSecret = value === key || value === `${key}.pem`;
          if (
            SECRET_ATTRIBUTE.test(key) &&
            !NOT_SECRET.test(key) &&
            !value.startsWith('${') &&
            !fileOfTheSecret
          ) {
            problems.push(`${where} = literal`);
          }
          if (/AKIA[0-9A-Z]{16}/.test(value)) problems.push(`${where}: AWS access key id`);
          if (/-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/=]{20}/.test(value)) {
            problems.push(`${where}: private key`);
          }
          if (/:\/\/[^:/\s$]+:[^@\s${}]+@/.test(value))
            problems.push(`${where}: URL with a password`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('generates the cloud secrets with random_password and stores them in Secrets Manager', () => {
    for (const name of CLOUD_ENVIRONMENTS) {
      const env = environment(name);
      const passwords = [...env.resources.keys()].filter((a) => a.startsWith('random_password.'));
      expect(passwords.sort()).toEqual([
        'random_password.bridge',
        'random_password.database',
        'random_password.jwt',
        'random_password.redis_auth',
      ]);
      const secrets = env.modules.get('secrets');
      expect(secrets?.secret_names).toEqual(
        expect.arrayContaining([
          'JWT_SECRET',
          'DATABASE_URL',
          'APP_DATABASE_URL',
          'BRIDGE_SECRET',
          'BRIDGE_KEYS',
          'REDIS_URL',
        ]),
      );
    }
  });

  it('describes every output', () => {
    const problems = all.flatMap((c) =>
      [...c.outputs]
        .filter(([, o]) => typeof o.description !== 'string' || o.description.length < 10)
        .map(([name]) => `${c.name}: output.${name}`),
    );
    expect(problems).toEqual([]);
    for (const m of modules) expect({ [m.name]: m.outputs.size > 0 }).toEqual({ [m.name]: true });
  });

  it('gives every module and environment a versions.tf with pinned providers and Terraform >= 1.7', () => {
    for (const c of all) {
      expect({ [c.name]: c.files.has('versions.tf') }).toEqual({ [c.name]: true });
      const versions = c.files.get('versions.tf') as Hcl;
      const [terraform] = bodies(versions.terraform);
      expect(terraform?.required_version).toMatch(/^>= 1\.(7|8|9|1\d)\.\d+$/);
      const providers = requiredProviders(c);
      expect(providers.size).toBeGreaterThan(0);
      for (const [name, spec] of providers) {
        expect({ [`${c.name}: ${name}`]: spec.source }).toEqual({
          [`${c.name}: ${name}`]: expect.stringMatching(/^[a-z0-9-]+\/[a-z0-9-]+$/),
        });
        // Pinned: a pessimistic constraint (~> x.y) or an exact version, never ">= x" alone.
        expect({ [`${c.name}: ${name}`]: spec.version }).toEqual({
          [`${c.name}: ${name}`]: expect.stringMatching(
            /^(~> \d+\.\d+(\.\d+)?|= ?\d+\.\d+\.\d+|\d+\.\d+\.\d+)$/,
          ),
        });
      }
    }
  });

  it('keeps the modules provider-agnostic of configuration (no provider blocks in modules)', () => {
    for (const m of modules) {
      expect({ [m.name]: [...m.files.values()].some((doc) => 'provider' in doc) }).toEqual({
        [m.name]: false,
      });
    }
  });

  it('composes staging and production of the modules, with identical main.tf', () => {
    const sources = (env: Configuration): string[] =>
      [...env.modules.values()].map((m) => String(m.source)).sort();
    const expected = [
      'alarms',
      'cache',
      'cluster',
      'database',
      'load-balancer',
      'network',
      'registry',
      'secrets',
      'service',
    ].map((m) => `../../modules/${m}`);
    for (const name of CLOUD_ENVIRONMENTS) {
      const env = environment(name);
      expect([...new Set(sources(env))].sort()).toEqual(expected);
      for (const source of sources(env)) {
        expect(existsSync(join(env.dir, source, 'versions.tf'))).toBe(true);
      }
    }
    // Drift between the two would make staging a poor rehearsal: only environment.tf differs.
    for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']) {
      expect({ [file]: readFileSync(join(ENVIRONMENTS, 'staging', file), 'utf8') }).toEqual({
        [file]: readFileSync(join(ENVIRONMENTS, 'production', file), 'utf8'),
      });
    }
    const used = new Set(
      environments.flatMap((e) => [...e.modules.values()].map((m) => basename(String(m.source)))),
    );
    expect(modules.map((m) => basename(m.dir)).filter((m) => !used.has(m))).toEqual([]);
  });

  it('sizes production larger than staging and protects it from deletion', () => {
    const size = (name: string): Hcl => environment(name).locals.size as Hcl;
    expect(size('production').deletion_protection).toBe(true);
    expect(size('staging').deletion_protection).toBe(false);
    expect(size('production').db_multi_az).toBe(true);
    expect(size('production').cache_nodes as number).toBeGreaterThan(
      size('staging').cache_nodes as number,
    );
    expect(size('production').api_max_tasks as number).toBeGreaterThan(
      size('staging').api_max_tasks as number,
    );
    expect(size('staging').api_min_tasks as number).toBeGreaterThanOrEqual(2);
    for (const name of CLOUD_ENVIRONMENTS) {
      const database = environment(name).modules.get('database') as Hcl;
      expect(database.deletion_protection).toBe('${local.size.deletion_protection}');
      const lb = environment(name).modules.get('load_balancer') as Hcl;
      expect(lb.deletion_protection).toBe('${local.size.deletion_protection}');
    }
  });

  it('declares the remote state as a partial S3 backend in the cloud environments', () => {
    for (const name of CLOUD_ENVIRONMENTS) {
      const env = environment(name);
      const backends = env.terraform.flatMap((t) => Object.entries((t.backend ?? {}) as Hcl));
      expect(backends.map(([type]) => type)).toEqual(['s3']);
      // Partial: nothing in the block, everything from -backend-config=backend.hcl.
      expect(bodies(backends[0][1])).toEqual([{}]);
      const example = readFileSync(join(env.dir, 'backend.hcl.example'), 'utf8');
      expect(example).toMatch(/use_lockfile\s*=\s*true/);
      expect(example).toMatch(/encrypt\s*=\s*true/);
    }
  });

  it('keeps the database private, encrypted, on PostgreSQL 15, with backups and forced TLS', () => {
    const db = moduleNamed('database');
    const instance = resource(db, 'aws_db_instance.this');
    expect(instance.publicly_accessible).toBe(false);
    expect(instance.storage_encrypted).toBe(true);
    expect(instance.engine).toBe('postgres');
    expect(db.variables.get('engine_version')?.default).toMatch(/^15/);
    expect(instance.backup_retention_period).toBe('${var.backup_retention_days}');
    const retention = bodies(db.variables.get('backup_retention_days')?.validation);
    expect(retention[0]?.condition).toContain('>= 1');
    const parameters = bodies(resource(db, 'aws_db_parameter_group.this').parameter);
    expect(parameters).toContainEqual({ name: 'rds.force_ssl', value: '1' });
    expect(
      resource(db, 'aws_vpc_security_group_ingress_rule.postgres').referenced_security_group_id,
    ).toBeDefined();
  });

  it('runs Redis with TLS, an auth token and encryption at rest', () => {
    const group = resource(moduleNamed('cache'), 'aws_elasticache_replication_group.this');
    expect(group.transit_encryption_enabled).toBe(true);
    expect(group.at_rest_encryption_enabled).toBe(true);
    expect(group.auth_token).toBe('${var.auth_token}');
  });

  it('terminates TLS 1.2+ on the load balancer and redirects HTTP to HTTPS', () => {
    const lb = moduleNamed('load-balancer');
    const https = resource(lb, 'aws_lb_listener.https');
    expect(https.protocol).toBe('HTTPS');
    expect(https.ssl_policy).toBe('${var.ssl_policy}');
    expect(lb.variables.get('ssl_policy')?.default).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(String(https.certificate_arn)).toContain('aws_acm_certificate_validation');
    const http = resource(lb, 'aws_lb_listener.http');
    const [action] = bodies(http.default_action);
    expect(action.type).toBe('redirect');
    expect(bodies(action.redirect)[0]).toMatchObject({
      protocol: 'HTTPS',
      status_code: 'HTTP_301',
    });
    expect(resource(lb, 'aws_lb.this').drop_invalid_header_fields).toBe(true);
    const [health] = bodies(resource(lb, 'aws_lb_target_group.api').health_check);
    expect(health.path).toBe('${var.health_check_path}');
    expect(lb.variables.get('health_check_path')?.default).toBe('/health/ready');
  });

  it('runs the tasks without public addresses, read-only, with secrets from Secrets Manager', () => {
    const service = moduleNamed('service');
    const ecs = resource(service, 'aws_ecs_service.this');
    expect(bodies(ecs.network_configuration)[0].assign_public_ip).toBe(false);
    expect(bodies(ecs.deployment_circuit_breaker)[0]).toEqual({ enable: true, rollback: true });
    const container = service.locals.container as Hcl;
    expect(container.readonlyRootFilesystem).toBe(true);
    for (const name of CLOUD_ENVIRONMENTS) {
      const env = environment(name);
      const api = env.modules.get('api') as Hcl;
      const bridge = env.modules.get('bridge') as Hcl;
      // The bridge: one task, reachable only from the API's security group, not behind the ALB.
      expect(bridge.desired_count).toBe(1);
      expect(bridge.ingress_security_group_ids).toEqual(['${module.api.security_group_id}']);
      expect(bridge.target_group_arn).toBeUndefined();
      expect(api.ingress_security_group_ids).toEqual(['${module.load_balancer.security_group_id}']);
      expect(api.autoscaling).toBeDefined();
      for (const vars of [api.environment, bridge.environment] as Hcl[]) {
        expect(
          Object.keys(vars).filter((k) =>
            /SECRET|PASSWORD|TOKEN|KEYS$|DATABASE_URL$|REDIS_URL$/.test(k),
          ),
        ).toEqual([]);
      }
      const database = env.modules.get('database') as Hcl;
      expect(database.allowed_security_group_ids).toEqual(
        expect.arrayContaining(['${module.bridge.security_group_id}']),
      );
      const cache = env.modules.get('cache') as Hcl;
      expect(cache.allowed_security_group_ids).toEqual(['${module.api.security_group_id}']);
    }
  });

  it('alarms on 5xx, p95 latency, unhealthy hosts, CPU and database storage', () => {
    const alarms = moduleNamed('alarms');
    const metrics = [...alarms.resources]
      .filter(([address]) => address.startsWith('aws_cloudwatch_metric_alarm.'))
      .map(([, alarm]) => alarm.metric_name);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'HTTPCode_Target_5XX_Count',
        'HTTPCode_ELB_5XX_Count',
        'TargetResponseTime',
        'UnHealthyHostCount',
        'CPUUtilization',
        'FreeStorageSpace',
      ]),
    );
    expect(resource(alarms, 'aws_cloudwatch_metric_alarm.p95_latency').extended_statistic).toBe(
      'p95',
    );
    for (const [address, alarm] of alarms.resources) {
      if (address.startsWith('aws_cloudwatch_metric_alarm.')) {
        expect({ [address]: alarm.alarm_actions }).toEqual({ [address]: '${local.actions}' });
      }
    }
  });

  it('runs the compose topology at home through the Docker provider over SSH', () => {
    const home = environment('home');
    const docker = requiredProviders(home).get('docker');
    expect(docker?.source).toBe('kreuzwerker/docker');
    expect(requiredProviders(home).get('cloudflare')?.source).toBe('cloudflare/cloudflare');
    const [provider] = bodies(
      (home.files.get('versions.tf') as Hcl & { provider: Hcl }).provider.docker,
    );
    expect(provider.host).toBe('${var.docker_host}');
    expect(bodies(home.variables.get('docker_host')?.validation)[0].condition).toContain('ssh://');
    const containers = [...home.resources].filter(([a]) => a.startsWith('docker_container.'));
    const names = containers.map(([, c]) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['nginx', '${each.key}', 'bridge', 'postgres', 'app-db', 'redis']),
    );
    expect(home.locals.api_instances).toBe('${toset(["api-1", "api-2"])}');
    // Only nginx publishes ports.
    expect(containers.filter(([, c]) => 'ports' in c).map(([a]) => a)).toEqual([
      'docker_container.nginx',
    ]);
    expect(bodies(resource(home, 'docker_container.nginx').ports).map((p) => p.external)).toEqual([
      80, 443,
    ]);
    const networks = home.locals.networks as Hcl;
    expect(Object.keys(networks).sort()).toEqual(['backend', 'diary', 'edge', 'monitoring']);
    const record = resource(home, 'cloudflare_dns_record.home');
    expect(bodies(record.lifecycle)[0].ignore_changes).toEqual(['${content}']);
  });

  it('has a terraform test with mocked providers for every module and environment', () => {
    for (const c of all) {
      const tests = existsSync(join(c.dir, 'tests'))
        ? readdirSync(join(c.dir, 'tests')).filter((f) => f.endsWith('.tftest.hcl'))
        : [];
      expect({ [c.name]: tests.length }).toEqual({ [c.name]: 1 });
      const text = readFileSync(join(c.dir, 'tests', tests[0]), 'utf8');
      for (const provider of requiredProviders(c).keys()) {
        expect({ [c.name]: text }).toEqual({
          [c.name]: expect.stringContaining(`mock_provider "${provider}"`),
        });
      }
      expect(text).toMatch(/run "[a-z0-9_]+" \{/);
    }
  });
});

const describeTerraform = describeWithTools('terraform');

function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync('terraform', args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...env },
  });
}

describeTerraform('terraform (the real binary)', () => {
  it('is a version that runs terraform test with mock providers (>= 1.7)', () => {
    const { stdout } = terraform(['version', '-json'], ROOT);
    const version = (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
    const [major, minor] = version.split('.').map(Number);
    expect(major > 1 || (major === 1 && minor >= 7)).toBe(true);
  });

  it('finds every file formatted (terraform fmt -check -recursive)', () => {
    const result = terraform(['fmt', '-check', '-recursive', '-diff'], ROOT);
    expect({ status: result.status, unformatted: result.stdout }).toEqual({
      status: 0,
      unformatted: '',
    });
  });

  // Only the providers in the local mirror can be installed here (hashicorp/aws when present):
  // the modules that need nothing else are validated for real; the rest run in the workflow.
  // Loading the AWS provider's schema takes seconds per module (minutes on a busy machine), so
  // this runs on request: TERRAFORM_VALIDATE=true (the workflow's terraform job validates and
  // tests every module and environment anyway).
  const validateHere = process.env.TERRAFORM_VALIDATE === 'true';
  if (!validateHere) {
    process.stderr.write(
      'SKIPPED: terraform validate of the mirrored modules (set TERRAFORM_VALIDATE=true; CI runs it)\n',
    );
  }
  const itValidate = validateHere ? it : it.skip;
  const mirrored = (provider: string): boolean =>
    existsSync(join(PLUGIN_DIR, 'registry.terraform.io', provider));

  itValidate(
    'validates the modules whose providers are in the local mirror (terraform validate)',
    () => {
      const candidates = modules.filter((m) =>
        [...requiredProviders(m).values()].every((spec) => mirrored(String(spec.source))),
      );
      if (candidates.length === 0) {
        process.stderr.write(`SKIPPED: no provider mirror at ${PLUGIN_DIR}; validate runs in CI\n`);
        return;
      }
      const failures: string[] = [];
      for (const m of candidates) {
        // A copy, so that init leaves neither .terraform nor a lock file in the repository.
        const work = mkdtempSync(join(tmpdir(), 'tf-validate-'));
        try {
          cpSync(m.dir, work, { recursive: true });
          const init = terraform(
            ['init', '-backend=false', '-input=false', `-plugin-dir=${PLUGIN_DIR}`, '-no-color'],
            work,
          );
          const validate = init.status === 0 ? terraform(['validate', '-no-color'], work) : init;
          if (validate.status !== 0)
            failures.push(`${m.name}: ${validate.stdout}${validate.stderr}`);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      }
      expect(failures).toEqual([]);
    },
    600_000,
  );
});
