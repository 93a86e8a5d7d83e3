import { percentile, table } from '../bench/bench-support';
import type { GroupFigures } from './process-sampler';
import type { RequestKind, Sample } from './virtual-users';

/** What one stage of the load test measured, and how it is printed. */

export interface StageResult {
  name: string;
  users: number;
  seconds: number;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  errorRate: number;
  /** Error kinds: "HTTP 429", "transport" … with counts. */
  errorKinds: Map<string, number>;
  byKind: Map<RequestKind, { count: number; p95: number }>;
  cacheHitRate: number | undefined;
  cacheReads: number;
  processes: GroupFigures[];
}

export function summariseStage(
  name: string,
  users: number,
  seconds: number,
  samples: readonly Sample[],
  cache: { hits: number; reads: number } | undefined,
  processes: GroupFigures[],
): StageResult {
  const sorted = Float64Array.from(samples.map((s) => s.ms)).sort();
  const errorKinds = new Map<string, number>();
  for (const s of samples) {
    if (s.status >= 200 && s.status <= 299) continue;
    const kind = s.status === 0 ? 'transport error' : `HTTP ${s.status} (${s.why ?? '?'})`;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  }
  const errors = [...errorKinds.values()].reduce((a, b) => a + b, 0);
  const byKind = new Map<RequestKind, { count: number; p95: number }>();
  const kinds = [...new Set(samples.map((s) => s.kind))];
  for (const kind of kinds) {
    const ms = Float64Array.from(samples.filter((s) => s.kind === kind).map((s) => s.ms)).sort();
    byKind.set(kind, { count: ms.length, p95: percentile(ms, 95) });
  }
  return {
    name,
    users,
    seconds,
    requests: samples.length,
    throughput: samples.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    errors,
    errorRate: samples.length > 0 ? errors / samples.length : 0,
    errorKinds,
    byKind,
    cacheHitRate: cache && cache.reads > 0 ? cache.hits / cache.reads : undefined,
    cacheReads: cache?.reads ?? 0,
    processes,
  };
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const pct = (n: number | undefined, digits = 1) =>
  n === undefined ? '-' : `${(n * 100).toFixed(digits)} %`;

export function stagesTable(results: readonly StageResult[]): string {
  return table([
    ['stage', 'users', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'cache hits'],
    ...results.map((r) => [
      r.name,
      String(r.users),
      r.throughput.toFixed(0),
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      ms(r.max),
      `${r.errors} (${pct(r.errorRate, 2)})`,
      `${pct(r.cacheHitRate)} of ${r.cacheReads}`,
    ]),
  ]);
}

export function kindsTable(result: StageResult): string {
  return table([
    ['request', 'count', 'p95 ms'],
    ...[...result.byKind.entries()]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([kind, figures]) => [kind, String(figures.count), ms(figures.p95)]),
  ]);
}

export function processTable(result: StageResult): string {
  return table([
    [
      'process',
      'CPU % of a core (mean)',
      'peak CPU %',
      'peak RSS MB (largest process)',
      'peak RSS MB (group)',
    ],
    ...result.processes.map((p) => [
      p.name,
      p.cpuPercent.toFixed(0),
      Number.isFinite(p.peakCpuPercent) ? p.peakCpuPercent.toFixed(0) : '-',
      p.peakRssBytes > 0 ? mb(p.peakRssBytes) : '-',
      p.peakGroupRssBytes > 0 ? mb(p.peakGroupRssBytes) : '-',
    ]),
  ]);
}

/**
 * Where the time goes: with every core busy the process that uses the most CPU is the
 * bottleneck; with cores to spare, latency comes from waiting (a pool, a lock, the network).
 */
export function bottleneck(result: StageResult, cores: number): string {
  const total = result.processes.reduce((sum, p) => sum + p.cpuPercent, 0);
  const top = [...result.processes]
    .filter((p) => p.name !== 'everything else on the machine')
    .sort((a, b) => b.cpuPercent - a.cpuPercent);
  const elsewhere = result.processes.find((p) => p.name === 'everything else on the machine');
  const busiest = top[0];
  if (busiest === undefined) return 'no process figures (not Linux?)';
  const share = total > 0 ? (busiest.cpuPercent / total) * 100 : 0;
  const saturated = total >= cores * 100 * 0.85;
  return (
    `${total.toFixed(0)} % CPU of ${cores * 100} % in use (${saturated ? 'saturated' : 'not saturated'}); ` +
    `the largest share is ${busiest.name} (${busiest.cpuPercent.toFixed(0)} %, ${share.toFixed(0)} % of all), ` +
    `then ${top
      .slice(1, 3)
      .map((p) => `${p.name} (${p.cpuPercent.toFixed(0)} %)`)
      .join(', ')}. ` +
    (elsewhere !== undefined && elsewhere.cpuPercent > 20
      ? `Other work on the machine took ${elsewhere.cpuPercent.toFixed(0)} % meanwhile: these latencies are not this stack's alone. `
      : '') +
    (saturated
      ? `The machine's cores are the bottleneck, and of this stack ${busiest.name} uses most of them.`
      : 'The cores are not all busy: latency here is waiting, not computing.')
  );
}
