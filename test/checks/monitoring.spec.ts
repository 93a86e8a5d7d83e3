import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { describeWithTools } from '../support/native-tool';

/**
 * The monitoring profile (docker/monitoring, docker/compose.monitoring.yml) checked with the
 * tools made for it: promtool (config, rules, rule unit tests), amtool (Alertmanager config and
 * routing), dclint (the compose file), plus what no tool checks: every alert is documented in
 * the runbook and tested both ways, dashboards query only metrics that exist.
 */
const ROOT = join(__dirname, '..', '..');
const MONITORING = join(ROOT, 'docker', 'monitoring');
const ALERTS = join(MONITORING, 'alerts');
const TESTS = join(ALERTS, 'tests');

interface Run {
  status: number | null;
  output: string;
}

function run(command: string, args: string[], cwd = ROOT): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return {
    status: result.status,
    output: `$ ${command} ${args.join(' ')}\n${result.stdout}${result.stderr}${result.error?.message ?? ''}`,
  };
}

/** Exit code 0, or a failure that shows the tool's own output. */
function expectSuccess(result: Run): void {
  if (result.status !== 0) {
    throw new Error(`exit code ${result.status}\n${result.output}`);
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => join(dir, name));
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function rules(): Rule[] {
  return yamlFiles(ALERTS).flatMap(
    (file) =>
      (parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
        (group) => group.rules,
      ) ?? [],
  );
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) =>
      match[1]
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** The metric names contract (docs/operations.md#metrics, the helpers' brief) plus `up`. */
const APP_METRICS = [
  'http_requests_total',
  'http_request_duration_seconds',
  'nlu_parse_duration_seconds',
  'chat_turns_total',
  'cache_requests_total',
  'circuit_breaker_state',
  'db_pool_connections',
  'dependency_up',
  'bridge_auth_failures_total',
  'rate_limit_rejections_total',
  'abuse_blocks_total',
  'abuse_blocked_addresses',
  'errors_captured_total',
  'app_info',
];
const HOST_METRICS = [
  'home_internet_up',
  'home_internet_last_change_timestamp_seconds',
  'ddns_update_success',
  'ddns_last_success_timestamp_seconds',
  'up',
];
/** node-exporter, blackbox-exporter, redis-exporter, and Prometheus's and Alertmanager's own. */
const EXPORTER_PREFIXES = ['node_', 'probe_', 'redis_', 'prometheus_', 'alertmanager_'];
const HISTOGRAM_SUFFIXES = ['_bucket', '_count', '_sum'];

async function knownMetric(): Promise<(name: string) => boolean> {
  // prom-client's default metrics, as the app exposes them (no prefix).
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const defaults = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
  registry.clear();
  const exact = new Set(
    [...APP_METRICS, ...HOST_METRICS, ...defaults].flatMap((name) => [
      name,
      ...HISTOGRAM_SUFFIXES.map((suffix) => name + suffix),
    ]),
  );
  return (name) => exact.has(name) || EXPORTER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression selects (strings, matchers, ranges and groupings out). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\d+[smhdwy]/g, ' ')
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, ' ');
  return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)]
    .filter((match) => !match[2] && !PROMQL_WORDS.has(match[1].toLowerCase()))
    .map((match) => match[1]);
}

const describePrometheus = describeWithTools('promtool', 'amtool');

describePrometheus('monitoring: Prometheus and Alertmanager', () => {
  it('prometheus.yml is a valid config whose rule files load (promtool check config)', () => {
    // The config names its secret files (bearer token, bridge CA) relatively, as they are
    // mounted under /etc/prometheus/secrets/: a copy with placeholder files lets promtool check
    // every path it refers to.
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
    try {
      for (const entry of ['prometheus.yml', 'alerts', 'targets']) {
        cpSync(join(MONITORING, entry), join(dir, entry), { recursive: true });
      }
      mkdirSync(join(dir, 'secrets'));
      writeFileSync(join(dir, 'secrets', 'metrics_token'), 'placeholder-token\n');
      writeFileSync(join(dir, 'secrets', 'bridge_ca.pem'), 'placeholder\n');
      const result = run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
      expectSuccess(result);
      expect(result.output).toMatch(/SUCCESS: .* is valid prometheus config file syntax/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scrapes both API instances and the bridge (HTTPS) with the metrics token from a file', () => {
    const config = parse(readFileSync(join(MONITORING, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: {
        job_name: string;
        scheme?: string;
        authorization?: { type: string; credentials_file: string };
        static_configs?: { targets: string[] }[];
      }[];
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    const job = (name: string) => config.scrape_configs.find((c) => c.job_name === name)!;
    const targets = (name: string) => job(name).static_configs!.flatMap((c) => c.targets);
    expect(targets('api')).toEqual(['api-1:3000', 'api-2:3000']);
    expect(targets('bridge')).toEqual(['bridge:4000']);
    expect(job('bridge').scheme).toBe('https');
    for (const name of ['api', 'bridge']) {
      expect(job(name).authorization).toEqual({
        type: 'Bearer',
        credentials_file: 'secrets/metrics_token',
      });
    }
    expect(targets('node')).toEqual(['node-exporter:9100']);
    expect(targets('redis')).toEqual(['redis-exporter:9121']);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      'alertmanager:9093',
    ]);
  });

  it('probes the public /health/live over HTTPS (file_sd targets, blackbox module)', () => {
    const groups = parse(
      readFileSync(join(MONITORING, 'targets', 'public-endpoints.yml'), 'utf8'),
    ) as { targets: string[]; labels?: Record<string, string> }[];
    const targets = groups.flatMap((group) => group.targets);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(target).toMatch(/^https:\/\/[^/]+\/health\/live$/);
    const blackbox = parse(readFileSync(join(MONITORING, 'blackbox.yml'), 'utf8')) as {
      modules: Record<string, { prober: string; http: { fail_if_not_ssl: boolean } }>;
    };
    expect(blackbox.modules.https_health).toEqual(
      expect.objectContaining({
        prober: 'http',
        http: expect.objectContaining({ fail_if_not_ssl: true }),
      }),
    );
  });

  it('every alert rule file is valid (promtool check rules)', () => {
    expectSuccess(run('promtool', ['check', 'rules', ...yamlFiles(ALERTS)]));
  });

  it('every alert fires when it should and stays silent when it should not (promtool test rules)', () => {
    const result = run('promtool', ['test', 'rules', ...yamlFiles(TESTS)]);
    expectSuccess(result);
    expect(result.output).not.toMatch(/FAILED/);
  });

  it('every alert has a severity, a summary, a description and a runbook section', () => {
    const runbook = anchors(readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8'));
    const alerts = rules().filter((rule) => rule.alert);
    expect(alerts.length).toBeGreaterThan(20);
    for (const rule of alerts) {
      const where = `alert ${rule.alert}`;
      expect([where, rule.labels?.severity]).toEqual([
        where,
        expect.stringMatching(/^(critical|warning)$/),
      ]);
      expect([where, rule.annotations?.summary]).toEqual([where, expect.any(String)]);
      expect([where, rule.annotations?.description]).toEqual([where, expect.any(String)]);
      const url = rule.annotations?.runbook_url ?? '';
      expect([where, url]).toEqual([where, `docs/operations.md#${rule.alert!.toLowerCase()}`]);
      expect([where, runbook.has(rule.alert!.toLowerCase())]).toEqual([where, true]);
    }
  });

  it('every alert is unit-tested firing and silent', () => {
    const cases = yamlFiles(TESTS).flatMap((file) =>
      (
        parse(readFileSync(file, 'utf8')) as {
          tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
        }
      ).tests.flatMap((test) => test.alert_rule_test ?? []),
    );
    for (const name of new Set(rules().flatMap((rule) => (rule.alert ? [rule.alert] : [])))) {
      const mine = cases.filter((c) => c.alertname === name);
      expect([name, 'fires', mine.some((c) => (c.exp_alerts ?? []).length > 0)]).toEqual([
        name,
        'fires',
        true,
      ]);
      expect([name, 'silent', mine.some((c) => (c.exp_alerts ?? []).length === 0)]).toEqual([
        name,
        'silent',
        true,
      ]);
    }
  });

  it('the histogram thresholds of the latency alert are bucket boundaries', () => {
    // histogram_quantile interpolates inside a bucket: a threshold on a boundary is exact.
    const latency = rules().find((rule) => rule.alert === 'HighLatencyP95')!;
    expect(latency.expr).toMatch(/> 0\.2\b/);
    expect(latency.expr).toContain('http_request_duration_seconds_bucket');
  });

  it('alertmanager.yml is valid and holds no secret (amtool check-config)', () => {
    const file = join(MONITORING, 'alertmanager.yml');
    expectSuccess(run('amtool', ['check-config', file]));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(
      /^\s*(smtp_auth_password|auth_password|password|credentials|bearer_token):/m,
    );
    expect(text).toMatch(/smtp_auth_password_file: \/etc\/alertmanager\/secrets\//);
    expect(text).toMatch(/credentials_file: \/etc\/alertmanager\/secrets\//);
  });

  it.each([
    ['severity=critical alertname=ApiDown', 'critical'],
    ['severity=warning alertname=DiskNearlyFull', 'email'],
    ['alertname=Unlabelled', 'email'],
  ])('Alertmanager routes %s to %s (amtool config routes test)', (labels, receiver) => {
    expectSuccess(
      run('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${join(MONITORING, 'alertmanager.yml')}`,
        `--verify.receivers=${receiver}`,
        ...labels.split(' '),
      ]),
    );
  });

  it('Alertmanager lets criticals mute the matching warnings', () => {
    const config = parse(readFileSync(join(MONITORING, 'alertmanager.yml'), 'utf8')) as {
      inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[];
    };
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: expect.arrayContaining(['alertname', 'instance']),
    });
  });
});

describe('monitoring: the metric names contract', () => {
  it('finds the metrics of an expression, and only them', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{route!~"/health/.*"}[5m]))) > 0.2 and on (job) up offset 10m',
      ),
    ).toEqual(['http_request_duration_seconds_bucket', 'up']);
    expect(metricNames('process_resident_memory_bytes > 256 * 1024 * 1e3')).toEqual([
      'process_resident_memory_bytes',
    ]);
  });

  it('alert rules query only metrics of the contract, prom-client or the exporters', async () => {
    const known = await knownMetric();
    for (const rule of rules()) {
      const names = metricNames(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      expect([rule.alert, names.filter((name) => !known(name))]).toEqual([rule.alert, []]);
    }
  });
});

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { type: string; uid: string } }[];
  panels?: Panel[];
  gridPos: { h: number; w: number; x: number; y: number };
}

describe('monitoring: Grafana provisioning and dashboard', () => {
  const GRAFANA = join(MONITORING, 'grafana');
  const datasources = (
    parse(
      readFileSync(join(GRAFANA, 'provisioning', 'datasources', 'datasources.yml'), 'utf8'),
    ) as {
      datasources: { uid: string; type: string; url: string }[];
    }
  ).datasources;
  const dashboards = readdirSync(join(GRAFANA, 'dashboards')).filter((name) =>
    name.endsWith('.json'),
  );

  it('provisions Prometheus and Loki, and a provider for the dashboards directory', () => {
    expect(datasources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          uid: 'prometheus',
          type: 'prometheus',
          url: 'http://prometheus:9090',
        }),
        expect.objectContaining({ uid: 'loki', type: 'loki', url: 'http://loki:3100' }),
      ]),
    );
    const providers = (
      parse(
        readFileSync(join(GRAFANA, 'provisioning', 'dashboards', 'dashboards.yml'), 'utf8'),
      ) as {
        providers: { type: string; options: { path: string } }[];
      }
    ).providers;
    expect(providers).toContainEqual(
      expect.objectContaining({
        type: 'file',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }),
      }),
    );
    expect(dashboards.length).toBeGreaterThan(0);
  });

  it.each(dashboards)(
    '%s parses, and every panel queries known metrics through a provisioned data source',
    async (file) => {
      const known = await knownMetric();
      const dashboard = JSON.parse(readFileSync(join(GRAFANA, 'dashboards', file), 'utf8')) as {
        uid: string;
        title: string;
        panels: Panel[];
      };
      expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
      const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
      const ids = panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      const uids = new Map(datasources.map((source) => [source.uid, source.type]));
      const queried = new Set<string>();
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        expect([panel.title, panel.gridPos.x + panel.gridPos.w <= 24]).toEqual([panel.title, true]);
        expect([panel.title, panel.targets?.length]).toEqual([panel.title, expect.any(Number)]);
        for (const target of panel.targets!) {
          const source = target.datasource ?? panel.datasource!;
          expect([panel.title, uids.get(source.uid)]).toEqual([panel.title, source.type]);
          if (source.type !== 'prometheus') continue;
          const names = metricNames(target.expr);
          expect([panel.title, names.length > 0]).toEqual([panel.title, true]);
          expect([panel.title, names.filter((name) => !known(name))]).toEqual([panel.title, []]);
          names.forEach((name) => queried.add(name.replace(/_(bucket|count|sum)$/, '')));
        }
      }
      // What the issue asks the dashboard to show.
      for (const name of [
        'http_requests_total',
        'http_request_duration_seconds',
        'nlu_parse_duration_seconds',
        'chat_turns_total',
        'cache_requests_total',
        'circuit_breaker_state',
        'db_pool_connections',
        'dependency_up',
        'rate_limit_rejections_total',
        'abuse_blocks_total',
        'nodejs_eventloop_lag_p99_seconds',
        'process_resident_memory_bytes',
        'process_start_time_seconds',
      ]) {
        expect([name, queried.has(name)]).toEqual([name, true]);
      }
    },
  );
});

describe('monitoring: Loki and promtail', () => {
  const loki = parse(readFileSync(join(MONITORING, 'loki.yml'), 'utf8')) as {
    limits_config: { retention_period: string };
    compactor: { retention_enabled: boolean };
  };
  const promtail = parse(readFileSync(join(MONITORING, 'promtail.yml'), 'utf8')) as {
    clients: { url: string }[];
    scrape_configs: {
      static_configs: { labels: Record<string, string> }[];
      pipeline_stages: Record<string, unknown>[];
    }[];
  };

  it('keeps logs for 14 days (the compactor applies the retention)', () => {
    expect(loki.limits_config.retention_period).toBe('336h');
    expect(loki.compactor.retention_enabled).toBe(true);
  });

  it('ships the Docker json-file logs to Loki without the Docker socket', () => {
    expect(promtail.clients).toEqual([
      expect.objectContaining({ url: 'http://loki:3100/loki/api/v1/push' }),
    ]);
    expect(promtail.scrape_configs[0].static_configs[0].labels.__path__).toBe(
      '/var/lib/docker/containers/*/*-json.log',
    );
  });

  it('labels by service and level only; request and error ids are structured metadata', () => {
    const stages = promtail.scrape_configs[0].pipeline_stages;
    const labels = stages.flatMap((stage) =>
      Object.keys((stage.labels as object | undefined) ?? {}),
    );
    expect(labels.sort()).toEqual(['level', 'service', 'stream']);
    const metadata = stages.flatMap((stage) =>
      Object.keys((stage.structured_metadata as object | undefined) ?? {}),
    );
    expect(metadata).toEqual(expect.arrayContaining(['request_id', 'error_id', 'route', 'code']));
    expect(stages).toContainEqual({ labeldrop: ['filename'] });
    // The pino fields it parses.
    const parsed = stages.flatMap((stage) =>
      Object.values(
        (stage.json as { expressions?: Record<string, string> } | undefined)?.expressions ?? {},
      ),
    );
    expect(parsed).toEqual(
      expect.arrayContaining(['level', 'msg', 'reqId', 'requestId', 'route', 'code', 'errorId']),
    );
  });
});

describe('monitoring: docker/compose.monitoring.yml', () => {
  const file = join(ROOT, 'docker', 'compose.monitoring.yml');
  const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    services: Record<
      string,
      {
        image: string;
        profiles: string[];
        networks: string[];
        ports?: string[];
        healthcheck?: unknown;
        logging: { driver: string; options: Record<string, string> };
        deploy: { resources: { limits: { cpus: string; memory: string } } };
        volumes?: string[];
      }
    >;
    networks: Record<string, unknown>;
    volumes: Record<string, unknown>;
  };
  const SERVICES = [
    'alertmanager',
    'blackbox-exporter',
    'grafana',
    'loki',
    'node-exporter',
    'prometheus',
    'promtail',
    'redis-exporter',
  ];

  it('passes the Compose Specification schema and dclint', () => {
    const result = run(join(ROOT, 'node_modules', '.bin', 'dclint'), [
      file,
      '--max-warnings',
      '0',
      '--disable-rule',
      // an included file leaves the project name to docker/compose.yml
      'require-project-name-field',
    ]);
    expectSuccess(result);
  });

  it('runs every monitoring service in the monitoring profile, on the monitoring network, pinned and limited', () => {
    expect(Object.keys(compose.services).sort()).toEqual(SERVICES);
    expect(compose.networks).toEqual({ monitoring: {} });
    let memory = 0;
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, service.profiles]).toEqual([name, ['monitoring']]);
      expect([name, service.networks]).toEqual([name, ['monitoring']]);
      expect([name, service.image]).toEqual([name, expect.stringMatching(/:v?\d+\.\d+\.\d+$/)]);
      expect([name, service.logging.driver, service.logging.options]).toEqual([
        name,
        'json-file',
        expect.objectContaining({ 'max-size': expect.any(String), 'max-file': expect.any(String) }),
      ]);
      const limit = service.deploy.resources.limits.memory;
      expect([name, limit]).toEqual([name, expect.stringMatching(/^\d+M$/)]);
      memory += Number.parseInt(limit, 10);
      // redis_exporter's image is the binary alone (FROM scratch): Prometheus watches it instead.
      if (name !== 'redis-exporter')
        expect([name, service.healthcheck]).toEqual([name, expect.anything()]);
    }
    expect(memory).toBeLessThanOrEqual(1024);
  });

  it('states the same memory budget in docs/operations.md', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    for (const [name, service] of Object.entries(compose.services)) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      const memory = Number.parseInt(service.deploy.resources.limits.memory, 10);
      expect([name, row]).toEqual([name, expect.stringContaining(`| ${memory} MB / `)]);
    }
  });

  it('publishes nothing but Grafana, on loopback', () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports);
    expect(published).toEqual([['grafana', expect.anything()]]);
    expect(compose.services.grafana.ports).toEqual(['127.0.0.1:3001:3000']);
  });

  it('mounts the files the configs name, and the textfile collector directory', () => {
    const mounts = Object.values(compose.services).flatMap((service) => service.volumes ?? []);
    for (const [source] of mounts.map((mount) => mount.split(':'))) {
      if (source.startsWith('./monitoring/')) {
        expect([source, existsSync(join(ROOT, 'docker', source))]).toEqual([source, true]);
      }
    }
    expect(mounts).toContain('/var/lib/node_exporter/textfile:/var/lib/node_exporter/textfile:ro');
    expect(mounts).toContain('./secrets/metrics_token:/etc/prometheus/secrets/metrics_token:ro');
  });
});
