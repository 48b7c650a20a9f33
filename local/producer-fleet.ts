/**
 * The producer processes of a local rehearsal: one `pushpull producer` child per process of each arm's
 * fleet, started under the run's Supervisor, armed with one startAt over their rig endpoints, polled
 * for their ledgers (and the statsd producers' send slots), and stopped with SIGTERM so each drains and
 * writes its final ledger. Called by local/rehearsal.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArmName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { type LedgerDocument, type LedgerTotals, sumLedgerTotals } from '../loadgen/ledger.ts';
import { mergeSlots, type SlotBook } from '../loadgen/send-slots.ts';
import { inNamespace, type NetTopology } from '../netfault/plan.ts';
import { settleStarts } from '../process/settle-starts.ts';
import type { ChildHandle, StartSpec, Supervisor } from '../process/supervisor.ts';
import { fleetPlan } from '../schedule/fleet.ts';
import { joinCgroupAtStart } from './cgroups.ts';
import type { CollectorEndpoints } from './collectors.ts';
import type { PullTarget } from './render-prometheus.ts';

const HOST = '127.0.0.1';
const PUSHPULL_BIN = new URL('../bin/pushpull.js', import.meta.url).pathname;

/** One running producer process. */
export interface ProducerProcess {
  arm: ArmName;
  index: number;
  /** `arm/index`, as progress and the report name it. */
  name: string;
  child: ChildHandle;
  rigUrl: string;
  producers: string[];
  metricsPort: number | null;
  /** Where the subject Prometheus scrapes it (loopback, or its end of the arm's path). */
  targetHost: string;
  ledgerFile: string;
  /** The latest ledger read from its rig endpoint (null until the first poll succeeds). */
  lastLedger: LedgerDocument | null;
}

export interface StartFleetOptions {
  spec: ExperimentSpec;
  /** The spec file the producers read (the run's own copy). */
  specFile: string;
  outDir: string;
  supervisor: Supervisor;
  endpoints: CollectorEndpoints;
  onProgress?: (line: string) => void;
  /** The `cgroup.procs` files each arm's producers join before they exec (their CPU is measured there). */
  cgroupProcsFiles?: (arm: ArmName) => readonly string[] | undefined;
  /** Each arm's producers in the arm's own network namespace (netfault/); unset: loopback. */
  network?: { topology: NetTopology; ipPath: string };
}

/** Where an arm's producers bind and are reached: loopback, or the arm's namespace's two ends. */
function armHosts(arm: ArmName, network: StartFleetOptions['network']) {
  const a = network?.topology.arms[arm];
  return a
    ? { rig: a.rigAddress, target: a.pathAddress, collector: a.collectorAddress, ns: a.ns }
    : { rig: HOST, target: HOST, collector: null, ns: null };
}

function armArgs(
  arm: ArmName,
  spec: ExperimentSpec,
  endpoints: CollectorEndpoints,
  hosts: ReturnType<typeof armHosts>,
): string[] {
  if (arm === 'statsd') {
    if (!endpoints.statsd) throw new Error('the statsd arm needs statsd_exporter, which did not start');
    return ['--statsd', `${hosts.collector ?? endpoints.statsd.udpHost}:${endpoints.statsd.udpPort}`];
  }
  if (arm === 'otlp') {
    if (!endpoints.otlp) throw new Error('the otlp arm needs otelcol, which did not start');
    const http = spec.arms.otlp?.protocol === 'http';
    const base = http ? new URL(endpoints.otlp.httpUrl) : new URL(`http://${endpoints.otlp.grpcEndpoint}`);
    if (hosts.collector) base.hostname = hosts.collector;
    return ['--otlp-endpoint', base.origin];
  }
  return ['--metrics-listen', `${hosts.target}:0`];
}

/**
 * Starts every producer process of every arm and resolves when all printed their ready line. When the
 * run is stopping (`supervisor.stopping`), starts in flight stop and the rest are refused: it rejects
 * with the supervisor's `StartAbortedError` once every start has settled. One producer failing to start
 * stops the others' starts too (a partial fleet cannot run the experiment) and its error is thrown.
 */
export async function startProducerFleet(options: StartFleetOptions): Promise<ProducerProcess[]> {
  const { spec, outDir, supervisor, endpoints } = options;
  const plan = fleetPlan(spec);
  const arms = (['pull', 'statsd', 'otlp'] as const).filter((a) => spec.arms[a] !== undefined);
  const starts: Promise<ProducerProcess>[] = [];
  for (const arm of arms) {
    for (let index = 0; index < plan.processes; index++) {
      const name = `${arm}/${index}`;
      const ledgerFile = join(outDir, 'ledgers', `${arm}-${index}.final.json`);
      const procs = options.cgroupProcsFiles?.(arm) ?? [];
      const hosts = armHosts(arm, options.network);
      const place = <T extends Pick<StartSpec, 'command' | 'args'>>(spec: T): T => {
        // The namespace inside the cgroup: `ip netns exec` remounts /sys, so the join must come first.
        const netted =
          hosts.ns && options.network ? inNamespace(spec, hosts.ns, options.network.ipPath) : spec;
        return procs.length > 0 ? joinCgroupAtStart(netted, procs) : netted;
      };
      starts.push(
        supervisor
          .start(
            place({
              name: `producer-${arm}-${index}`,
              command: process.execPath,
              args: [
                PUSHPULL_BIN,
                'producer',
                '--spec',
                options.specFile,
                '--arm',
                arm,
                '--process-index',
                String(index),
                '--rig-listen',
                `${hosts.rig}:0`,
                '--ledger-out',
                ledgerFile,
                ...armArgs(arm, spec, endpoints, hosts),
              ],
              logFile: join(outDir, 'logs', `producer-${arm}-${index}.log`),
              ready: { kind: 'stdout-json', match: (line) => line.event === 'ready' },
              readyTimeoutMs: 60_000,
            }),
          )
          .then((child) => {
            const ready = child.readyLine ?? {};
            options.onProgress?.(`producer ${name} ready (pid ${child.pid})`);
            return {
              arm,
              index,
              name,
              child,
              rigUrl: `http://${hosts.rig}:${Number(ready.rigPort)}`,
              targetHost: hosts.target,
              producers: Array.isArray(ready.producers) ? ready.producers.map(String) : [],
              metricsPort: typeof ready.metricsPort === 'number' ? ready.metricsPort : null,
              ledgerFile,
              lastLedger: null,
            };
          }),
      );
    }
  }
  return settleStarts(supervisor, starts);
}

/** The pull targets the fleet serves, for the subject Prometheus. */
export function pullTargetsOf(fleet: readonly ProducerProcess[]): PullTarget[] {
  return fleet
    .filter((p) => p.arm === 'pull' && p.metricsPort !== null)
    .flatMap((p) =>
      p.producers.map((producerId) => ({ producerId, address: `${p.targetHost}:${p.metricsPort}` })),
    );
}

/** Arms every producer with one startAt (POST /start); throws naming the producer that refused. */
export async function armFleet(fleet: readonly ProducerProcess[], startAtIso: string): Promise<void> {
  await Promise.all(
    fleet.map(async (p) => {
      const res = await fetch(`${p.rigUrl}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ startAt: startAtIso }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok)
        throw new Error(
          `producer ${p.name} refused startAt ${startAtIso}: HTTP ${res.status} ${await res.text()}`,
        );
    }),
  );
}

/** Tells a producer to block its event loop for `seconds` (a game day's hang); throws naming it. */
export async function hangProducer(p: ProducerProcess, seconds: number): Promise<void> {
  const res = await fetch(`${p.rigUrl}/hang`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds: Math.max(0.1, Math.min(86_400, seconds)) }),
    signal: AbortSignal.timeout(5000),
  });
  if (res.status !== 202)
    throw new Error(`producer ${p.name} refused to hang: HTTP ${res.status} ${await res.text()}`);
}

/** Polls every running producer's ledger once; a producer that does not answer keeps its last ledger. */
export async function pollLedgers(fleet: readonly ProducerProcess[]): Promise<void> {
  await Promise.all(
    fleet
      .filter((p) => p.child.isRunning())
      .map(async (p) => {
        try {
          const res = await fetch(`${p.rigUrl}/ledger`, { signal: AbortSignal.timeout(2000) });
          if (res.ok) p.lastLedger = (await res.json()) as LedgerDocument;
        } catch {
          // A busy or dying producer: its last ledger stands; a death is reported by the supervisor.
        }
      }),
  );
}

/**
 * Merges the send slots of every polled statsd ledger into `book`, keyed by process name. The rings hold
 * a minute or more and are read every second, so the book ends up with every slot of the run.
 */
export function mergePolledSlots(book: SlotBook, fleet: readonly ProducerProcess[]): void {
  for (const p of fleet) {
    const slots = p.arm === 'statsd' ? p.lastLedger?.sentPer100ms : null;
    if (slots) mergeSlots(book, p.name, slots.slots);
  }
}

/** The arm's totals over the latest polled ledgers. */
export function armTotalsNow(fleet: readonly ProducerProcess[], arm: ArmName): LedgerTotals | null {
  const ledgers = fleet.filter((p) => p.arm === arm).map((p) => p.lastLedger);
  if (ledgers.length === 0 || ledgers.some((l) => l === null)) return null;
  return sumLedgerTotals(ledgers.map((l) => (l as LedgerDocument).totals));
}

/**
 * SIGTERMs every producer (each drains, writes its final ledger and exits) and reads the final
 * ledgers. A producer without one (it died, or was killed) maps to null and `missing` says what is
 * lost: its last polled ledger is only a lower bound, and the books must not pass it off as final.
 */
export async function stopFleet(
  supervisor: Supervisor,
  fleet: readonly ProducerProcess[],
): Promise<{ finals: Map<ProducerProcess, LedgerDocument | null>; missing: string[] }> {
  await Promise.all(fleet.map((p) => supervisor.stop(p.child)));
  const finals = new Map<ProducerProcess, LedgerDocument | null>();
  const missing: string[] = [];
  for (const p of fleet) {
    let doc: LedgerDocument | null = null;
    try {
      doc = JSON.parse(readFileSync(p.ledgerFile, 'utf8')) as LedgerDocument;
    } catch {
      // No file (or a torn one): the producer never got to write it.
    }
    if (doc?.final) {
      finals.set(p, doc);
      continue;
    }
    finals.set(p, null);
    missing.push(
      p.lastLedger
        ? `producer ${p.name} wrote no final ledger, so the ${p.arm} arm's ledger totals are unknown; its last poll (${p.lastLedger.writtenAt}) is in ledgers/polls.jsonl`
        : `producer ${p.name} wrote no final ledger and was never polled, so the ${p.arm} arm's ledger totals are unknown`,
    );
  }
  return { finals, missing };
}
