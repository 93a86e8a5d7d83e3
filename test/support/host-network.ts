import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Helpers for test/checks/host-network.spec.ts: network namespaces made by the test itself, so the
 * Pi's firewall can be loaded into a real kernel and probed with real packets without touching
 * this machine's own ruleset.
 */

export function run(command: string, args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: 'utf8', input, timeout: 60_000 });
}

export function mustRun(command: string, args: string[], input?: string): string {
  const result = run(command, args, input);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Root runs privileged commands itself; elsewhere (a CI runner) through passwordless sudo. */
const SUDO = isRoot ? [] : ['sudo', '-n'];

function privileged(command: string, args: string[]): [string, string[]] {
  return SUDO.length ? [SUDO[0], [...SUDO.slice(1), command, ...args]] : [command, args];
}

/** `ip` with the privileges namespaces need. */
function ip(args: string[], input?: string): string {
  const [command, all] = privileged('ip', args);
  return mustRun(command, all, input);
}

/**
 * How to run one command in a fresh, empty network namespace: `unshare -n` as root (or through
 * passwordless sudo), else `unshare -rn` (an unprivileged user namespace). Null when neither works.
 */
export function isolatedPrefix(): string[] | null {
  const candidates = isRoot
    ? [['unshare', '-n']]
    : [
        ['unshare', '-rn'],
        ['sudo', '-n', 'unshare', '-n'],
      ];
  for (const prefix of candidates) {
    if (run(prefix[0], [...prefix.slice(1), 'true']).status === 0) return prefix;
  }
  return null;
}

/** Whether named namespaces with veth pairs can be made here (`ip netns add`: root or sudo). */
export function canMakeNamespaces(): boolean {
  const name = `hncheck-${randomBytes(3).toString('hex')}`;
  try {
    ip(['netns', 'add', name]);
  } catch {
    return false;
  }
  ip(['netns', 'del', name]);
  return true;
}

/** Writes the listener and probe scripts the namespaces run with this machine's node. */
function scripts(): { dir: string; listen: string; probe: string } {
  const dir = mkdtempSync(join(tmpdir(), 'host-network-'));
  const listen = join(dir, 'listen.js');
  const probe = join(dir, 'probe.js');
  writeFileSync(
    listen,
    `const net = require('node:net'); const dgram = require('node:dgram');
const spec = JSON.parse(process.argv[2]); let pending = spec.tcp.length + spec.udp.length;
const ready = () => { if (--pending === 0) process.stdout.write('ready\\n'); };
for (const port of spec.tcp) net.createServer((s) => s.end('hello\\n')).listen({ port, host: '::', ipv6Only: false }, ready);
for (const port of spec.udp) { const u = dgram.createSocket('udp4');
  u.on('message', (m, r) => u.send(m, r.port, r.address)); u.bind(port, '0.0.0.0', ready); }
`,
  );
  writeFileSync(
    probe,
    `const net = require('node:net'); const dgram = require('node:dgram');
const probes = JSON.parse(process.argv[2]); const out = {}; const wait = 800;
Promise.all(probes.map((p) => new Promise((done) => {
  const key = p.proto + ' ' + p.from + '->' + p.to + ':' + p.port;
  const finish = (state) => { if (!(key in out)) { out[key] = state; done(); } };
  if (p.proto === 'tcp') {
    const s = net.connect({ host: p.to, port: p.port, localAddress: p.from });
    s.on('connect', () => { finish('open'); s.destroy(); });
    s.on('error', () => finish('refused'));
    setTimeout(() => { finish('filtered'); s.destroy(); }, wait);
  } else {
    const u = dgram.createSocket('udp4');
    u.on('message', () => { finish('open'); u.close(); });
    u.bind(0, p.from, () => u.send('ping', p.port, p.to));
    setTimeout(() => { finish('filtered'); try { u.close(); } catch {} }, wait);
  }
}))).then(() => process.stdout.write(JSON.stringify(out)));
`,
  );
  return { dir, listen, probe };
}

export interface Probe {
  proto: 'tcp' | 'udp';
  from: string;
  to: string;
  port: number;
}

/**
 * A small lab: a `host` namespace (the Pi under test), a `client` namespace on the same veth link
 * holding several source addresses (LAN peers, the other Pi, an internet host), and optionally a
 * `container` namespace behind an interface named docker0 with Docker-style DNAT, so the forward
 * path to published ports is exercised as Docker sets it up.
 */
export class Lab {
  readonly id = randomBytes(3).toString('hex');
  readonly host = `hnhost-${this.id}`;
  readonly client = `hncli-${this.id}`;
  readonly container = `hnctr-${this.id}`;
  private readonly children: ChildProcess[] = [];
  private readonly files = scripts();
  private withContainer = false;

  constructor(
    private readonly hostAddresses: string[],
    private readonly clientAddresses: string[],
  ) {}

  up(): void {
    ip(['netns', 'add', this.host]);
    ip(['netns', 'add', this.client]);
    ip([
      'link',
      'add',
      'vhost',
      'netns',
      this.host,
      'type',
      'veth',
      'peer',
      'name',
      'vcli',
      'netns',
      this.client,
    ]);
    // IPv6 addresses skip duplicate address detection, so they are usable at once.
    const flags = (address: string) => (address.includes(':') ? ['nodad'] : []);
    for (const address of this.hostAddresses)
      ip(['-n', this.host, 'addr', 'add', address, 'dev', 'vhost', ...flags(address)]);
    for (const address of this.clientAddresses)
      ip(['-n', this.client, 'addr', 'add', address, 'dev', 'vcli', ...flags(address)]);
    for (const [ns, dev] of [
      [this.host, 'vhost'],
      [this.client, 'vcli'],
    ]) {
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', ns, 'link', 'set', dev, 'up']);
    }
  }

  /** A "container" at 172.17.0.2 behind docker0 with Docker-like NAT for the given ports. */
  addContainer(publishedPorts: number[]): void {
    this.withContainer = true;
    ip(['netns', 'add', this.container]);
    ip([
      'link',
      'add',
      'docker0',
      'netns',
      this.host,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      this.container,
    ]);
    ip(['-n', this.host, 'addr', 'add', '172.17.0.1/16', 'dev', 'docker0']);
    ip(['-n', this.container, 'addr', 'add', '172.17.0.2/16', 'dev', 'eth0']);
    ip(['-n', this.host, 'link', 'set', 'docker0', 'up']);
    ip(['-n', this.container, 'link', 'set', 'lo', 'up']);
    ip(['-n', this.container, 'link', 'set', 'eth0', 'up']);
    ip(['-n', this.container, 'route', 'add', 'default', 'via', '172.17.0.1']);
    this.exec(this.host, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    // What dockerd (iptables-nft) installs for `ports: ["443:443"]`, reduced to its effect:
    // DNAT in its own `ip nat` table, masquerade for container egress, and an accepting
    // FORWARD chain of its own in `ip filter` (DOCKER-USER included).
    const dnat = publishedPorts
      .map((port) => `tcp dport ${port} fib daddr type local dnat to 172.17.0.2:${port}`)
      .join('\n');
    this.exec(
      this.host,
      'nft',
      ['-f', '-'],
      `table ip nat {
  chain PREROUTING { type nat hook prerouting priority dstnat; policy accept;
    ${dnat}
  }
  chain POSTROUTING { type nat hook postrouting priority srcnat; policy accept;
    ip saddr 172.17.0.0/16 oifname != "docker0" masquerade
  }
}
table ip filter {
  chain DOCKER-USER { }
  chain FORWARD { type filter hook forward priority filter; policy accept;
    jump DOCKER-USER
  }
}
`,
    );
  }

  exec(ns: string, command: string, args: string[], input?: string): string {
    return ip(['netns', 'exec', ns, command, ...args], input);
  }

  /** Starts listeners on every given port in a namespace; resolves when they all listen. */
  async listen(ns: string, tcp: number[], udp: number[]): Promise<void> {
    const child = spawn(
      ...privileged('ip', [
        'netns',
        'exec',
        ns,
        process.execPath,
        this.files.listen,
        JSON.stringify({ tcp, udp }),
      ]),
    );
    this.children.push(child);
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`listener exited ${code}: ${stderr}`)));
    });
  }

  /** Connects from the client namespace; answers "open", "refused" or "filtered" per probe. */
  probe(probes: Probe[], ns = this.client): Record<string, string> {
    const out = this.exec(ns, process.execPath, [this.files.probe, JSON.stringify(probes)]);
    return JSON.parse(out) as Record<string, string>;
  }

  loadFirewall(file: string): void {
    this.exec(this.host, 'nft', ['-f', file]);
  }

  ruleset(): NftJson {
    return JSON.parse(this.exec(this.host, 'nft', ['-j', 'list', 'ruleset'])) as NftJson;
  }

  down(): void {
    // The listeners run as root under sudo on a CI runner: end them by their namespace.
    for (const ns of [this.host, this.client, ...(this.withContainer ? [this.container] : [])]) {
      const pids = run(...privileged('ip', ['netns', 'pids', ns])).stdout.split('\n');
      for (const pid of pids.filter((p) => /^\d+$/.test(p)))
        run(...privileged('kill', ['-9', pid]));
      run(...privileged('ip', ['netns', 'del', ns]));
    }
    for (const child of this.children) child.kill('SIGKILL');
    rmSync(this.files.dir, { recursive: true, force: true });
  }
}

/** The parts of `nft -j list ruleset` the suite reads. */
export interface NftJson {
  nftables: Array<{
    table?: { family: string; name: string };
    chain?: { family: string; table: string; name: string; hook?: string; policy?: string };
    set?: { family: string; table: string; name: string; elem?: unknown[] };
    rule?: { family: string; table: string; chain: string; expr: unknown[]; comment?: string };
  }>;
}

export const probeKey = (p: Probe): string => `${p.proto} ${p.from}->${p.to}:${p.port}`;
