import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU and memory of named groups of processes, read from /proc once a second (Linux only; the
 * figures are empty elsewhere). A group is re-resolved on every sample, so PostgreSQL backends
 * that come and go, or nginx workers the master restarts, are all counted.
 */

const TICKS_PER_SECOND = 100;

export interface ProcessGroup {
  name: string;
  /** The group's processes now. */
  pids: () => number[];
}

interface ProcStat {
  ppid: number;
  comm: string;
  cpuTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "(comm) ": state ppid … utime (field 14) stime (15), 1-based over the whole line.
    return { ppid: Number(fields[1]), comm, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** Resident set size in bytes (VmRSS), undefined when the process is gone. */
export function rssBytesOf(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Busy CPU ticks of the whole machine so far (all cores: user, nice, system, irq, softirq, steal). */
function machineBusyTicks(): number | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    return user + nice + system + irq + softirq + (steal ?? 0);
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
}

/** Processes whose command name is `comm` (e.g. `postgres`, `redis-server`). */
export function pidsByName(comm: string): number[] {
  return allPids().filter((pid) => readStat(pid)?.comm === comm);
}

/** A process and all its descendants (nginx's master and its workers). */
export function processTree(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat === undefined) continue;
    const siblings = byParent.get(stat.ppid) ?? [];
    siblings.push(pid);
    byParent.set(stat.ppid, siblings);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (readStat(pid) === undefined) continue;
    tree.push(pid);
    queue.push(...(byParent.get(pid) ?? []));
  }
  return tree;
}

export interface GroupFigures {
  name: string;
  /** Mean CPU over the window, in percent of one core. */
  cpuPercent: number;
  /** Highest single sample of the group's CPU, percent of one core. */
  peakCpuPercent: number;
  /** Highest resident memory of the group's largest process, in bytes. */
  peakRssBytes: number;
  /** Highest sum of the group's resident memory (shared pages counted in each process). */
  peakGroupRssBytes: number;
}

interface GroupState {
  group: ProcessGroup;
  lastTicks: Map<number, number>;
  ticks: number;
  peakCpuPercent: number;
  peakRssBytes: number;
  peakGroupRssBytes: number;
}

/** Samples the groups every `intervalMs` between `start()` and `stop()`; windows by `mark()`. */
export class ProcessSampler {
  private readonly states: GroupState[];
  private timer: NodeJS.Timeout | undefined;
  private windowStartedAt = performance.now();
  private lastSampleAt = performance.now();
  private windowMachineTicks = machineBusyTicks();

  constructor(
    groups: ProcessGroup[],
    private readonly intervalMs = 1000,
  ) {
    this.states = groups.map((group) => ({
      group,
      lastTicks: new Map(),
      ticks: 0,
      peakCpuPercent: 0,
      peakRssBytes: 0,
      peakGroupRssBytes: 0,
    }));
  }

  start(): void {
    this.sample(false);
    this.timer = setInterval(() => this.sample(true), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The figures since the last mark (or start), and a new window from now. */
  mark(): GroupFigures[] {
    this.sample(true);
    const seconds = (performance.now() - this.windowStartedAt) / 1000;
    const percent = (ticks: number) =>
      seconds > 0 ? ((ticks / TICKS_PER_SECOND) * 100) / seconds : 0;
    const figures: GroupFigures[] = this.states.map((s) => ({
      name: s.group.name,
      cpuPercent: percent(s.ticks),
      peakCpuPercent: s.peakCpuPercent,
      peakRssBytes: s.peakRssBytes,
      peakGroupRssBytes: s.peakGroupRssBytes,
    }));
    // Whatever else the machine ran meanwhile (other work shares the cores and shows in latency).
    const machineTicks = machineBusyTicks();
    if (machineTicks !== undefined && this.windowMachineTicks !== undefined) {
      const ours = this.states.reduce((sum, s) => sum + s.ticks, 0);
      figures.push({
        name: 'everything else on the machine',
        cpuPercent: Math.max(0, percent(machineTicks - this.windowMachineTicks - ours)),
        peakCpuPercent: Number.NaN,
        peakRssBytes: 0,
        peakGroupRssBytes: 0,
      });
    }
    this.windowMachineTicks = machineTicks;
    for (const s of this.states) {
      s.ticks = 0;
      s.peakCpuPercent = 0;
      s.peakRssBytes = 0;
      s.peakGroupRssBytes = 0;
    }
    this.windowStartedAt = performance.now();
    return figures;
  }

  private sample(count: boolean): void {
    const now = performance.now();
    const seconds = (now - this.lastSampleAt) / 1000;
    this.lastSampleAt = now;
    for (const s of this.states) {
      const pids = s.group.pids();
      const seen = new Map<number, number>();
      let delta = 0;
      let groupRss = 0;
      for (const pid of pids) {
        const stat = readStat(pid);
        if (stat === undefined) continue;
        seen.set(pid, stat.cpuTicks);
        // A process first seen in this interval: its CPU so far is counted, whenever it started.
        delta += stat.cpuTicks - (s.lastTicks.get(pid) ?? (count ? 0 : stat.cpuTicks));
        const rss = rssBytesOf(pid) ?? 0;
        groupRss += rss;
        s.peakRssBytes = Math.max(s.peakRssBytes, rss);
      }
      s.lastTicks = seen;
      s.peakGroupRssBytes = Math.max(s.peakGroupRssBytes, groupRss);
      if (!count) continue;
      s.ticks += delta;
      if (seconds > 0) {
        s.peakCpuPercent = Math.max(s.peakCpuPercent, ((delta / TICKS_PER_SECOND) * 100) / seconds);
      }
    }
  }
}
