/**
 * What a run's verdict answers for: the scale it ran at, the fleet that stands for, where it ran, and
 * how to rehearse closer to production. A "the same" from 14 producers at 1% scale on one machine is
 * an answer about that size, not about the real fleet; the verdict is never shown without this. Pure;
 * report.md, report.html's banner and `pushpull run` print it right after the verdict sentence.
 */
import { scaledProducers } from '../api/v1alpha1/derived.ts';
import { formatBytes, formatNumber, formatPercent } from './format.ts';
import type { Report } from './types.ts';

/** The example that rehearses the whole fleet (scale 1); it needs a cluster. */
export const FULL_SCALE_EXAMPLE = 'examples/market-open.yaml';

/** One or two sentences: the run's scale, the fleet it stood for, where it ran, and the way closer to production. */
export function verdictScope(report: Pick<Report, 'experiment' | 'machine'>): string {
  const spec = report.experiment.spec;
  const peak = Math.max(0, ...spec.load.phases.map((p) => p.eventsPerSecond));
  const fleet = `${formatNumber(spec.fleet.producers)} producers per arm at ${formatNumber(peak)} events/s`;
  const full = spec.scale >= 1;
  const size = full
    ? `at full scale: ${fleet}`
    : `at scale ${formatNumber(spec.scale, 4)} (${formatPercent(spec.scale)}): ${formatNumber(scaledProducers(spec))} producers per arm at ${formatNumber(Math.round(peak * spec.scale))} events/s at peak, standing for a fleet of ${fleet}`;
  const m = report.machine;
  const where =
    report.experiment.runtime === 'kubernetes'
      ? `in a Kubernetes cluster${report.experiment.namespace ? ` (namespace ${report.experiment.namespace})` : ''}`
      : `on one machine (${m.hostname}: ${formatNumber(m.cpus)} CPUs, ${formatBytes(m.memoryBytes)})`;
  const closer = full
    ? report.experiment.runtime === 'kubernetes'
      ? ''
      : ' To rehearse closer to production, apply the same spec in a cluster sized like production (with the operator: kubectl apply -f SPEC).'
    : ` It answers for that size, not for the fleet: to rehearse closer to production, raise the spec's scale as far as the machine allows, or run ${FULL_SCALE_EXAMPLE} (scale 1) in a cluster.`;
  return `Rehearsed ${size}, ${where}.${closer}`;
}
