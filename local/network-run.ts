/**
 * The local rehearsal's network faults: which layout runs (the run's own namespaces when the spec has
 * network faults, or `--network namespaces` asks; loopback otherwise, or where namespaces cannot be
 * made, saying why), the preflight that refuses a fault the kernel cannot make, and the faults'
 * edges on the run — each start and heal with a snapshot of the arm's producers and the collectors,
 * so the report can say who knew. Called by local/rehearsal.ts; the ip/nft/tc work is netfault/edge.ts.
 */
import type { ArmName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import {
  dueNetworkEdges,
  edgeKey,
  nextNetworkEdgeAtMs,
  type PlannedNetworkFault,
} from '../driver/network-faults.ts';
import { UsageError } from '../errors/usage-error.ts';
import type { LedgerDocument } from '../loadgen/ledger.ts';
import type { CollectorCounters } from '../measure/collect.ts';
import type { Reading } from '../measure/inputs.ts';
import type { ProducerSnapshot, RawNetwork, RawNetworkFault } from '../measure/network.ts';
import {
  IP,
  openNetwork,
  probeFacilities,
  type RunNetwork,
  removeStaleNamespaces,
} from '../netfault/edge.ts';
import { refusals } from '../netfault/plan.ts';

/** Which layout a run asked for: `auto` is namespaces exactly when the spec has network faults. */
export type NetworkLayoutChoice = 'auto' | 'namespaces' | 'loopback';

/** The decided layout, before anything starts. */
export interface NetworkDecision {
  layout: RawNetwork['layout'];
  reason: string;
}

/**
 * Decides the layout and refuses (UsageError, before anything starts) a network fault this kernel
 * cannot make, naming the field, the reason and what is allowed.
 */
export async function decideNetwork(
  spec: ExperimentSpec,
  choice: NetworkLayoutChoice,
): Promise<NetworkDecision> {
  const faults = spec.networkFaults ?? [];
  if (choice === 'loopback' || (choice === 'auto' && faults.length === 0)) {
    return {
      layout: 'loopback',
      reason:
        faults.length > 0
          ? 'the loopback layout was asked for (--network loopback), so the network faults were not applied'
          : 'the spec has no network faults, so everything ran on loopback as usual',
    };
  }
  const can = await probeFacilities();
  if (!can.namespaces.ok) {
    return {
      layout: 'loopback',
      reason: `network namespaces cannot be made here (${can.namespaces.reason}), so the run kept the loopback layout and no network fault was applied`,
    };
  }
  const refused = refusals(faults, can);
  if ((spec.jobs?.length ?? 0) > 0) {
    // The short-lived jobs run on the host's loopback; in the namespace layout the collectors live in
    // their own namespace, out of the jobs' reach.
    refused.push(
      'spec.jobs: short-lived jobs cannot run in the namespace layout (they reach the collectors on loopback); allowed: spec.jobs or spec.networkFaults / --network namespaces, in separate experiments',
    );
  }
  if (refused.length > 0) throw new UsageError(`${refused.join('; ')}; nothing was started`);
  return {
    layout: 'namespaces',
    reason:
      faults.length > 0
        ? "spec.networkFaults needs a path to put faults on: each arm's producers ran in their own network namespace, joined to the collectors' namespace by a veth pair"
        : "the namespace layout was asked for (--network namespaces): each arm's producers ran in their own network namespace, joined to the collectors' namespace by a veth pair",
  };
}

/** Opens the run's network (after sweeping namespaces of crashed runs). */
export async function openRunNetwork(
  arms: readonly ArmName[],
  log: (line: string) => void,
): Promise<RunNetwork> {
  for (const ns of await removeStaleNamespaces())
    log(`removed the network namespace of a crashed run: ${ns}`);
  const net = await openNetwork(arms);
  log(
    `network: namespaces ${[net.topology.collectorsNs, ...Object.values(net.topology.arms).map((a) => a.ns)].join(', ')} on ${net.topology.subnet}.0/24`,
  );
  return net;
}

export { IP as IP_PATH };

/** The arm's producers summed over their latest ledgers. */
export function snapshotProducers(ledgers: readonly (LedgerDocument | null)[]): ProducerSnapshot | null {
  if (ledgers.length === 0 || ledgers.some((l) => l === null)) return null;
  const docs = ledgers as LedgerDocument[];
  const sum = (
    k: 'sendErrors' | 'exportsFailed' | 'exportsOk' | 'pointsExported' | 'datagramsSent' | 'scrapesServed',
  ) => docs.reduce((s, d) => s + d.totals[k], 0);
  const retries = docs.some((d) => d.arm === 'otlp' && d.exportRetries === null)
    ? null
    : docs.reduce((s, d) => s + (d.exportRetries ?? 0), 0);
  return {
    sendErrors: sum('sendErrors'),
    exportsFailed: sum('exportsFailed'),
    exportsOk: sum('exportsOk'),
    pointsExported: sum('pointsExported'),
    datagramsSent: sum('datagramsSent'),
    scrapesServed: sum('scrapesServed'),
    retries,
  };
}

/** What the fault driver needs from the rehearsal at each edge. */
export interface EdgeIo {
  /** Polls the arm's producers and returns their latest ledgers. */
  pollArm(arm: ArmName): Promise<(LedgerDocument | null)[]>;
  readCollectors(): Promise<CollectorCounters>;
  now(): number;
  log(line: string): void;
  statsdUdpPort: number | null;
}

/** The network faults of one run: applies their edges when due and keeps what each side showed. */
export class NetworkFaultDriver {
  readonly faults = new Map<number, RawNetworkFault>();
  private readonly done = new Set<string>();
  private readonly net: RunNetwork;
  private readonly planned: PlannedNetworkFault[];
  constructor(net: RunNetwork, planned: PlannedNetworkFault[]) {
    this.net = net;
    this.planned = planned;
  }

  /** When the next edge is due (ms), if any. */
  nextAtMs(): number | null {
    return nextNetworkEdgeAtMs(this.planned, this.done);
  }

  /**
   * Applies every edge due now; `force` heals every started fault (the cut-off). The window's snapshots
   * are taken inside it: after the rule is on, and before it comes off, so whatever the collector
   * counted between them came through the fault.
   */
  async applyDue(io: EdgeIo, force = false): Promise<void> {
    for (const e of dueNetworkEdges(this.planned, this.done, io.now(), force)) {
      this.done.add(edgeKey(e));
      const p = this.planned.find((x) => x.index === e.index)!;
      const arm = p.fault.arm;
      const snapshot = async () => ({
        producers: snapshotProducers(await io.pollArm(arm)),
        collector: await io.readCollectors(),
      });
      if (e.edge === 'start') {
        const raw: RawNetworkFault = {
          index: p.index,
          fault: p.fault,
          startedMs: null,
          healedMs: null,
          dropped: { value: null, source: 'nft/tc', missing: 'not read yet' },
          droppedToCollector: { value: null, source: 'nft', missing: 'not read yet' },
          producersAtStart: null,
          producersAtHeal: null,
          collectorAtStart: null,
          collectorAtHeal: null,
          collectorAtCutOff: null,
        };
        this.faults.set(p.index, raw);
        try {
          const match = io.statsdUdpPort === null ? {} : { statsdUdpPort: io.statsdUdpPort };
          await this.net.applyFault(p.index, p.fault, match);
          raw.startedMs = io.now();
          io.log(
            `network fault ${p.index}: ${p.fault.kind} on the ${arm} path (${p.fault.direction ?? 'both'})`,
          );
        } catch (err) {
          raw.missing = `it could not be put on the path: ${(err as Error).message}`;
          this.done.add(edgeKey({ index: p.index, edge: 'heal' }));
          io.log(`network fault ${p.index} not applied: ${raw.missing}`);
          continue;
        }
        const at = await snapshot();
        raw.producersAtStart = at.producers;
        raw.collectorAtStart = at.collector;
      } else {
        const raw = this.faults.get(p.index)!;
        const at = await snapshot();
        raw.producersAtHeal = at.producers;
        raw.collectorAtHeal = at.collector;
        try {
          await this.net.healFault(p.index, p.fault);
          raw.healedMs = io.now();
          io.log(`network fault ${p.index} healed: the ${arm} path is whole again`);
        } catch (err) {
          raw.missing = `it could not be taken off the path: ${(err as Error).message}`;
        }
      }
    }
  }

  /** Reads every rule's counter and the collectors at the cut-off; the raw input of the report. */
  async finish(
    decision: NetworkDecision,
    atCutOff: CollectorCounters | null,
    up: (raw: RawNetworkFault) => Promise<RawNetworkFault['up']>,
  ): Promise<RawNetwork> {
    for (const raw of this.faults.values()) {
      raw.collectorAtCutOff = atCutOff;
      if (raw.startedMs === null) continue;
      const read = await this.net.readDropped(raw.index, raw.fault).then(
        (d) => d,
        (err: Error) => err,
      );
      if (read instanceof Error) {
        raw.dropped = { value: null, source: 'nft/tc counters', missing: read.message };
        raw.droppedToCollector = raw.dropped;
      } else {
        raw.dropped = { value: read.packets, source: read.source };
        const to = read.legs.find((l) => l.direction === 'to-collector');
        raw.droppedToCollector = to
          ? { value: to.packets, source: to.source }
          : { value: 0, source: `${read.source} (no to-collector leg)` };
      }
      if (raw.fault.arm === 'pull') {
        const u = await up(raw);
        if (u) raw.up = u;
      }
    }
    const planned: RawNetworkFault[] = this.planned.map(
      (p) =>
        this.faults.get(p.index) ?? {
          index: p.index,
          fault: p.fault,
          startedMs: null,
          healedMs: null,
          dropped: notApplied,
          droppedToCollector: notApplied,
          producersAtStart: null,
          producersAtHeal: null,
          collectorAtStart: null,
          collectorAtHeal: null,
          collectorAtCutOff: atCutOff,
          missing: 'the run ended before it was due',
        },
    );
    return { ...decision, faults: planned.sort((a, b) => a.index - b.index) };
  }
}

const notApplied: Reading<number> = {
  value: null,
  source: 'nft/tc counters',
  missing: 'the fault was not applied',
};

/** The report's network input for a run whose faults did not run (loopback), each fault said so. */
export function notRun(spec: ExperimentSpec, decision: NetworkDecision): RawNetwork {
  return {
    ...decision,
    faults: (spec.networkFaults ?? []).map((fault, index) => ({
      index,
      fault,
      startedMs: null,
      healedMs: null,
      dropped: notApplied,
      droppedToCollector: notApplied,
      producersAtStart: null,
      producersAtHeal: null,
      collectorAtStart: null,
      collectorAtHeal: null,
      collectorAtCutOff: null,
      missing: decision.reason,
    })),
  };
}
