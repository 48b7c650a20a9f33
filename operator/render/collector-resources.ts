/**
 * Requests and limits of the collectors under test in a cluster, from spec.collectors: a budgeted
 * collector gets requests = limits = its budget (Guaranteed QoS, the same hard limits the local runtime
 * puts in a cgroup), an unbudgeted one the operator's defaults (pod-security.ts). otelcol's memory_limiter
 * and GOMEMLIMIT follow its memory budget as they do locally. Pure; called by the collector renderers.
 */
import { collectorBudget } from '../../api/v1alpha1/derived.ts';
import { formatMemoryBytes, formatMillicores } from '../../api/v1alpha1/quantity.ts';
import type { CollectorName, ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import { type OtelcolMemorySettings, otelcolMemorySettings } from '../../collectors/otelcol-config.ts';
import type { Resources } from './pod-security.ts';

/** The collector's container resources: its budget where the spec sets one, else `defaults`. */
export function collectorResources(
  spec: Pick<ExperimentSpec, 'collectors' | 'scale'>,
  collector: CollectorName,
  defaults: Resources,
): Resources {
  const budget = collectorBudget(spec, collector);
  const cpu = budget.cpuMillicores === null ? null : formatMillicores(budget.cpuMillicores);
  const memory = budget.memoryBytes === null ? null : formatMemoryBytes(budget.memoryBytes);
  return {
    requests: { cpu: cpu ?? defaults.requests.cpu, memory: memory ?? defaults.requests.memory },
    limits: { cpu: cpu ?? defaults.limits.cpu, memory: memory ?? defaults.limits.memory },
  };
}

/** otelcol's memory settings when the spec budgets its memory, else null (the renderer's defaults). */
export function otelcolMemory(
  spec: Pick<ExperimentSpec, 'collectors' | 'scale'>,
): OtelcolMemorySettings | null {
  const bytes = collectorBudget(spec, 'otelcol').memoryBytes;
  return bytes === null ? null : otelcolMemorySettings(bytes);
}
