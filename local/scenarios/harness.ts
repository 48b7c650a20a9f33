/**
 * Shared steps of the end-to-end scenarios under local/scenarios/<name>/ (tests only): load a
 * scenario's experiment.yaml, run it with `runRehearsal` against the real collectors while recording
 * every process the run starts, and check afterwards that none of them, nor their process groups,
 * nor their ports, are left. Each scenario's `*.itest.ts` calls these; failures keep the run's output
 * directory (logs, configs, ledgers, report) and name it.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach } from 'node:test';
import { loadSpecFile } from '../../api/v1alpha1/load.ts';
import type { ExperimentDocument } from '../../api/v1alpha1/schema.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import type { Report } from '../../report/types.ts';
import {
  groupAlive,
  type ProcInfo,
  processTable,
  readProc,
  stillRunning,
  watchDescendants,
} from '../../testing/proc-table.ts';
import { type RehearsalResult, runRehearsal } from '../rehearsal.ts';

// The scenarios' tests take the process-table helpers from here, with the rest of their steps.
export { type ProcInfo, readProc, watchDescendants } from '../../testing/proc-table.ts';

/** The folder of the scenarios; each subfolder holds one experiment.yaml. */
export const SCENARIOS_DIR = new URL('./', import.meta.url).pathname;

/** The path of a scenario's spec. */
export function scenarioSpecFile(name: string): string {
  return join(SCENARIOS_DIR, name, 'experiment.yaml');
}

/** Loads and validates a scenario's experiment.yaml; throws with the spec errors. */
export async function loadScenario(
  name: string,
): Promise<{ document: ExperimentDocument; specFile: string }> {
  const specFile = scenarioSpecFile(name);
  const loaded = await loadSpecFile(specFile);
  if (!loaded.ok) throw new Error(`${specFile}: ${loaded.errors.map(formatSpecError).join('; ')}`);
  return { document: loaded.document, specFile };
}

/** A fresh output directory for one scenario run. */
export function scenarioOutDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `pushpull-scenario-${name}-`));
}

/**
 * Ports the run listened on, from what it wrote down: the rendered collector configs (every
 * 127.0.0.1:port in them), the collectors' "listening" log lines, the producers' ready lines.
 */
export function portsOfRun(outDir: string): { tcp: number[]; udp: number[] } {
  const tcp = new Set<number>();
  const udp = new Set<number>();
  const collectorsDir = join(outDir, 'collectors');
  for (const f of safeList(collectorsDir).filter((n) => /\.ya?ml$/.test(n))) {
    for (const m of readFileSync(join(collectorsDir, f), 'utf8').matchAll(/127\.0\.0\.1:(\d+)/g))
      tcp.add(Number(m[1]));
  }
  const logsDir = join(outDir, 'logs');
  for (const f of safeList(logsDir)) {
    const text = readFileSync(join(logsDir, f), 'utf8');
    for (const m of text.matchAll(/(?:address=|addr=|"address":"|"endpoint": ")127\.0\.0\.1:(\d+)/g))
      tcp.add(Number(m[1]));
    for (const m of text.matchAll(/udp=127\.0\.0\.1:(\d+)/g)) udp.add(Number(m[1]));
    for (const line of text.split('\n')) {
      if (!line.startsWith('{"event":"ready"')) continue;
      const ready = JSON.parse(line) as { rigPort?: number; metricsPort?: number | null };
      if (ready.rigPort) tcp.add(ready.rigPort);
      if (ready.metricsPort) tcp.add(ready.metricsPort);
    }
  }
  return { tcp: [...tcp].sort((a, b) => a - b), udp: [...udp].sort((a, b) => a - b) };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Local ports with a socket in /proc/net/<proto>{,6} (TCP: listening only), with the socket inodes. */
function boundPorts(proto: 'tcp' | 'udp'): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const file of [`/proc/net/${proto}`, `/proc/net/${proto}6`]) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const port = Number.parseInt(f[1]?.split(':').pop() ?? '', 16);
      if (!Number.isFinite(port) || (proto === 'tcp' && f[3] !== '0A')) continue;
      out.set(port, [...(out.get(port) ?? []), f[9] ?? '']);
    }
  }
  return out;
}

/** The pids holding any of these socket inodes open (those /proc lets us see). */
function socketOwners(inodes: readonly string[]): number[] {
  const wanted = new Set(inodes.map((i) => `socket:[${i}]`));
  const owners: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    for (const fd of safeList(`/proc/${name}/fd`)) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${name}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(target)) {
        owners.push(Number(name));
        break;
      }
    }
  }
  return owners;
}

/**
 * Asserts the run left nothing behind: every process it started (recorded by watchDescendants) is
 * gone and so is its process group, no process mentions the output directory in its argv, and none
 * of the run's ports is still bound.
 */
export function assertNothingLeft(outDir: string, started: readonly ProcInfo[]): void {
  const names = (ps: readonly ProcInfo[]) =>
    ps.map((p) => `${p.pid} ${p.argv.slice(0, 3).join(' ')}`.slice(0, 160)).join('\n  ');
  const alive = started.filter(stillRunning);
  assert.deepEqual(alive, [], `processes of the run are still running:\n  ${names(alive)}`);
  const groups = [...new Set(started.map((p) => p.pgid))].filter(
    (g) => started.some((p) => p.pid === g) && groupAlive(g),
  );
  assert.deepEqual(groups, [], `process groups of the run still have members: ${groups.join(', ')}`);
  const mention = processTable().filter(
    (p) => p.pid !== process.pid && p.argv.some((a) => a.includes(outDir)),
  );
  assert.deepEqual(mention, [], `processes still name ${outDir} in their argv:\n  ${names(mention)}`);
  const ports = portsOfRun(outDir);
  assert.ok(ports.tcp.length > 0, `no port of the run was found in ${outDir}: the check would be empty`);
  // A port the kernel handed to someone else since (other tests run on this machine) is not ours:
  // only a socket whose owner is unknown, one of the run's processes or names outDir is left over.
  const ours = (owner: number) => {
    const p = readProc(owner);
    return p === null || started.some((s) => s.pid === owner) || p.argv.some((a) => a.includes(outDir));
  };
  const left: string[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const bound = boundPorts(proto);
    for (const port of ports[proto]) {
      const inodes = bound.get(port);
      if (!inodes) continue;
      const owners = socketOwners(inodes);
      if (owners.length === 0 || owners.some(ours))
        left.push(`${proto} ${port} (pids ${owners.join(', ') || '?'})`);
    }
  }
  assert.deepEqual(left, [], `ports of the run are still bound: ${left.join('; ')}`);
}

/** What a scenario run produced. */
export interface ScenarioRun {
  outDir: string;
  /** The rehearsal's progress lines (also in <outDir>/run.log). */
  lines: string[];
  result: RehearsalResult;
  report: Report;
  /** Every process the run started, for assertNothingLeft. */
  started: ProcInfo[];
}

export interface RehearseOptions {
  /** Called with each progress line as it is logged (e.g. to act mid-run). */
  onLine?: (line: string) => void;
  /** Changes the validated document before the run (e.g. the same load without the collectors' budgets). */
  override?: (document: ExperimentDocument) => ExperimentDocument;
}

/** Runs a scenario in this process with runRehearsal, recording its processes and progress. */
export async function rehearseScenario(name: string, options: RehearseOptions = {}): Promise<ScenarioRun> {
  const { document, specFile } = await loadScenario(name);
  const outDir = scenarioOutDir(name);
  const lines: string[] = [];
  const watch = watchDescendants(process.pid);
  let result: RehearsalResult;
  try {
    result = await runRehearsal({
      document: options.override ? options.override(document) : document,
      specFile,
      outDir,
      log: (line) => {
        lines.push(line);
        appendFileSync(join(outDir, 'run.log'), `${new Date().toISOString()} ${line}\n`);
        options.onLine?.(line);
      },
    });
  } catch (err) {
    watch.stop();
    throw new Error(
      `scenario ${name} did not produce a report (evidence in ${outDir}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return { outDir, lines, result, report: result.report, started: watch.stop() };
}

/** The verdict, the figures that decide it and what is missing: the message of a failed assertion. */
export function explain(run: { outDir: string; report: Report }): string {
  const r = run.report;
  return [
    `evidence in ${run.outDir}`,
    `verdict ${r.verdict.answer} ${JSON.stringify(r.verdict.perPushArm)}: ${r.verdict.sentence}`,
    ...r.verdict.evidence.map((e) => `  ${e}`),
    `missing: ${JSON.stringify(r.run.missing)}`,
  ].join('\n');
}

/**
 * Registers, in the calling `describe`, hooks that delete the run's output directory once every test
 * passed, and otherwise keep it and print where it is (failing tests leave evidence).
 */
export function keepEvidenceOnFailure(outDir: () => string | undefined): void {
  let passed = true;
  afterEach((t) => {
    passed &&= 'passed' in t ? t.passed : true;
  });
  after(() => {
    const dir = outDir();
    if (!dir) return;
    if (passed && process.env.PUSHPULL_KEEP_SCENARIOS !== '1') rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`scenario output kept in ${dir}\n`);
  });
}
