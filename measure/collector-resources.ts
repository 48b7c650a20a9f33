/**
 * The collectors' resources in report.json: each collector's budget and what it used (CPU, throttling,
 * memory peak, OOM kills, restarts) as figures with their source, and an OOM kill as a failure signal of
 * the collector's arm. Pure; measure/assemble.ts calls it for both runtimes (the local one reads cgroups,
 * a runtime that reads nothing leaves the section out).
 */
import { collectorBudget, collectorsUnderTest } from '../api/v1alpha1/derived.ts';
import type { ArmName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { CollectorResources, Figure } from '../report/types.ts';
import type { RawCollectorResources, ResourceUse } from './inputs.ts';

/** An OOM kill to put on the timeline: `atSeconds` unix seconds (the exit, else the cut-off). */
export interface OomSignal {
  arm: ArmName;
  atSeconds: number;
  detail: string;
  source: string;
}

function useFigure(
  raw: RawCollectorResources,
  field: keyof ResourceUse,
  unit: Figure['unit'],
  file: string,
): Figure {
  const what = raw.describe?.[field] ?? file;
  const source = `${raw.source}: ${what}`;
  if (raw.use === null) return { value: null, unit, source, missing: raw.missing ?? 'not read' };
  const value = raw.use[field];
  if (value !== null) return { value, unit, source };
  return { value, unit, source, missing: raw.whyMissing?.[field] ?? `${what} unreadable` };
}

/** Every collector under test with its budget and no reading: a runtime that cannot read them says why. */
export function unreadCollectorResources(spec: ExperimentSpec, reason: string): RawCollectorResources[] {
  return collectorsUnderTest(spec).map(([collector, arm]) => ({
    collector,
    arm,
    limits: collectorBudget(spec, collector),
    use: null,
    source: 'the runtime',
    missing: reason,
    restarts: null,
  }));
}

/** The report section and the OOM signals of the collectors' raw readings. */
export function assembleCollectorResources(
  raws: readonly RawCollectorResources[],
  cutoffSeconds: number,
): { collectors: CollectorResources[]; oomSignals: OomSignal[] } {
  const oomSignals: OomSignal[] = [];
  const collectors = raws.map((raw): CollectorResources => {
    const oomKills = useFigure(
      raw,
      'oomKills',
      'count',
      'OOM kills (memory.oom_control / memory.events oom_kill)',
    );
    if (oomKills.value !== null && oomKills.value > 0) {
      const limit =
        raw.limits.memoryBytes === null
          ? 'no memory limit'
          : `a ${raw.limits.memoryBytes / 2 ** 20} MiB limit`;
      oomSignals.push({
        arm: raw.arm,
        atSeconds: raw.exitedAt ? Date.parse(raw.exitedAt) / 1000 : cutoffSeconds,
        detail: `${raw.collector} was OOM-killed ${oomKills.value} time(s) under ${limit}${raw.exitedAt ? '' : ' (by the cut-off; the instant is unknown)'}`,
        source: oomKills.source,
      });
    }
    return {
      collector: raw.collector,
      arm: raw.arm,
      limits: raw.limits,
      cpuUsedSeconds: useFigure(
        raw,
        'cpuSeconds',
        'seconds',
        'CPU time (cpuacct.usage / cpu.stat usage_usec, cut-off − baseline)',
      ),
      throttledPeriods: useFigure(
        raw,
        'throttledPeriods',
        'count',
        'cpu.stat nr_throttled (cut-off − baseline)',
      ),
      periods: useFigure(raw, 'periods', 'count', 'cpu.stat nr_periods (cut-off − baseline)'),
      throttledSeconds: useFigure(
        raw,
        'throttledSeconds',
        'seconds',
        'cpu.stat throttled time (cut-off − baseline)',
      ),
      memoryPeakBytes: useFigure(
        raw,
        'memoryPeakBytes',
        'bytes',
        'memory peak since start (memory.max_usage_in_bytes / memory.peak)',
      ),
      oomKills,
      restarts:
        raw.restarts === null
          ? {
              value: null,
              unit: 'count',
              source: raw.restartsSource ?? 'the runtime',
              missing: 'restarts not read',
            }
          : { value: raw.restarts, unit: 'count', source: raw.restartsSource ?? 'the runtime' },
      ...(raw.phases ? { phases: raw.phases } : {}),
    };
  });
  return { collectors, oomSignals };
}
