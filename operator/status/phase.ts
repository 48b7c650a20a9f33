/**
 * The printable phase, derived from the conditions alone (never stored and then branched on): the first
 * rule that holds wins. Pure.
 */
import {
  type Condition,
  DRAINED,
  FAILED,
  isTrue,
  LOAD_FINISHED,
  LOAD_STARTED,
  PROVISIONED,
  REPORTED,
  SPEC_VALID,
  WORKLOAD_READY,
} from './conditions.ts';

export const PHASES = [
  'Pending',
  'Provisioning',
  'WaitingReady',
  'Running',
  'Draining',
  'Collecting',
  'Succeeded',
  'Failed',
] as const;
export type Phase = (typeof PHASES)[number];

export function derivePhase(conditions: readonly Condition[]): Phase {
  if (isTrue(conditions, FAILED)) return 'Failed';
  if (isTrue(conditions, REPORTED)) return 'Succeeded';
  if (isTrue(conditions, DRAINED)) return 'Collecting';
  if (isTrue(conditions, LOAD_FINISHED)) return 'Draining';
  if (isTrue(conditions, LOAD_STARTED) || isTrue(conditions, WORKLOAD_READY)) return 'Running';
  if (isTrue(conditions, PROVISIONED)) return 'WaitingReady';
  if (isTrue(conditions, SPEC_VALID)) return 'Provisioning';
  return 'Pending';
}
