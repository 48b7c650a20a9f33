/**
 * The cgroups the local runtime puts its collectors under test in, so each has the CPU and memory the
 * spec budgets it (spec.collectors) and the report can say what each used, how long it was throttled and
 * whether it was OOM-killed. Called by local/rehearsal.ts (open at the start, read at the baseline and the
 * cut-off, remove at the end) and local/collectors.ts (each collector joins its cgroup as it starts).
 *
 * Layout: `<controller mount><the rig's own cgroup>/pushpull/run-<pid>-<ms>/<collector>` for cgroup v1
 * (cpu, cpuacct, memory: these machines), `/sys/fs/cgroup/pushpull/run-<pid>-<ms>/<collector>` for v2.
 * Nesting under the rig's own cgroup keeps every limit the rig itself runs under. A run dir whose pid is
 * gone is stale (a crashed run) and is removed by the next run's `open`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResolvedBudget } from '../api/v1alpha1/derived.ts';
import type { StartSpec } from '../process/supervisor.ts';
import {
  type CgroupController,
  type CgroupReading,
  cfsQuotaUs,
  parseProcCgroup,
  readingV1,
  readingV2,
  type V1Files,
  type V2Files,
} from './cgroup-files.ts';

const ROOT = '/sys/fs/cgroup';
const PARENT = 'pushpull';
const V1_CONTROLLERS: readonly CgroupController[] = ['cpu', 'cpuacct', 'memory'];

/** One collector's cgroup: one directory per v1 controller, or the one v2 directory. */
export interface CollectorCgroup {
  name: string;
  version: 1 | 2;
  dirs: Partial<Record<CgroupController, string>> & { unified?: string };
  budget: ResolvedBudget;
}

/** Either the run's cgroups, or why there are none (the report says so beside each figure). */
export type OpenResult = { ok: true; cgroups: RunCgroups } | { ok: false; reason: string };

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a cgroup directory tree bottom-up (cgroups are removed with rmdir, never rm -r). */
function removeTree(dir: string): string[] {
  const failures: string[] = [];
  if (!existsSync(dir)) return failures;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) failures.push(...removeTree(join(dir, entry.name)));
  }
  try {
    rmdirSync(dir);
  } catch (err) {
    failures.push(`${dir}: ${(err as Error).message}`);
  }
  return failures;
}

/** The cgroups of one run. */
export class RunCgroups {
  readonly version: 1 | 2;
  /** The run directory per v1 controller, or `unified` for v2. */
  private readonly runDirs: Partial<Record<CgroupController | 'unified', string>>;
  private readonly made: CollectorCgroup[] = [];
  /** Stale run dirs removed by `open` (for the log). */
  readonly staleRemoved: string[];

  private constructor(version: 1 | 2, runDirs: RunCgroups['runDirs'], staleRemoved: string[]) {
    this.version = version;
    this.runDirs = runDirs;
    this.staleRemoved = staleRemoved;
  }

  /** Finds the hierarchy, removes stale run dirs of crashed runs and makes this run's dir. */
  static open(runId = `run-${process.pid}-${Date.now()}`): OpenResult {
    const own = parseProcCgroup(readText('/proc/self/cgroup') ?? '');
    const stale: string[] = [];
    try {
      const v2Controllers = readText(join(ROOT, 'cgroup.controllers'));
      if (v2Controllers !== undefined) {
        if (!/\bcpu\b/.test(v2Controllers) || !/\bmemory\b/.test(v2Controllers)) {
          return {
            ok: false,
            reason: `cgroup v2 without the cpu and memory controllers (${v2Controllers.trim()})`,
          };
        }
        const parent = join(ROOT, PARENT);
        mkdirSync(parent, { recursive: true });
        writeFileSync(join(parent, 'cgroup.subtree_control'), '+cpu +memory');
        stale.push(...removeStale(parent));
        const dir = join(parent, runId);
        mkdirSync(dir);
        writeFileSync(join(dir, 'cgroup.subtree_control'), '+cpu +memory');
        return { ok: true, cgroups: new RunCgroups(2, { unified: dir }, stale) };
      }
      const runDirs: RunCgroups['runDirs'] = {};
      for (const c of V1_CONTROLLERS) {
        const mount = join(ROOT, c);
        if (!existsSync(join(mount, 'cgroup.procs'))) {
          return { ok: false, reason: `no cgroup v1 ${c} hierarchy at ${mount}` };
        }
        const parent = join(mount, own.v1[c] ?? '/', PARENT);
        mkdirSync(parent, { recursive: true });
        stale.push(...removeStale(parent));
        const dir = join(parent, runId);
        mkdirSync(dir);
        runDirs[c] = dir;
      }
      return { ok: true, cgroups: new RunCgroups(1, runDirs, stale) };
    } catch (err) {
      return { ok: false, reason: `cannot make cgroups: ${(err as Error).message}` };
    }
  }

  /** Makes `name`'s cgroup with its budget (no limit where the budget has none). */
  create(name: string, budget: ResolvedBudget): CollectorCgroup {
    const cg: CollectorCgroup = { name, version: this.version, dirs: {}, budget };
    if (this.version === 2) {
      const dir = join(this.runDirs.unified!, name);
      mkdirSync(dir);
      cg.dirs.unified = dir;
      if (budget.cpuMillicores !== null) {
        writeFileSync(join(dir, 'cpu.max'), `${cfsQuotaUs(budget.cpuMillicores)} 100000`);
      }
      if (budget.memoryBytes !== null) {
        writeFileSync(join(dir, 'memory.max'), String(budget.memoryBytes));
        writeFileSync(join(dir, 'memory.swap.max'), '0');
      }
    } else {
      for (const c of V1_CONTROLLERS) {
        const dir = join(this.runDirs[c]!, name);
        mkdirSync(dir);
        cg.dirs[c] = dir;
      }
      if (budget.cpuMillicores !== null) {
        writeFileSync(join(cg.dirs.cpu!, 'cpu.cfs_period_us'), '100000');
        writeFileSync(join(cg.dirs.cpu!, 'cpu.cfs_quota_us'), String(cfsQuotaUs(budget.cpuMillicores)));
      }
      if (budget.memoryBytes !== null) {
        writeFileSync(join(cg.dirs.memory!, 'memory.limit_in_bytes'), String(budget.memoryBytes));
      }
    }
    this.made.push(cg);
    return cg;
  }

  /** The collector cgroups made so far. */
  collectors(): readonly CollectorCgroup[] {
    return this.made;
  }

  /** What `cg` shows now; unreadable files give null figures. */
  read(cg: CollectorCgroup): CgroupReading {
    if (cg.version === 2) {
      const dir = cg.dirs.unified!;
      const files: V2Files = {};
      for (const f of ['cpu.stat', 'memory.peak', 'memory.current', 'memory.events'] as const) {
        const text = readText(join(dir, f));
        if (text !== undefined) files[f] = text;
      }
      return readingV2(files);
    }
    const files: V1Files = {};
    const at: Record<keyof V1Files, CgroupController> = {
      'cpu.stat': 'cpu',
      'cpuacct.usage': 'cpuacct',
      'memory.max_usage_in_bytes': 'memory',
      'memory.usage_in_bytes': 'memory',
      'memory.oom_control': 'memory',
    };
    for (const [f, c] of Object.entries(at) as [keyof V1Files, CgroupController][]) {
      const text = readText(join(cg.dirs[c]!, f));
      if (text !== undefined) files[f] = text;
    }
    return readingV1(files);
  }

  /** The `cgroup.procs` files a process writes its pid into to join `cg`. */
  procsFiles(cg: CollectorCgroup): string[] {
    return Object.values(cg.dirs).map((d) => join(d, 'cgroup.procs'));
  }

  /**
   * Removes the run's cgroups (after its processes ended) and the `pushpull` parent when no other run
   * uses it; returns what could not be removed.
   */
  remove(): string[] {
    const failures = Object.values(this.runDirs).flatMap((d) => removeTree(d));
    for (const d of Object.values(this.runDirs)) {
      try {
        rmdirSync(dirname(d));
      } catch {
        // Another run's cgroups are still in it.
      }
    }
    return failures;
  }
}

/** Run dirs under `parent` whose pid is gone: removed; returns the ones removed. */
function removeStale(parent: string): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    const m = /^run-(\d+)-\d+$/.exec(entry.name);
    if (!entry.isDirectory() || !m || pidAlive(Number(m[1]))) continue;
    const dir = join(parent, entry.name);
    if (removeTree(dir).length === 0) removed.push(dir);
  }
  return removed;
}

/**
 * `spec` started inside `procsFiles`' cgroups: a shell writes its own pid into each, then execs the
 * program (same pid), so every byte and CPU second of the collector is counted from its first instruction.
 * No change to the supervisor is needed.
 */
export function joinCgroupAtStart<T extends Pick<StartSpec, 'command' | 'args'>>(
  spec: T,
  procsFiles: readonly string[],
): T {
  const script =
    'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || { echo "pushpull: cannot join cgroup $1" >&2; exit 125; }; shift; n=$((n-1)); done; exec "$@"';
  return {
    ...spec,
    command: '/bin/sh',
    args: [
      '-c',
      script,
      'pushpull-cgroup',
      String(procsFiles.length),
      ...procsFiles,
      spec.command,
      ...spec.args,
    ],
  };
}
