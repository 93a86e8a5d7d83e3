import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  nginxSubstitutions,
  renderNginxConfig,
  repositoryRoot,
} from '../../src/cli/support/native-topology';
import { createTestPki, type TestPki } from '../support/tls';
import { describeWithTools } from '../support/native-tool';

const NGINX_DIR = join(repositoryRoot(__dirname), 'docker', 'nginx');

/**
 * Static checks of docker/nginx/: `nginx -t` accepts the configuration (rendered for loopback
 * by the same substitutions the topology test uses), and `logrotate -d` the host rotation.
 * test/e2e/topology.e2e-spec.ts checks what the configuration does.
 */
describeWithTools('nginx', 'logrotate')('docker/nginx (nginx -t, logrotate -d)', () => {
  let pki: TestPki;
  let prefix: string;

  beforeAll(() => {
    pki = createTestPki();
    prefix = mkdtempSync(join(tmpdir(), 'sd-nginx-check-'));
  });

  afterAll(() => {
    pki?.cleanup();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('nginx -t accepts the configuration', () => {
    const conf = renderNginxConfig({
      httpPort: 1080,
      httpsPort: 1443,
      upstreamPorts: [13001, 13002],
      certsDir: prefix,
      prefix,
    });
    spawnSync('cp', [pki.serverCert, join(prefix, 'fullchain.pem')]);
    spawnSync('cp', [pki.serverKey, join(prefix, 'privkey.pem')]);
    const result = spawnSync('nginx', ['-t', '-p', `${prefix}/`, '-c', conf], {
      encoding: 'utf8',
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 0,
      stderr: expect.stringContaining('test is successful'),
    });
    // The only warning: no OCSP responder in the throwaway certificate (docs/nginx.md).
    const warnings = result.stderr
      .split('\n')
      .filter((line) => /\[(warn|emerg|alert)\]/.test(line));
    expect(warnings.every((line) => /ssl_stapling/.test(line))).toBe(true);
  });

  it('renders with substitutions that all still match the deployed files', () => {
    // renderNginxConfig throws when one does not; here: each one's source text is present.
    for (const { file, from } of nginxSubstitutions(
      { httpPort: 1, httpsPort: 2, upstreamPorts: [3, 4], certsDir: '/c', prefix: '/p' },
      true,
    )) {
      expect({ file, found: readFileSync(join(NGINX_DIR, file), 'utf8').includes(from) }).toEqual({
        file,
        found: true,
      });
    }
  });

  it('logrotate -d accepts docker/nginx/logrotate.conf', () => {
    const result = spawnSync(
      'logrotate',
      ['-d', '-s', join(prefix, 'logrotate.state'), join(NGINX_DIR, 'logrotate.conf')],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('rotating pattern: /var/log/nginx/*.log');
    expect(result.stderr).not.toMatch(/^error:/im);
  });
});
