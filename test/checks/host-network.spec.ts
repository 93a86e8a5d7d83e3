import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  canMakeNamespaces,
  isolatedPrefix,
  Lab,
  mustRun,
  type NftJson,
  type Probe,
  probeKey,
  run,
} from '../support/host-network';
import { describeWithTools, nativeTool } from '../support/native-tool';

/**
 * The host-level network pieces of docs/internet-access.md (docker/host/): the Pi 4's and the
 * Pi 3B's nftables firewalls (syntax with `nft -c`, then loaded into throwaway network namespaces
 * and probed with real packets, Docker-style DNAT included), ddclient's configuration, the
 * dynamic-DNS wrapper and the connection monitor (run with fake and real commands), the WireGuard
 * templates (parsed by `wg` itself), the systemd units, shellcheck and install.sh --dry-run.
 */
const HOST = resolve(__dirname, '../../docker/host');
const PI4_RULES = join(HOST, 'nftables.conf');
const PI3B_RULES = join(HOST, 'nftables-pi3b.conf');
const CI = process.env.CI === 'true';

function skipVisibly(what: string, why: string): void {
  if (CI) throw new Error(`${what} must run under CI=true, but ${why}`);
  process.stderr.write(`SKIPPED: ${what}: ${why}\n`);
}

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Values of a node-exporter textfile, keyed by series (`name` or `name{labels}`). */
function readMetrics(file: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return values;
}

function expectValidExposition(file: string): void {
  if (!nativeTool('promtool')) return;
  const result = run('promtool', ['check', 'metrics'], readFileSync(file, 'utf8'));
  expect(result.stderr + result.stdout).toBe('');
  expect(result.status).toBe(0);
}

// ---- firewall ------------------------------------------------------------------------------------

describeWithTools('nft')('host firewall (nftables)', () => {
  const prefix = isolatedPrefix();

  function inFreshNamespace(script: string): ReturnType<typeof run> {
    if (!prefix) throw new Error('no network namespace available');
    return run(prefix[0], [...prefix.slice(1), 'sh', '-c', script]);
  }

  it.each([
    ['Pi 4', PI4_RULES],
    ['Pi 3B', PI3B_RULES],
  ])('the %s rules pass nft -c', (_name, file) => {
    const result = prefix
      ? run(prefix[0], [...prefix.slice(1), 'nft', '-c', '-f', file])
      : run('nft', ['-c', '-f', file]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('nft -c rejects a broken copy (the check is real)', () => {
    const dir = tempDir('nft-broken-');
    const broken = join(dir, 'broken.conf');
    writeFileSync(broken, readFileSync(PI4_RULES, 'utf8').replace('policy drop;', 'policy dorp;'));
    const result = prefix
      ? run(prefix[0], [...prefix.slice(1), 'nft', '-c', '-f', broken])
      : run('nft', ['-c', '-f', broken]);
    expect(result.status).not.toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('loaded into an empty network namespace', () => {
    let ruleset: NftJson;
    beforeAll(() => {
      if (!prefix) return skipVisibly('loading the rules', 'no network namespace can be made');
      const result = inFreshNamespace(
        `nft -f ${PI4_RULES} && nft -f ${PI4_RULES} && nft -j list ruleset`,
      );
      expect(result.stderr).toBe('');
      ruleset = JSON.parse(result.stdout) as NftJson;
    });
    const chain = (name: string) =>
      ruleset.nftables.find((o) => o.chain?.table === 'filter' && o.chain.name === name)?.chain;
    const set = (name: string) =>
      ruleset.nftables.find((o) => o.set?.table === 'filter' && o.set.name === name)?.set;
    const rules = (chainName: string) =>
      ruleset.nftables
        .filter((o) => o.rule?.chain === chainName)
        .map((o) => JSON.stringify(o.rule));

    it('defines one inet filter table, loadable twice (idempotent), with drop policies', () => {
      if (!ruleset) return;
      expect(ruleset.nftables.filter((o) => o.table).map((o) => o.table)).toEqual([
        expect.objectContaining({ family: 'inet', name: 'filter' }),
      ]);
      expect(chain('input')).toMatchObject({ hook: 'input', policy: 'drop' });
      expect(chain('forward')).toMatchObject({ hook: 'forward', policy: 'drop' });
      expect(chain('output')).toMatchObject({ hook: 'output', policy: 'accept' });
    });

    it('has the sets the rules refer to: LAN, the two Pis, the public and LAN-only ports', () => {
      if (!ruleset) return;
      expect(JSON.stringify(set('lan_v4')?.elem)).toContain('"addr":"192.168.1.0","len":24');
      expect(set('pis_v4')?.elem).toEqual(expect.arrayContaining(['192.168.1.40', '192.168.1.30']));
      expect(set('public_tcp')?.elem).toEqual([443]);
      expect(set('public_udp')?.elem).toEqual([51820]);
      expect(set('lan_tcp')?.elem).toEqual(expect.arrayContaining([22, 80]));
      expect(set('lan_tcp')?.elem).not.toContain(443);
      expect(set('admin_tcp')?.elem).toEqual(expect.arrayContaining([22, 443]));
    });

    it('accepts 443 from anywhere but SSH and 80 only from the LAN, and logs drops rate-limited', () => {
      if (!ruleset) return;
      const input = rules('input');
      const publicRule = input.find((r) => r.includes('"@public_tcp"'));
      expect(publicRule).toBeDefined();
      expect(publicRule).not.toContain('saddr');
      const lanRules = input.filter((r) => r.includes('"@lan_tcp"'));
      expect(lanRules).toHaveLength(2);
      for (const rule of lanRules) expect(rule).toMatch(/"saddr".*"@lan_v[46]"/);
      const log = input.find((r) => r.includes('"log"'));
      expect(log).toContain('"rate":5');
      expect(log).toContain('"per":"minute"');
      expect(log).toContain('nft-drop-input: ');
      expect(input[input.length - 1]).toContain('"drop"');
    });
  });

  it('replaces only its own table: Docker-style ip filter / ip nat tables survive a reload and a stop', () => {
    if (!prefix) return skipVisibly('the Docker coexistence check', 'no network namespace');
    const dropIn = readFileSync(join(HOST, 'systemd/nftables.service.d/keep-docker.conf'), 'utf8');
    const stop = /^ExecStop=-(.+)$/m.exec(dropIn)?.[1];
    expect(stop).toBe('/usr/sbin/nft delete table inet filter');
    const result = inFreshNamespace(
      [
        `nft -f - <<'EOF'`,
        'table ip filter {',
        '  chain DOCKER-USER {',
        '  }',
        '}',
        'table ip nat {',
        '  chain DOCKER {',
        '  }',
        '}',
        'EOF',
        `nft -f ${PI4_RULES}`,
        `nft -f ${PI4_RULES}`,
        'echo LOADED; nft list tables',
        stop!.replace('/usr/sbin/nft', 'nft'),
        'echo STOPPED; nft list tables',
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
    const [loaded, stopped] = result.stdout.split('STOPPED');
    expect(loaded).toContain('table ip filter');
    expect(loaded).toContain('table ip nat');
    expect(loaded).toContain('table inet filter');
    expect(stopped).toContain('table ip filter');
    expect(stopped).toContain('table ip nat');
    expect(stopped).not.toContain('table inet filter');
    expect(readFileSync(PI4_RULES, 'utf8')).not.toMatch(/^\s*flush ruleset/m);
    expect(readFileSync(PI3B_RULES, 'utf8')).not.toMatch(/^\s*flush ruleset/m);
  });

  describe('with real packets (veth between throwaway namespaces)', () => {
    const WAN_CLIENT = '203.0.113.9';
    const WAN_HOST = '203.0.113.1';
    const tcp = (from: string, to: string, port: number): Probe => ({
      proto: 'tcp',
      from,
      to,
      port,
    });
    const labs: Lab[] = [];
    const namespaces = canMakeNamespaces();
    afterAll(() => labs.forEach((lab) => lab.down()));

    function expectStates(
      lab: Lab,
      expectations: Array<[Probe, 'open' | 'filtered']>,
      ns?: string,
    ): void {
      const results = lab.probe(
        expectations.map(([p]) => p),
        ns,
      );
      const expected = Object.fromEntries(expectations.map(([p, state]) => [probeKey(p), state]));
      expect(results).toEqual(expected);
    }

    it('Pi 4: 443 and WireGuard from the internet; SSH and 80 from the LAN; 4000 from nobody', async () => {
      if (!namespaces) return skipVisibly('the packet test', 'ip netns add needs root or sudo');
      const lab = new Lab(
        ['192.168.1.40/24', `${WAN_HOST}/24`, 'fd00::40/64', '2001:db8::1/64'],
        ['192.168.1.50/24', '192.168.1.30/24', `${WAN_CLIENT}/24`, 'fd00::50/64', '2001:db8::9/64'],
      );
      labs.push(lab);
      lab.up();
      await lab.listen(lab.host, [22, 80, 443, 4000, 8080], [51820, 5353]);
      lab.loadFirewall(PI4_RULES);
      const LAN = '192.168.1.50';
      const PI3B = '192.168.1.30';
      const PI4 = '192.168.1.40';
      expectStates(lab, [
        [tcp(WAN_CLIENT, WAN_HOST, 443), 'open'],
        [tcp(WAN_CLIENT, WAN_HOST, 22), 'filtered'],
        [tcp(WAN_CLIENT, WAN_HOST, 80), 'filtered'],
        [tcp(WAN_CLIENT, WAN_HOST, 4000), 'filtered'],
        [tcp(WAN_CLIENT, WAN_HOST, 8080), 'filtered'],
        [{ proto: 'udp', from: WAN_CLIENT, to: WAN_HOST, port: 51820 }, 'open'],
        [{ proto: 'udp', from: WAN_CLIENT, to: WAN_HOST, port: 5353 }, 'filtered'],
        [tcp(LAN, PI4, 443), 'open'],
        [tcp(LAN, PI4, 22), 'open'],
        [tcp(LAN, PI4, 80), 'open'],
        [tcp(LAN, PI4, 4000), 'filtered'],
        [tcp(LAN, PI4, 8080), 'filtered'],
        [tcp(PI3B, PI4, 4000), 'filtered'],
        // IPv6: the same policy (the LAN is link-local and unique-local, fd00::/8).
        [tcp('2001:db8::9', '2001:db8::1', 443), 'open'],
        [tcp('2001:db8::9', '2001:db8::1', 22), 'filtered'],
        [tcp('2001:db8::9', '2001:db8::1', 80), 'filtered'],
        [tcp('fd00::50', 'fd00::40', 22), 'open'],
        [tcp('fd00::50', 'fd00::40', 4000), 'filtered'],
      ]);
      // The drops were counted (and logged, rate-limited) by the final rule.
      const input = lab
        .ruleset()
        .nftables.filter((o) => o.rule?.chain === 'input')
        .map((o) => o.rule!.expr);
      const final = JSON.stringify(input[input.length - 1]);
      expect(Number(/"packets":(\d+)/.exec(final)?.[1])).toBeGreaterThan(0);
    });

    it('Pi 4 with Docker: the forward chain admits published 443 from anywhere, 80 from the LAN, nothing else', async () => {
      if (!namespaces)
        return skipVisibly('the Docker forward test', 'ip netns add needs root or sudo');
      const lab = new Lab(
        ['192.168.1.40/24', `${WAN_HOST}/24`],
        ['192.168.1.50/24', `${WAN_CLIENT}/24`],
      );
      labs.push(lab);
      lab.up();
      lab.addContainer([80, 443, 4000]);
      await lab.listen(lab.container, [80, 443, 4000], []);
      await lab.listen(lab.client, [8443], []);
      lab.loadFirewall(PI4_RULES);
      expectStates(lab, [
        [tcp(WAN_CLIENT, WAN_HOST, 443), 'open'],
        [tcp(WAN_CLIENT, WAN_HOST, 80), 'filtered'],
        [tcp(WAN_CLIENT, WAN_HOST, 4000), 'filtered'],
        [tcp('192.168.1.50', '192.168.1.40', 80), 'open'],
        [tcp('192.168.1.50', '192.168.1.40', 4000), 'filtered'],
      ]);
      // Containers still reach out (the API dialling the bridge, DNS, updates).
      expectStates(lab, [[tcp('172.17.0.2', WAN_CLIENT, 8443), 'open']], lab.container);
    });

    it('Pi 3B: the bridge port from the Pi 4 only, SSH from the LAN, PostgreSQL from nobody', async () => {
      if (!namespaces) return skipVisibly('the packet test', 'ip netns add needs root or sudo');
      const PI3B = '192.168.1.30';
      const lab = new Lab(
        [`${PI3B}/24`, `${WAN_HOST}/24`],
        ['192.168.1.40/24', '192.168.1.50/24', `${WAN_CLIENT}/24`],
      );
      labs.push(lab);
      lab.up();
      await lab.listen(lab.host, [22, 4000, 5432], []);
      lab.loadFirewall(PI3B_RULES);
      expectStates(lab, [
        [tcp('192.168.1.40', PI3B, 4000), 'open'],
        [tcp('192.168.1.40', PI3B, 22), 'open'],
        [tcp('192.168.1.40', PI3B, 5432), 'filtered'],
        [tcp('192.168.1.50', PI3B, 4000), 'filtered'],
        [tcp('192.168.1.50', PI3B, 22), 'open'],
        [tcp('192.168.1.50', PI3B, 5432), 'filtered'],
        [tcp(WAN_CLIENT, WAN_HOST, 22), 'filtered'],
        [tcp(WAN_CLIENT, WAN_HOST, 4000), 'filtered'],
        [tcp(WAN_CLIENT, WAN_HOST, 5432), 'filtered'],
      ]);
    });
  });
});

// ---- dynamic DNS ---------------------------------------------------------------------------------

/** The committed template with the placeholders install.sh fills from /etc/home-health/ddns.env. */
function renderDdclient(dir: string, edit: (text: string) => string = (t) => t): string {
  const file = join(dir, 'ddclient.conf');
  const text = readFileSync(join(HOST, 'ddclient.conf'), 'utf8')
    .replaceAll('@DDNS_ZONE@', 'example.org')
    .replaceAll('@DDNS_HOSTNAME@', 'home.example.org')
    .replaceAll('@DDNS_API_TOKEN@', 'test-token-0123456789abcdef');
  writeFileSync(file, edit(text), { mode: 0o600 });
  return file;
}

/** ddclient parses the file and dumps what it understood; -noexec and a dead server: no network. */
function ddclientParse(file: string, dir: string): string {
  const result = run('ddclient', [
    '-daemon=0',
    '-foreground',
    '-noexec',
    '-debug',
    '-verbose',
    '-file',
    file,
    '-cache',
    join(dir, 'cache'),
    '-usev4=ipv4',
    '-ipv4=203.0.113.7',
    '-timeout=2',
  ]);
  return result.stdout + result.stderr;
}

describeWithTools('ddclient')('dynamic DNS (ddclient)', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('ddclient-')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ddclient parses the committed configuration without a warning, as Cloudflare over HTTPS', () => {
    // The provider's address is pointed at a closed local port, so nothing leaves this machine.
    const file = renderDdclient(dir, (t) =>
      t.replace('protocol=cloudflare, \\', 'protocol=cloudflare, \\\nserver=127.0.0.1:9, \\'),
    );
    const output = ddclientParse(file, dir);
    expect(output).not.toMatch(/unrecognized keyword|Invalid Value|skipping host|is an invalid/);
    const host = (key: string) =>
      new RegExp(`^config\\{home\\.example\\.org\\}\\{${key}\\}\\s*: (.*)$`, 'm').exec(output)?.[1];
    const global = (key: string) =>
      new RegExp(`^globals\\{${key}\\}\\s*: (.*)$`, 'm').exec(output)?.[1];
    expect(host('protocol')).toBe('cloudflare');
    expect(host('zone')).toBe('example.org');
    expect(host('login')).toBe('<redacted>');
    expect(host('password')).toBe('<redacted>');
    expect(host('ttl')).toBe('1');
    expect(global('ssl')).toBe('1');
    expect(global('webv4')).toBe('ipify-ipv4');
    expect(global('web-ssl-validate')).toBe('1');
    expect(global('use')).toBe('no');
    expect(global('max-interval')).toBe(String(25 * 24 * 3600));
    // The token never appears in ddclient's output.
    expect(output).not.toContain('test-token-0123456789abcdef');
  });

  it('the same check catches a mistyped keyword and provider (it is not vacuous)', () => {
    const file = renderDdclient(dir, (t) =>
      t
        .replace('usev4=webv4', 'usev4=webv4\nwebv4-sslvalidate=yes')
        .replace('cloudflare', 'cloudflair'),
    );
    const output = ddclientParse(file, dir);
    expect(output).toMatch(/unrecognized keyword 'webv4-sslvalidate'/);
    expect(output).toMatch(/Invalid Value for keyword 'protocol'/);
  });

  it('the committed file holds placeholders, never a token', () => {
    const text = readFileSync(join(HOST, 'ddclient.conf'), 'utf8');
    expect(text).toMatch(/^password='@DDNS_API_TOKEN@' \\$/m);
    expect(text).toMatch(/^usev4=webv4$/m);
  });
});

describe('dynamic DNS wrapper (ddns-update.sh)', () => {
  const SCRIPT = join(HOST, 'ddns-update.sh');
  let dir: string;
  beforeEach(() => (dir = tempDir('ddns-update-')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function wrapper(env: Record<string, string>) {
    const result = run('env', [
      ...Object.entries({
        DDNS_STATE_DIR: join(dir, 'state'),
        DDNS_TEXTFILE_DIR: join(dir, 'textfile'),
        DDNS_CACHE: join(dir, 'cache'),
        DDNS_CONF: join(dir, 'ddclient.conf'),
        ...env,
      }).map(([k, v]) => `${k}=${v}`),
      'bash',
      SCRIPT,
    ]);
    const metrics = readMetrics(join(dir, 'textfile', 'ddns.prom'));
    return { ...result, metrics };
  }

  function fakeDdclient(output: string): string {
    const file = join(dir, 'fake-ddclient');
    writeFileSync(file, `#!/bin/sh\ncat <<'EOF'\n${output}\nEOF\n`, { mode: 0o755 });
    return file;
  }

  it('reports success and its time, then a failure (keeping the last success), and logs the change', () => {
    const before = Math.floor(Date.now() / 1000);
    const ok = wrapper({
      DDNS_DDCLIENT: fakeDdclient(
        'SUCCESS:  updating home.example.org: good: IP address set to 203.0.113.7',
      ),
    });
    expect(ok.status).toBe(0);
    expect(ok.metrics.ddns_update_success).toBe(1);
    expect(ok.metrics.ddns_last_success_timestamp_seconds).toBeGreaterThanOrEqual(before);
    expect(ok.stdout).toContain('<5>ddns state changed: unknown -> ok');
    expectValidExposition(join(dir, 'textfile', 'ddns.prom'));

    const failed = wrapper({
      DDNS_DDCLIENT: fakeDdclient(
        'FAILED:   updating home.example.org: Could not connect to api.cloudflare.com/client/v4.',
      ),
    });
    expect(failed.status).not.toBe(0);
    expect(failed.metrics.ddns_update_success).toBe(0);
    expect(failed.metrics.ddns_last_success_timestamp_seconds).toBe(
      ok.metrics.ddns_last_success_timestamp_seconds,
    );
    expect(failed.stdout).toContain('<3>FAILED:   updating home.example.org');
    expect(failed.stdout).toContain('<3>ddns state changed: 1 -> failing (FAILED:');

    const again = wrapper({ DDNS_DDCLIENT: fakeDdclient('FAILED:   again') });
    expect(again.stdout).not.toContain('state changed');
    expect(readdirSync(join(dir, 'textfile'))).toEqual(['ddns.prom']);
  });

  it('counts an undeterminable public address as a failure, never a success (0 = never)', () => {
    const result = wrapper({
      DDNS_DDCLIENT: fakeDdclient(
        'WARNING:  home.example.org: unable to determine IP address with strategy usev4=webv4',
      ),
    });
    expect(result.metrics.ddns_update_success).toBe(0);
    expect(result.metrics.ddns_last_success_timestamp_seconds).toBe(0);
  });

  const describeReal = nativeTool('ddclient') ? describe : describe.skip;
  describeReal('with the real ddclient against a local dyndns2 server', () => {
    // The provider runs in its own process: the wrapper is run with spawnSync, which blocks this
    // one's event loop.
    let provider: ChildProcess;
    let port: number;
    beforeAll(async () => {
      provider = spawn(process.execPath, [
        '-e',
        `const s = require('node:http').createServer((req, res) =>
           res.end(req.url.startsWith('/nic/update') ? 'good 203.0.113.7\\n' : 'badagent\\n'));
         s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));`,
      ]);
      port = await new Promise<number>((done) =>
        provider.stdout!.once('data', (chunk: Buffer) => done(Number(chunk.toString().trim()))),
      );
    });
    afterAll(() => provider.kill());

    it('succeeds, skips an unchanged address on the next run, and fails when the provider is gone', () => {
      const conf = (serverPort: number) =>
        writeFileSync(
          join(dir, 'ddclient.conf'),
          `ssl=no\nuse=no\nusev4=ipv4, ipv4=203.0.113.7\ntimeout=2\n` +
            `protocol=dyndns2, server=127.0.0.1:${serverPort}, login=u, password=p home.example.org\n`,
          { mode: 0o600 },
        );
      conf(port);
      const first = wrapper({});
      expect(first.stdout).toContain('SUCCESS:  updating home.example.org: good');
      expect(first.metrics.ddns_update_success).toBe(1);
      const second = wrapper({});
      expect(second.stdout).toMatch(/skipped: IP(v4)? address was already set/);
      expect(second.stdout).not.toContain('updating home.example.org: good');
      expect(second.metrics.ddns_update_success).toBe(1);
      // A new address and a provider that no longer answers.
      writeFileSync(
        join(dir, 'ddclient.conf'),
        `ssl=no\nuse=no\nusev4=ipv4, ipv4=203.0.113.8\ntimeout=2\n` +
          `protocol=dyndns2, server=127.0.0.1:9, login=u, password=p home.example.org\n`,
        { mode: 0o600 },
      );
      const third = wrapper({});
      expect(third.status).not.toBe(0);
      expect(third.metrics.ddns_update_success).toBe(0);
      expect(third.metrics.ddns_last_success_timestamp_seconds).toBe(
        second.metrics.ddns_last_success_timestamp_seconds,
      );
    });
  });
});

// ---- connection monitor --------------------------------------------------------------------------

describe('connection monitor (connection-monitor.sh)', () => {
  const SCRIPT = join(HOST, 'connection-monitor.sh');
  let dir: string;
  let bin: string;
  beforeEach(() => {
    dir = tempDir('connection-monitor-');
    bin = join(dir, 'bin');
    mkdirSync(bin);
    // Fake ping, dig and curl: each succeeds or fails as FAKE_* says, and prints what the real
    // tool prints.
    const fake = (name: string, body: string) =>
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    fake(
      'ping',
      '[ "$FAKE_PING" = ok ] || exit 1\necho "64 bytes from 192.168.1.1: icmp_seq=1 ttl=64 time=0.734 ms"',
    );
    fake(
      'dig',
      'for a; do case "$a" in home.example.org) echo "$FAKE_PUBLIC_A"; exit 0;; esac; done\n' +
        '[ "$FAKE_DIG" = ok ] || exit 9\necho 151.101.2.132',
    );
    fake(
      'curl',
      'case "$*" in *ipify*) echo "$FAKE_PUBLIC_IP"; exit 0;; esac\n' +
        '[ "$FAKE_CURL" = ok ] || exit 28\nprintf "200 0.120"',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function monitor(fakes: Record<string, string>, env: Record<string, string> = {}) {
    const result = run('env', [
      `PATH=${bin}:${process.env.PATH}`,
      'CM_GATEWAY=192.168.1.1',
      'CM_DNS_SERVER=192.168.1.1',
      `CM_STATE_DIR=${join(dir, 'state')}`,
      `CM_TEXTFILE_DIR=${join(dir, 'textfile')}`,
      'CM_HTTPS_URLS=https://one.example https://two.example',
      ...Object.entries({
        FAKE_PING: 'ok',
        FAKE_DIG: 'ok',
        FAKE_CURL: 'ok',
        FAKE_PUBLIC_IP: '',
        FAKE_PUBLIC_A: '',
        ...fakes,
      }).map(([k, v]) => `${k}=${v}`),
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      'bash',
      SCRIPT,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return {
      log: result.stdout,
      metrics: readMetrics(join(dir, 'textfile', 'home-internet.prom')),
    };
  }

  it('logs the first state and every change (with diagnostics), stays quiet otherwise', () => {
    const before = Math.floor(Date.now() / 1000);
    const first = monitor({});
    expect(first.log).toMatch(
      /^<5>internet state changed: unknown -> up failed=\[\] gateway=192\.168\.1\.1/,
    );
    expect(first.log).toContain('gateway_rtt_ms=0.734');
    expect(first.log).toContain('dns_server=192.168.1.1');
    expect(first.metrics).toMatchObject({
      home_internet_up: 1,
      'home_internet_check_success{check="gateway"}': 1,
      'home_internet_check_success{check="dns"}': 1,
      'home_internet_check_success{check="https"}': 1,
      home_internet_gateway_rtt_seconds: 0.000734,
    });
    const since = first.metrics.home_internet_last_change_timestamp_seconds;
    expect(since).toBeGreaterThanOrEqual(before);
    expectValidExposition(join(dir, 'textfile', 'home-internet.prom'));

    const same = monitor({});
    expect(same.log).toBe('');
    expect(same.metrics.home_internet_last_change_timestamp_seconds).toBe(since);

    const down = monitor({ FAKE_CURL: 'fail' });
    expect(down.log).toMatch(/^<3>internet state changed: up -> down failed=\[https\]/);
    expect(down.log).toContain('https=[https://one.example=failed https://two.example=failed]');
    expect(down.metrics.home_internet_up).toBe(0);
    expect(down.metrics['home_internet_check_success{check="https"}']).toBe(0);
    expect(down.metrics.home_internet_last_change_timestamp_seconds).toBeGreaterThanOrEqual(since);

    expect(monitor({ FAKE_CURL: 'fail' }).log).toBe('');
    const noDns = monitor({ FAKE_DIG: 'fail' });
    expect(noDns.log).toBe(''); // still down: no change to log
    expect(noDns.metrics['home_internet_check_success{check="dns"}']).toBe(0);

    const back = monitor({});
    expect(back.log).toContain('internet state changed: down -> up');
    expect(readdirSync(join(dir, 'textfile'))).toEqual(['home-internet.prom']);
  });

  it('a router that ignores ping is not an outage: the gateway is a diagnostic', () => {
    const result = monitor({ FAKE_PING: 'fail' });
    expect(result.metrics.home_internet_up).toBe(1);
    expect(result.metrics['home_internet_check_success{check="gateway"}']).toBe(0);
    expect(result.metrics.home_internet_gateway_rtt_seconds).toBe(-1);
    expect(result.log).toContain('failed=[gateway]');
  });

  it('checks that the public name resolves to our own public address, and logs when it stops', () => {
    const env = { CM_PUBLIC_NAME: 'home.example.org' };
    const match = monitor({ FAKE_PUBLIC_IP: '203.0.113.7', FAKE_PUBLIC_A: '203.0.113.7' }, env);
    expect(match.metrics['home_internet_check_success{check="public_name"}']).toBe(1);
    expect(match.log).toContain('public name state changed: unknown -> match');
    const moved = monitor({ FAKE_PUBLIC_IP: '203.0.113.8', FAKE_PUBLIC_A: '203.0.113.7' }, env);
    expect(moved.metrics['home_internet_check_success{check="public_name"}']).toBe(0);
    expect(moved.metrics.home_internet_up).toBe(1);
    expect(moved.log).toBe(
      '<4>public name state changed: match -> mismatch home.example.org resolves to 203.0.113.7, public address 203.0.113.8\n',
    );
  });
});

// ---- WireGuard -----------------------------------------------------------------------------------

describeWithTools('wg', 'wg-quick')('WireGuard fallback', () => {
  const ADD_PEER = join(HOST, 'wireguard/add-peer.sh');
  const prefix = isolatedPrefix();
  let dir: string;
  beforeEach(() => {
    dir = tempDir('wireguard-');
    chmodSync(dir, 0o700);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

  function renderServer(): string {
    const key = mustRun('wg', ['genkey']).trim();
    writeFileSync(join(dir, 'server.key'), `${key}\n`, { mode: 0o600 });
    const text = readFileSync(join(HOST, 'wireguard/wg0.conf.template'), 'utf8')
      .replace('@WG_SERVER_ADDRESS@', '10.8.0.1')
      .replaceAll('@WG_SERVER_ADDRESS@', '10.8.0.1')
      .replace('@WG_PREFIX_LENGTH@', '28')
      .replace('@WG_PORT@', '51820')
      .replace('@WG_SERVER_PRIVATE_KEY@', key);
    writeFileSync(join(dir, 'wg0.conf'), text, { mode: 0o600 });
    return key;
  }

  /**
   * `wg setconf` parses the whole file before it talks to the kernel: a parse error says
   * "Configuration parsing error"; without the wireguard module (containers) a valid file fails
   * only at "Unable to modify interface". With the module, the device is really configured.
   */
  function wgParses(file: string): { ok: boolean; message: string } {
    const stripped = join(dir, 'stripped.conf');
    // wg resolves Endpoint names while parsing (and retries): give it an address, offline.
    const text = mustRun('wg-quick', ['strip', file]).replace(
      /^Endpoint = [^:\n]+:/m,
      'Endpoint = 198.51.100.4:',
    );
    writeFileSync(stripped, text, { mode: 0o600 });
    if (!prefix) throw new Error('no network namespace');
    const result = run(prefix[0], [
      ...prefix.slice(1),
      'sh',
      '-c',
      `ip link add wg0 type wireguard 2>/dev/null; wg setconf wg0 ${stripped}`,
    ]);
    const message = result.stderr;
    if (result.status === 0) return { ok: true, message: 'configured a real wg0' };
    if (/parsing error|unrecognized|Unable to parse|not the correct length/i.test(message)) {
      return { ok: false, message };
    }
    expect(message).toMatch(/Unable to modify interface/);
    process.stderr.write(
      'NOTE: no wireguard kernel module here: `wg setconf` parsed the file; the device step was skipped\n',
    );
    return { ok: true, message };
  }

  it('the server template and peers from add-peer.sh are valid WireGuard configs; keys stay out of git', () => {
    if (!prefix) return skipVisibly('the WireGuard parse check', 'no network namespace');
    const serverKey = renderServer();
    const env = (extra: string[]) =>
      run('env', [`WG_DIR=${dir}`, 'WG_APPLY=0', 'bash', ADD_PEER, ...extra]);
    const alice = env(['--name', 'alice', '--endpoint', 'home.example.org']);
    expect(alice.stderr).toBe('');
    expect(alice.stdout).toContain('peer alice: 10.8.0.2/32');
    const ownKey = mustRun('wg', ['pubkey'], mustRun('wg', ['genkey'])).trim();
    const bob = env(['--name', 'bob', '--endpoint', 'home.example.org', '--public-key', ownKey]);
    expect(bob.stdout).toContain('peer bob: 10.8.0.3/32');
    expect(env(['--name', 'alice', '--endpoint', 'home.example.org']).status).not.toBe(0);
    expect(env(['--name', 'eve', '--endpoint', 'x', '--public-key', 'not-a-key']).status).toBe(2);

    const server = readFileSync(join(dir, 'wg0.conf'), 'utf8');
    expect(server).toContain(`PublicKey = ${ownKey}`);
    const settings = server.split('\n').filter((line) => !line.startsWith('#'));
    expect(settings.join('\n')).not.toMatch(/PostUp|PostDown|MASQUERADE|ip_forward/);
    expect(wgParses(join(dir, 'wg0.conf'))).toMatchObject({ ok: true });

    const client = readFileSync(join(dir, 'clients/alice.conf'), 'utf8');
    const serverPublic = mustRun('wg', ['pubkey'], `${serverKey}\n`).trim();
    expect(client).toContain(`PublicKey = ${serverPublic}`);
    expect(client).toMatch(/^AllowedIPs = 10\.8\.0\.1\/32$/m); // the Pi only: no full tunnel
    expect(client).not.toContain('0.0.0.0/0');
    expect(client).toMatch(/^Endpoint = home\.example\.org:51820$/m);
    const privateKey = /^PrivateKey = (.+)$/m.exec(client)?.[1] ?? '';
    expect(privateKey).toMatch(KEY);
    expect(mustRun('wg', ['pubkey'], `${privateKey}\n`).trim()).toMatch(KEY);
    expect(statSync(join(dir, 'clients/alice.conf')).mode & 0o077).toBe(0);
    expect(statSync(join(dir, 'wg0.conf')).mode & 0o077).toBe(0);
    expect(wgParses(join(dir, 'clients/alice.conf'))).toMatchObject({ ok: true });

    const ignored = readFileSync(join(HOST, 'wireguard/.gitignore'), 'utf8');
    expect(ignored).toMatch(/^\*\.key$/m);
    expect(ignored).toMatch(/^\*\.conf$/m);
  });

  it('the relay template renders to a valid client config with keepalive (works behind CGNAT)', () => {
    if (!prefix) return skipVisibly('the WireGuard parse check', 'no network namespace');
    const vps = mustRun('wg', ['pubkey'], mustRun('wg', ['genkey'])).trim();
    const text = readFileSync(join(HOST, 'wireguard/wg-relay.conf.template'), 'utf8')
      .replace('@RELAY_PI_ADDRESS@', '10.9.0.2')
      .replace('@RELAY_PRIVATE_KEY@', mustRun('wg', ['genkey']).trim())
      .replace('@RELAY_VPS_PUBLIC_KEY@', vps)
      .replace('@RELAY_ENDPOINT@', '198.51.100.4:51820')
      .replace('@RELAY_ADMIN_NETWORK@', '10.9.0.0/24');
    expect(text).not.toContain('@');
    writeFileSync(join(dir, 'wg-relay.conf'), text, { mode: 0o600 });
    expect(text).toMatch(/^PersistentKeepalive = 25$/m);
    expect(wgParses(join(dir, 'wg-relay.conf'))).toMatchObject({ ok: true });
  });

  it('the parse check catches a broken config (it is not vacuous)', () => {
    if (!prefix) return skipVisibly('the WireGuard parse check', 'no network namespace');
    renderServer();
    const broken = join(dir, 'broken.conf');
    writeFileSync(
      broken,
      readFileSync(join(dir, 'wg0.conf'), 'utf8') +
        '\n[Peer]\nPublicKey = nope\nAllowedIPs = 10.8.0.300/32\n',
      { mode: 0o600 },
    );
    expect(wgParses(broken).ok).toBe(false);
  });
});

// ---- scripts, units, installer -------------------------------------------------------------------

const SCRIPTS = [
  'connection-monitor.sh',
  'ddns-update.sh',
  'install.sh',
  'wireguard/add-peer.sh',
].map((f) => join(HOST, f));

describeWithTools('shellcheck')('host scripts', () => {
  it('pass shellcheck and are executable', () => {
    const result = run('shellcheck', ['-x', ...SCRIPTS]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const script of SCRIPTS) expect(statSync(script).mode & 0o111).not.toBe(0);
  });
});

describe('systemd units', () => {
  const UNITS = join(HOST, 'systemd');
  // systemd-analyze is missing in some containers: skipped visibly there, even under CI.
  const analyze = run('sh', ['-c', 'command -v systemd-analyze']).status === 0;
  if (!analyze) process.stderr.write('SKIPPED: systemd-analyze verify/security: not installed\n');

  it('verify cleanly (systemd-analyze verify)', () => {
    if (!analyze) return;
    const dir = tempDir('units-');
    // verify checks that ExecStart exists: point it at the scripts in the repository.
    for (const unit of readdirSync(UNITS).filter((f) => /\.(service|timer)$/.test(f))) {
      writeFileSync(
        join(dir, unit),
        readFileSync(join(UNITS, unit), 'utf8').replaceAll('/usr/local/lib/home-health', HOST),
      );
    }
    const units = readdirSync(dir).map((f) => join(dir, f));
    expect(units.length).toBe(4);
    const result = run('systemd-analyze', ['verify', ...units]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('run the monitor with little exposure and small resource limits', () => {
    const service = readFileSync(join(UNITS, 'connection-monitor.service'), 'utf8');
    expect(service).toMatch(/^Nice=10$/m);
    expect(service).toMatch(/^CPUQuota=10%$/m);
    expect(service).toMatch(/^MemoryMax=32M$/m);
    expect(service).toMatch(/^DynamicUser=yes$/m);
    expect(readFileSync(join(UNITS, 'connection-monitor.timer'), 'utf8')).toMatch(
      /^OnUnitActiveSec=1min$/m,
    );
    if (!analyze) return;
    for (const unit of ['connection-monitor.service', 'ddns-update.service']) {
      const result = run('systemd-analyze', ['security', '--offline=yes', join(UNITS, unit)]);
      const level = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(result.stdout)?.[1]);
      expect(level).toBeLessThan(3);
    }
  });
});

describeWithTools('nft')('install.sh --dry-run', () => {
  it('renders the site values into the firewall, checks it, and changes nothing', () => {
    const watched = [
      '/etc/nftables.conf',
      '/etc/ddclient.conf',
      '/etc/systemd/system/connection-monitor.timer',
      '/etc/wireguard',
      '/usr/local/lib/home-health',
    ];
    const snapshot = () =>
      watched.map((f) => (existsSync(f) ? `${f}:${statSync(f).mtimeMs}:${statSync(f).size}` : f));
    const before = snapshot();
    const result = run('bash', [
      join(HOST, 'install.sh'),
      '--dry-run',
      '--lan',
      '10.20.0.0/24',
      '--pi4',
      '10.20.0.4',
      '--pi3b',
      '10.20.0.3',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(snapshot()).toEqual(before);
    const work = /rendered files are kept in (\S+)/.exec(result.stdout)?.[1] ?? '';
    const rendered = readFileSync(join(work, 'nftables.conf'), 'utf8');
    rmSync(work, { recursive: true, force: true });
    expect(rendered).toMatch(/^define LAN_V4 = 10\.20\.0\.0\/24$/m);
    expect(rendered).toMatch(/^define PI4_V4 = 10\.20\.0\.4$/m);
    expect(rendered).toMatch(/^define PI3B_V4 = 10\.20\.0\.3$/m);
    expect(result.stdout).toContain('(nft -c)');
    expect(result.stdout).toContain('would install: /etc/nftables.conf');
    expect(result.stdout).toContain('would run: systemctl enable nftables.service');
    expect(result.stdout).toContain('would run: systemctl disable --now ddclient.service');
    expect(result.stdout).toContain('would run: systemctl enable --now connection-monitor.timer');
    expect(result.stdout).toContain('would run: systemctl enable --now wg-quick@wg0.service');

    const bad = run('bash', [join(HOST, 'install.sh'), '--dry-run', '--lan', '10.20.0.0/99']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--lan must be an IPv4 CIDR');
  });
});
