import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTools } from '../support/native-tool';

/**
 * docker/scripts/deploy.sh and rollback.sh. No Docker engine runs here, so `docker` is a fake
 * (DOCKER=…): a script that records every call with the APP_TAG it was given and answers
 * `compose ps` / `inspect` with health states the test chooses per tag and service. This tests
 * the scripts' logic (order, waiting, automatic return, state), not Docker itself.
 */
const scripts = join(__dirname, '..', '..', 'docker', 'scripts');

const FAKE_DOCKER = `#!/usr/bin/env bash
set -euo pipefail
d="$FAKE_DIR"
echo "APP_TAG=\${APP_TAG:-} $*" >> "$d/calls"
if [[ "$1" == compose ]]; then
  shift
  case "$1" in
    pull) exit "\${FAKE_PULL_EXIT:-0}" ;;
    up) service="\${*: -1}"; echo "\${APP_TAG:-}" > "$d/tag.$service"; rm -f "$d/polls.$service"; exit 0 ;;
    ps) echo "id-\${*: -1}"; exit 0 ;;
  esac
  exit 0
fi
if [[ "$1" == inspect ]]; then
  service="\${*: -1}"; service="\${service#id-}"
  tag="$(cat "$d/tag.$service")"
  polls=$(( $(cat "$d/polls.$service" 2>/dev/null || echo 0) + 1 )); echo "$polls" > "$d/polls.$service"
  status=healthy
  if [[ "$tag" == "\${FAKE_BAD_TAG:-none}" && " \${FAKE_BAD_SERVICES:-bridge api-1 api-2} " == *" $service "* ]]; then
    status="\${FAKE_BAD_STATUS:-unhealthy}"
  elif (( polls < \${FAKE_HEALTHY_AFTER:-1} )); then
    status=starting
  fi
  echo "ANSWER $service $tag $status" >> "$d/calls"
  echo "$status"
  exit 0
fi
echo "fake docker: unexpected $*" >&2
exit 64
`;

interface Run {
  status: number | null;
  stderr: string;
}

const describeTools = describeWithTools('shellcheck');
describeTools('deploy.sh and rollback.sh (with a fake docker)', () => {
  let dir: string;
  let env: Record<string, string>;

  const run = (script: string, args: string[], extra: Record<string, string> = {}) =>
    new Promise<Run>((resolve, reject) => {
      const child = spawn('bash', [join(scripts, script), ...args], { env: { ...env, ...extra } });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stderr }));
    });
  const calls = () =>
    readFileSync(join(dir, 'calls'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.length > 0);
  const resetCalls = () => writeFileSync(join(dir, 'calls'), '');
  const tagOf = (service: string) => readFileSync(join(dir, `tag.${service}`), 'utf8').trim();
  const state = () => readFileSync(join(dir, 'deploy.state'), 'utf8');
  const ups = () => calls().filter((l) => / compose up /.test(l));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'deploy-'));
    writeFileSync(join(dir, 'docker'), FAKE_DOCKER);
    chmodSync(join(dir, 'docker'), 0o755);
    writeFileSync(
      join(dir, '.env'),
      'APP_IMAGE=ghcr.io/x/backend\nAPP_TAG=1.0.0\nLOG_LEVEL=info\n',
    );
    env = {
      PATH: process.env.PATH ?? '',
      FAKE_DIR: dir,
      DOCKER: join(dir, 'docker'),
      DEPLOY_STATE_FILE: join(dir, 'deploy.state'),
      DEPLOY_ENV_FILE: join(dir, '.env'),
      DEPLOY_HEALTH_INTERVAL: '1',
      DEPLOY_HEALTH_TIMEOUT: '5',
    };
    resetCalls();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a missing or malformed tag before calling docker', async () => {
    expect((await run('deploy.sh', [])).status).toBe(2);
    expect((await run('deploy.sh', ['1.0;rm -rf /'])).status).toBe(2);
    expect((await run('deploy.sh', ['../x'])).status).toBe(2);
    expect(calls()).toEqual([]);
  });

  it('has nothing to roll back to before a first deploy', async () => {
    const result = await run('rollback.sh', []);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no previous tag/);
  });

  it('deploys: pulls, then replaces bridge, api-1, api-2 one at a time, each once the one before is healthy', async () => {
    resetCalls();
    const result = await run('deploy.sh', ['1.1.0'], { FAKE_HEALTHY_AFTER: '2' });
    expect(result.stderr).toMatch(/deployed 1\.1\.0 \(previous: 1\.0\.0\)/);
    expect(result.status).toBe(0);
    const log = calls();
    expect(log[0]).toBe('APP_TAG=1.1.0 compose pull bridge api-1 api-2');
    expect(ups()).toEqual([
      'APP_TAG=1.1.0 compose up -d --no-deps --force-recreate bridge',
      'APP_TAG=1.1.0 compose up -d --no-deps --force-recreate api-1',
      'APP_TAG=1.1.0 compose up -d --no-deps --force-recreate api-2',
    ]);
    // api-2 goes only after api-1 answered healthy (nginx always has one instance).
    const api1Healthy = log.indexOf('ANSWER api-1 1.1.0 healthy');
    expect(log.indexOf('ANSWER api-1 1.1.0 starting')).toBeGreaterThan(-1);
    expect(api1Healthy).toBeGreaterThan(-1);
    expect(log.findIndex((l) => l.endsWith('--force-recreate api-2'))).toBeGreaterThan(api1Healthy);
    expect(state()).toMatch(/^current=1\.1\.0\nprevious=1\.0\.0\n/);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(
      'APP_IMAGE=ghcr.io/x/backend\nAPP_TAG=1.1.0\nLOG_LEVEL=info\n',
    );
  });

  it('goes back to the previous tag by itself when a new instance turns unhealthy', async () => {
    resetCalls();
    const before = state();
    const result = await run('deploy.sh', ['1.2.0'], {
      FAKE_BAD_TAG: '1.2.0',
      FAKE_BAD_SERVICES: 'api-1',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/deploying 1\.2\.0 FAILED at api-1/);
    expect(result.stderr).toMatch(/back on 1\.1\.0/);
    expect(ups()).toEqual([
      'APP_TAG=1.2.0 compose up -d --no-deps --force-recreate bridge',
      'APP_TAG=1.2.0 compose up -d --no-deps --force-recreate api-1',
      'APP_TAG=1.1.0 compose up -d --no-deps --force-recreate bridge',
      'APP_TAG=1.1.0 compose up -d --no-deps --force-recreate api-1',
    ]);
    // api-2 kept serving the old tag throughout.
    expect(['bridge', 'api-1', 'api-2'].map(tagOf)).toEqual(['1.1.0', '1.1.0', '1.1.0']);
    expect(state()).toBe(before);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^APP_TAG=1\.1\.0$/m);
  });

  it('goes back when a new instance never becomes healthy within the timeout', async () => {
    resetCalls();
    const result = await run('deploy.sh', ['1.3.0'], {
      FAKE_BAD_TAG: '1.3.0',
      FAKE_BAD_SERVICES: 'bridge',
      FAKE_BAD_STATUS: 'starting',
      DEPLOY_HEALTH_TIMEOUT: '2',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bridge did not become healthy within 2 s/);
    expect(ups().map((l) => l.split(' ')[0])).toEqual(['APP_TAG=1.3.0', 'APP_TAG=1.1.0']);
    expect(tagOf('bridge')).toBe('1.1.0');
  });

  it('stops before switching anything when the pull fails', async () => {
    resetCalls();
    const result = await run('deploy.sh', ['1.4.0'], { FAKE_PULL_EXIT: '1' });
    expect(result.status).not.toBe(0);
    expect(ups()).toEqual([]);
    expect(state()).toMatch(/^current=1\.1\.0$/m);
  });

  it('rolls back to the previous tag in one command, and again toggles', async () => {
    resetCalls();
    const back = await run('rollback.sh', []);
    expect(back.stderr).toMatch(/going back to 1\.0\.0/);
    expect(back.status).toBe(0);
    expect(['bridge', 'api-1', 'api-2'].map(tagOf)).toEqual(['1.0.0', '1.0.0', '1.0.0']);
    expect(ups()).toHaveLength(3);
    expect(state()).toMatch(/^current=1\.0\.0\nprevious=1\.1\.0\n/);
    const again = await run('rollback.sh', []);
    expect(again.status).toBe(0);
    expect(state()).toMatch(/^current=1\.1\.0\nprevious=1\.0\.0\n/);
  });

  it('both scripts are shellcheck-clean', () => {
    const result = spawnSync(
      'shellcheck',
      ['--severity=style', join(scripts, 'deploy.sh'), join(scripts, 'rollback.sh')],
      { encoding: 'utf8' },
    );
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
