/**
 * The collectors' use in a cluster, from the rig Prometheus: the kubelet's cAdvisor series of each
 * collector container (relayed by the operator, job `rig_cadvisor`) give CPU, CFS throttling and the
 * memory peak; the pods' container statuses give restarts and OOM kills (cAdvisor's own OOM counter
 * is added where the kubelet serves it). Into the same raw shape the local cgroups fill
 * (measure/inputs.ts `RawCollectorResources`), each figure with its PromQL, or missing with the reason.
 * Called by operator/collect/collect-report.ts.
 */
import { collectorsUnderTest } from '../api/v1alpha1/derived.ts';
import type { CollectorName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { CollectorResources, Figure } from '../report/types.ts';
import type { RawCollectorResources, ResourceUse } from './inputs.ts';
import type { PromClient } from './prom-api.ts';
import {
  cadvisorSelectors,
  containerPeakQuery,
  containerTotalQuery,
  type QueryScope,
  type QueryWindow,
  rangeOf,
} from './queries.ts';

/** What the pods' statuses say of one collector's container, summed over its pods. */
export interface CollectorStatusFacts {
  collector: CollectorName;
  restarts: number;
  /** When a run of it ended OOMKilled (ISO; '' when the status had no time). */
  oomKilledAt: string[];
}

export interface CollectorUseFromRigOptions {
  rig: PromClient;
  scope: QueryScope;
  spec: ExperimentSpec;
  /** From the fleet's start (the collectors started with it, so their counters from 0) to the cut-off. */
  window: QueryWindow;
  /** Each collector's limits as its container had them. */
  limits(collector: CollectorName): RawCollectorResources['limits'];
  /** The collector pods' statuses at collection; a collector without an entry had no pod. */
  statuses: readonly CollectorStatusFacts[];
  /** Why the rig scraped no kubelet at all, when the runtime knows (the relay is off). */
  notScraped?: string;
  /** The phases on the wall clock: each gets its own figures where the series exist. */
  phases?: ReadonlyArray<{ name: string; startMs: number; endMs: number }>;
}

type PhaseUse = NonNullable<CollectorResources['phases']>[number];
const COUNTERS = ['cpuSeconds', 'periods', 'throttledPeriods', 'throttledSeconds'] as const;
const PHASE_FIELD = {
  cpuSeconds: 'cpuUsedSeconds',
  periods: 'periods',
  throttledPeriods: 'throttledPeriods',
  throttledSeconds: 'throttledSeconds',
} as const;

/** One collector's use within each phase: counters' growth over the phase, the working set's peak in it. */
async function phaseUse(
  o: CollectorUseFromRigOptions,
  q: ReturnType<typeof cadvisorSelectors>,
  counters: Record<(typeof COUNTERS)[number], string>,
): Promise<PhaseUse[]> {
  const out: PhaseUse[] = [];
  for (const p of o.phases ?? []) {
    const start = p.startMs / 1000;
    const end = Math.min(p.endMs / 1000, o.window.at);
    const total = (selector: string, t: number) =>
      containerTotalQuery(selector, { from: o.window.from, at: t });
    const figures: Partial<PhaseUse> = {};
    for (const field of COUNTERS) {
      const unit = field === 'cpuSeconds' || field === 'throttledSeconds' ? 'seconds' : 'count';
      const [a, b] = [total(counters[field], end), total(counters[field], start)];
      const source = `PromQL ${a} at ${new Date(end * 1000).toISOString()} − ${b} at ${new Date(p.startMs).toISOString()}`;
      let figure: Figure;
      try {
        const [to, from] = [await scalar(o.rig, a, end), await scalar(o.rig, b, start)];
        figure =
          from === null
            ? {
                value: null,
                unit,
                source,
                missing:
                  'the kubelet had no cAdvisor sample of the container yet at the phase’s start (it reports a new container after its housekeeping)',
              }
            : to === null
              ? { value: null, unit, source, missing: 'no cAdvisor sample by the phase’s end' }
              : { value: Math.max(0, to - from), unit, source };
      } catch (err) {
        figure = { value: null, unit, source, missing: message(err) };
      }
      figures[PHASE_FIELD[field]] = figure;
    }
    const peak = containerPeakQuery(q.workingSet, { from: start, at: end });
    const source = `PromQL ${peak} at ${new Date(end * 1000).toISOString()} (the working set as sampled in the phase)`;
    try {
      const v = await scalar(o.rig, peak, end);
      figures.memoryPeakBytes =
        v === null
          ? { value: null, unit: 'bytes', source, missing: 'no cAdvisor sample in the phase' }
          : { value: v, unit: 'bytes', source };
    } catch (err) {
      figures.memoryPeakBytes = { value: null, unit: 'bytes', source, missing: message(err) };
    }
    out.push({ phase: p.name, ...(figures as Omit<PhaseUse, 'phase'>) });
  }
  return out;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** One number of a query at `at`, or null when it returned nothing. */
async function scalar(rig: PromClient, query: string, at: number): Promise<number | null> {
  const r = await rig.query(query, at);
  return r[0]?.samples[0]?.[1] ?? null;
}

/** Why a collector has no cAdvisor series, from what the relay said of each node's kubelet. */
async function whyNoSeries(o: CollectorUseFromRigOptions, selector: string): Promise<string> {
  if (o.notScraped) return o.notScraped;
  try {
    const nodes = await o.rig.query(`last_over_time(${selector}[${rangeOf(o.window)}])`, o.window.at);
    const failed = nodes.filter((n) => (n.samples[0]?.[1] ?? 0) === 0);
    if (failed.length > 0) {
      return failed
        .map((n) => `the kubelet of node ${n.labels.node} did not answer the relay: ${n.labels.error}`)
        .join('; ');
    }
    if (nodes.length > 0) {
      return `the kubelet of node ${nodes.map((n) => n.labels.node).join(', ')} serves no cAdvisor series of this container (a kwok node runs none; a kubelet whose cAdvisor cannot reach the container runtime labels none)`;
    }
    return "the rig Prometheus holds no sample of the operator's kubelet relay (job rig_cadvisor)";
  } catch (err) {
    return message(err);
  }
}

/** The raw resources of each collector under test, read from the rig Prometheus and the pods' statuses. */
export async function collectorUseFromRig(o: CollectorUseFromRigOptions): Promise<RawCollectorResources[]> {
  const at = new Date(o.window.at * 1000).toISOString();
  const out: RawCollectorResources[] = [];
  for (const [collector, arm] of collectorsUnderTest(o.spec)) {
    const q = cadvisorSelectors(o.scope, collector);
    const status = o.statuses.find((s) => s.collector === collector);
    const queries: Record<Exclude<keyof ResourceUse, 'oomKills'>, string> = {
      cpuSeconds: containerTotalQuery(q.cpu, o.window),
      periods: containerTotalQuery(q.periods, o.window),
      throttledPeriods: containerTotalQuery(q.throttledPeriods, o.window),
      throttledSeconds: containerTotalQuery(q.throttledSeconds, o.window),
      memoryPeakBytes: containerPeakQuery(q.memoryMaxUsage, o.window),
    };
    const describe: Partial<Record<keyof ResourceUse, string>> = {};
    const whyMissing: Partial<Record<keyof ResourceUse, string>> = {};
    const use: ResourceUse = {
      cpuSeconds: null,
      periods: null,
      throttledPeriods: null,
      throttledSeconds: null,
      memoryPeakBytes: null,
      oomKills: null,
    };
    const errors: string[] = [];
    for (const [field, query] of Object.entries(queries) as [keyof typeof queries, string][]) {
      describe[field] = `PromQL ${query} at ${at}`;
      try {
        use[field] = o.notScraped ? null : await scalar(o.rig, query, o.window.at);
      } catch (err) {
        errors.push(message(err));
        whyMissing[field] = message(err);
      }
    }
    if (use.memoryPeakBytes === null && !o.notScraped && !whyMissing.memoryPeakBytes) {
      // cAdvisor on cgroup v2 may lack max_usage: the sampled working set is the best it gives then.
      const query = containerPeakQuery(q.workingSet, o.window);
      try {
        const peak = await scalar(o.rig, query, o.window.at);
        if (peak !== null) {
          use.memoryPeakBytes = peak;
          describe.memoryPeakBytes = `PromQL ${query} at ${at} (the working set as sampled: no max_usage series)`;
        }
      } catch (err) {
        whyMissing.memoryPeakBytes = message(err);
      }
    }
    const noSeries =
      use.cpuSeconds === null && errors.length === 0 ? await whyNoSeries(o, q.kubeletUp) : undefined;
    for (const field of Object.keys(queries) as (keyof typeof queries)[]) {
      if (use[field] !== null || whyMissing[field]) continue;
      const cfs = field === 'periods' || field === 'throttledPeriods' || field === 'throttledSeconds';
      whyMissing[field] =
        noSeries ??
        (cfs
          ? 'cAdvisor exports CFS periods only for a container with a CPU limit'
          : 'the rig Prometheus holds no sample of it');
    }
    // OOM kills: the pods' statuses (an OOM-killed container is restarted, its old series gone) and
    // cAdvisor's counter where the kubelet has it; the larger is the lower bound on what happened.
    const oomQuery = containerTotalQuery(q.oomEvents, o.window);
    let oomSeries: number | null = null;
    if (!o.notScraped) {
      try {
        oomSeries = await scalar(o.rig, oomQuery, o.window.at);
      } catch {
        oomSeries = null;
      }
    }
    const oomStatus = status ? status.oomKilledAt.length : null;
    use.oomKills = oomSeries === null && oomStatus === null ? null : Math.max(oomSeries ?? 0, oomStatus ?? 0);
    describe.oomKills = `the pods' container statuses (reason OOMKilled) and PromQL ${oomQuery} at ${at}`;
    if (use.oomKills === null) whyMissing.oomKills = 'no pod of this collector was found at collection time';
    const exitedAt = status?.oomKilledAt.find((t) => t !== '');
    const phases =
      use.cpuSeconds !== null && o.phases && o.phases.length > 0
        ? await phaseUse(o, q, {
            cpuSeconds: q.cpu,
            periods: q.periods,
            throttledPeriods: q.throttledPeriods,
            throttledSeconds: q.throttledSeconds,
          })
        : undefined;
    out.push({
      collector,
      arm,
      limits: o.limits(collector),
      use,
      source: `the kubelet's cAdvisor via the rig Prometheus (${o.rig.source})`,
      describe,
      whyMissing,
      restarts: status ? status.restarts : null,
      restartsSource: 'the pods’ container statuses (restartCount)',
      ...(exitedAt ? { exitedAt } : {}),
      ...(phases ? { phases } : {}),
    });
  }
  return out;
}
