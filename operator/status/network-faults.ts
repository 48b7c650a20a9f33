/**
 * The NetworkFaults condition (operator/status/conditions.ts) from what the pass found: whether Chaos Mesh's
 * NetworkChaos is served, and each network fault handled so far. Pure; computeStatus adds it.
 */
import type { NetworkFault } from '../../api/v1alpha1/schema.ts';
import { describeNetworkFault } from '../render/network-chaos.ts';
import { type ConditionInput, NETWORK_FAULTS } from './conditions.ts';
import type { NetworkFaultStatus } from './types.ts';

/** What a pass found about the spec's network faults. */
export interface NetworkFaultFacts {
  /** The API server serves NetworkChaos (chaos-mesh.org/v1alpha1). */
  chaosMesh: boolean;
  /** Every fault handled so far (the previous passes' and this one's). */
  handled: NetworkFaultStatus[];
}

/** The sentence every "needs Chaos Mesh" message starts with. */
export const CHAOS_MESH_MISSING =
  'network faults need Chaos Mesh: this cluster does not serve NetworkChaos (chaos-mesh.org/v1alpha1)';

export function networkFaultsCondition(
  faults: readonly NetworkFault[],
  facts: NetworkFaultFacts,
): ConditionInput {
  const byIndex = new Map(facts.handled.map((h) => [h.index, h]));
  const name = (i: number) => describeNetworkFault(faults[i]!, i);
  const applied = facts.handled.filter((h) => h.objects);
  if (!facts.chaosMesh) {
    // Every fault not applied yet is named: none will be, unless Chaos Mesh is installed before its time.
    const notApplied = faults.map((_, i) => i).filter((i) => !byIndex.get(i)?.objects);
    return {
      type: NETWORK_FAULTS,
      status: 'False',
      reason: 'ChaosMeshMissing',
      message: `${CHAOS_MESH_MISSING}; not applied: ${notApplied.map(name).join(', ')}${applied.length ? `; applied before it went: ${applied.map((h) => name(h.index)).join(', ')}` : ''}`,
    };
  }
  const refused = facts.handled.filter((h) => h.notApplied);
  if (refused.length > 0) {
    return {
      type: NETWORK_FAULTS,
      status: 'False',
      reason: 'NotApplied',
      message: `not applied: ${refused.map((h) => `${name(h.index)}: ${h.notApplied}`).join('; ')}`,
    };
  }
  return {
    type: NETWORK_FAULTS,
    status: 'True',
    reason: 'ChaosMesh',
    message: `network faults run as Chaos Mesh NetworkChaos; ${applied.length}/${faults.length} applied${applied.length ? `: ${applied.map((h) => `${name(h.index)} as ${h.objects!.join(', ')}`).join('; ')}` : ''}`,
  };
}
