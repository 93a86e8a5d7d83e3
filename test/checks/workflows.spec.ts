import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describeWithTools } from '../support/native-tool';

/**
 * The GitHub Actions workflows (.github/README.md). Each file is validated by action-validator
 * (@action-validator/cli: GitHub's workflow schema, compiled from Rust to WebAssembly), then the
 * promises of the pipeline are asserted on the parsed YAML: least-privilege permissions,
 * concurrency, PostgreSQL and Redis service containers for the tests, every check of .ci/run plus
 * the security scans, the multi-arch image, terraform, and production behind its environment.
 */

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const SCRIPTS = join(ROOT, '.github', 'scripts');
const VALIDATOR = join(ROOT, 'node_modules', '.bin', 'action-validator');

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly if?: string;
}

interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Record<string, string> | string;
  readonly environment?: string | { name: string; url?: string };
  readonly services?: Record<string, { image: string; env?: Record<string, string> }>;
  readonly container?: { image: string } | string;
  readonly env?: Record<string, string>;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly concurrency?: unknown;
  readonly steps?: Step[];
}

interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: { group: string; 'cancel-in-progress'?: unknown };
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

function load(file: string): Workflow {
  return parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
}

function validate(path: string): { status: number | null; output: string } {
  const result = spawnSync(VALIDATOR, [path], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function steps(job: Job): Step[] {
  return job.steps ?? [];
}

function runs(job: Job): string {
  return steps(job)
    .map((s) => s.run ?? '')
    .join('\n');
}

function uses(workflow: Workflow): string[] {
  return Object.values(workflow.jobs).flatMap((job) =>
    steps(job).flatMap((s) => (s.uses ? [s.uses] : [])),
  );
}

function jobUsing(workflow: Workflow, action: string): Job {
  const found = Object.values(workflow.jobs).find((job) =>
    steps(job).some((s) => s.uses?.startsWith(`${action}@`)),
  );
  if (!found) throw new Error(`no job uses ${action}`);
  return found;
}

describe('.github/workflows (action-validator)', () => {
  it('has the CI and the deployment workflows', () => {
    expect(files.sort()).toEqual(['ci.yml', 'deploy.yml']);
  });

  it.each(files)('%s is a valid workflow for GitHub Actions', (file) => {
    expect(validate(join(WORKFLOWS, file))).toEqual({ status: 0, output: '' });
  });

  it('rejects a workflow GitHub would reject (the validator is not a no-op)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    try {
      const bad = join(dir, 'bad.yml');
      writeFileSync(
        bad,
        'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n',
      );
      const result = validate(bad);
      expect(result.status).toBe(1);
      expect(result.output).toContain("Additional property 'stepz' is not allowed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('.github/workflows (what the pipeline promises)', () => {
  const ci = load('ci.yml');
  const deploy = load('deploy.yml');

  it('declares least-privilege permissions: read at the top, more only where a job needs it', () => {
    for (const workflow of [ci, deploy]) {
      expect(workflow.permissions).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(workflow.jobs)) {
        expect({ [name]: job.permissions }).not.toEqual({ [name]: 'write-all' });
        const writes = Object.entries(
          typeof job.permissions === 'object' ? job.permissions : {},
        ).filter(([, level]) => level === 'write');
        for (const [scope] of writes) {
          expect(['security-events', 'packages']).toContain(scope);
        }
      }
    }
    expect(jobUsing(ci, 'github/codeql-action/init').permissions).toMatchObject({
      'security-events': 'write',
    });
    expect(deploy.jobs.image.permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  it('runs one pipeline per ref at a time, and never cancels a deployment', () => {
    expect(ci.concurrency?.group).toContain('github.ref');
    expect(deploy.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
  });

  it('runs on every pull request and push', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
  });

  it('pins every action by major version or commit SHA, never a branch', () => {
    const all = [...uses(ci), ...uses(deploy)];
    expect(all.length).toBeGreaterThan(20);
    const unpinned = all.filter(
      (u) => !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(u) || /@(main|master|latest)$/.test(u),
    );
    expect(unpinned).toEqual([]);
    // A SHA pin says which release it is.
    for (const file of files) {
      for (const line of readFileSync(join(WORKFLOWS, file), 'utf8').split('\n')) {
        if (/uses: \S+@[0-9a-f]{40}/.test(line)) expect(line).toMatch(/# v\d+\.\d+\.\d+$/);
      }
    }
  });

  it('installs on Node 24 with the npm cache', () => {
    const setups = Object.values(ci.jobs).flatMap((job) =>
      steps(job).filter((s) => s.uses?.startsWith('actions/setup-node@')),
    );
    expect(setups.length).toBeGreaterThanOrEqual(3);
    expect(ci.env?.NODE_VERSION).toBe('24');
    for (const s of setups) expect(s.with?.['node-version']).toBe('${{ env.NODE_VERSION }}');
    expect(setups.filter((s) => s.with?.cache === 'npm').length).toBeGreaterThanOrEqual(3);
  });

  it('lints and type checks', () => {
    expect(runs(ci.jobs.lint)).toContain('npm run lint');
    expect(runs(ci.jobs.lint)).toContain('npm run typecheck');
  });

  it('tests against PostgreSQL 15 and Redis service containers, with coverage', () => {
    const test = ci.jobs.test;
    expect(test.services?.postgres.image).toMatch(/^postgres:15/);
    expect(test.services?.redis.image).toMatch(/^redis:7/);
    expect(test.env).toMatchObject({
      CI: 'true',
      TEST_DATABASE_URL: expect.stringContaining('@postgres:5432/') as string,
      REDIS_URL: 'redis://redis:6379',
    });
    // Debian like the development machines, so .ci/system-packages installs the same tools.
    expect(test.container).toEqual({ image: 'node:24-bookworm' });
    expect(runs(test)).toContain('bash .ci/system-packages');
    expect(runs(test)).toMatch(/npm test -- .*json-summary/);
    expect(runs(test)).toContain('coverage-summary.sh');
    expect(runs(test)).toContain('GITHUB_STEP_SUMMARY');
    const upload = steps(test).find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ if: 'always()', with: { name: 'coverage', path: 'coverage/' } });
  });

  it('checks the OpenAPI document is fresh and passes Spectral', () => {
    expect(runs(ci.jobs.openapi)).toContain('npm run openapi:check');
    expect(runs(ci.jobs.openapi)).toContain('npm run lint:openapi');
  });

  it('scans dependencies, code, history and the image', () => {
    expect(runs(ci.jobs.audit)).toContain('npm audit --audit-level=high');
    const init = steps(jobUsing(ci, 'github/codeql-action/init')).find((s) =>
      s.uses?.startsWith('github/codeql-action/init@'),
    );
    expect(init?.with?.languages).toBe('javascript-typescript');
    expect(uses(ci).some((u) => u.startsWith('github/codeql-action/analyze@'))).toBe(true);
    const leaks = jobUsing(ci, 'gitleaks/gitleaks-action');
    const checkout = steps(leaks).find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const image = jobUsing(ci, 'aquasecurity/trivy-action');
    const trivy = steps(image).find((s) => s.uses?.startsWith('aquasecurity/trivy-action@'));
    expect(trivy?.with).toMatchObject({ severity: 'HIGH,CRITICAL', 'exit-code': '1' });
    expect(String(trivy?.with?.['image-ref'])).toContain('symptom-diary:ci-');
  });

  it('builds the image for linux/amd64 and linux/arm64 from docker/Dockerfile with a cache', () => {
    const image = ci.jobs.image;
    const used = steps(image).map((s) => s.uses?.split('@')[0]);
    expect(used).toEqual(
      expect.arrayContaining([
        'docker/setup-qemu-action',
        'docker/setup-buildx-action',
        'docker/build-push-action',
      ]),
    );
    const builds = steps(image).filter((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(builds.map((b) => b.with?.platforms)).toContain('linux/amd64,linux/arm64');
    for (const build of builds) {
      expect(build.with).toMatchObject({
        file: 'docker/Dockerfile',
        push: false,
        'cache-from': 'type=gha',
      });
    }
  });

  it('checks terraform: fmt, then init without backend, validate and test for every directory', () => {
    expect(runs(ci.jobs['terraform-fmt'])).toContain('terraform fmt -check -recursive');
    const job = ci.jobs.terraform;
    expect(runs(job)).toContain('terraform init -backend=false');
    expect(runs(job)).toContain('terraform validate');
    expect(runs(job)).toMatch(/^terraform test$/m);
    const dirs = (job.strategy?.matrix?.dir as string[]).sort();
    const expected = ['modules', 'environments']
      .flatMap((kind) =>
        readdirSync(join(ROOT, 'terraform', kind)).map((name) => `${kind}/${name}`),
      )
      .sort();
    expect(dirs).toEqual(expected);
  });

  it('deploys after a successful CI of main: image, staging with smoke tests, then production', () => {
    expect(deploy.on.workflow_run).toEqual({
      workflows: [ci.name],
      types: ['completed'],
      branches: ['main'],
    });
    expect(deploy.jobs.image.if).toContain("github.event.workflow_run.conclusion == 'success'");
    const push = steps(deploy.jobs.image).find((s) =>
      s.uses?.startsWith('docker/build-push-action@'),
    );
    expect(push?.with).toMatchObject({
      push: true,
      platforms: 'linux/amd64,linux/arm64',
      file: 'docker/Dockerfile',
      tags: '${{ steps.target.outputs.image }}:${{ steps.target.outputs.sha }}',
    });
    expect(deploy.env?.REGISTRY).toBe('ghcr.io');
    expect(runs(deploy.jobs.image)).toContain('image="$REGISTRY/${GITHUB_REPOSITORY,,}"');
    expect(deploy.jobs.staging.needs).toBe('image');
    expect(deploy.jobs.staging.environment).toMatchObject({ name: 'staging' });
    expect(deploy.jobs.production.needs).toEqual(['image', 'staging']);
    for (const name of ['staging', 'production']) {
      const job = deploy.jobs[name];
      expect(runs(job)).toContain('bash .github/scripts/deploy-over-ssh.sh');
      expect(runs(job)).toContain('bash .github/scripts/smoke-test.sh');
      const report = steps(job).find((s) => s.run?.includes('report.sh'));
      expect(report?.if).toBe('always()');
    }
  });

  it('gates production behind the production environment (required reviewers)', () => {
    const production = deploy.jobs.production;
    expect(production.environment).toMatchObject({ name: 'production' });
    // Only the production job may touch production, and it cannot start before staging passed.
    const others = Object.entries(deploy.jobs).filter(([name]) => name !== 'production');
    for (const [, job] of others) {
      const env = typeof job.environment === 'object' ? job.environment.name : job.environment;
      expect(env).not.toBe('production');
    }
    expect(production.needs).toContain('staging');
  });

  it('runs the deployment over SSH with a pinned host key and docker/scripts/deploy.sh <tag>', () => {
    const script = readFileSync(join(SCRIPTS, 'deploy-over-ssh.sh'), 'utf8');
    expect(script).toContain('StrictHostKeyChecking=yes');
    expect(script).toContain('UserKnownHostsFile=');
    // From docker/, where compose.yml and its .env (APP_IMAGE, COMPOSE_FILE) are.
    expect(script).toContain("cd docker && scripts/deploy.sh '$DEPLOY_SHA'");
    const smoke = readFileSync(join(SCRIPTS, 'smoke-test.sh'), 'utf8');
    for (const path of ['/health/ready', '/api/auth/login', '/api/health/symptoms']) {
      expect(smoke).toContain(path);
    }
    expect(smoke).toContain('add-mask');
  });
});

const describeShellcheck = describeWithTools('shellcheck');

describeShellcheck('.github/scripts (shellcheck)', () => {
  const scripts = readdirSync(SCRIPTS).filter((f) => f.endsWith('.sh'));

  it.each(scripts)('%s is shellcheck-clean and strict', (script) => {
    const path = join(SCRIPTS, script);
    expect(readFileSync(path, 'utf8')).toContain('set -euo pipefail');
    const result = spawnSync('shellcheck', ['--severity=style', path], { encoding: 'utf8' });
    expect({ status: result.status, output: result.stdout }).toEqual({ status: 0, output: '' });
  });
});
