/**
 * The status the operator writes: the documented fields of api/v1alpha1/status.ts plus the operator's own
 * bookkeeping (kept by the CRD's x-kubernetes-preserve-unknown-fields on status).
 */

import type { ExperimentStatus } from '../../api/v1alpha1/status.ts';
import type { ExpectationsTally } from '../../report/expectations.ts';
import type { VerdictAnswer } from '../../report/types.ts';

/** The report's headline, small enough for status; the full report is in the ConfigMap. */
export interface ReportSummary {
  answer: VerdictAnswer;
  sentence: string;
  firstFailure: { arm: string; kind: string; at: string; visibleToOperator: boolean } | null;
  /** Key figures by name, e.g. `statsd.lossRatio`; null where the report has no value. */
  figures: Record<string, number | null>;
  /** What the report could not measure, and why. */
  missing: string[];
  /** How the spec's expectations came out; absent when the spec sets none. */
  expectations?: ExpectationsSummary;
}

/** The expectations' tally and one line per expectation that did not pass. */
export interface ExpectationsSummary extends ExpectationsTally {
  /** e.g. `statsd.lossRatio <= 0.1%: FAIL, measured 5.48%`. */
  notPassed: string[];
}

/** One applied fault, as the status keeps it. */
export interface AppliedFaultStatus {
  index: number;
  at: string;
  producers: string[];
  pods: string[];
}

/**
 * One network fault the operator handled at its time: applied as Chaos Mesh NetworkChaos objects, or not
 * applied, with the reason (Chaos Mesh missing, the fault's window already past, ...).
 */
export interface NetworkFaultStatus {
  /** Its index in spec.networkFaults. */
  index: number;
  at: string;
  /** The NetworkChaos objects created. */
  objects?: string[];
  notApplied?: string;
}

export interface OperatorStatus extends ExperimentStatus {
  /** End of the last phase (RFC 3339). */
  loadEndAt?: string;
  /** End of the drain window: the cut-off for in-flight data. */
  cutoffAt?: string;
  /** The rate-schedule phase in force at the last reconcile. */
  currentPhase?: string;
  /** "ready/total" pods of the workload. */
  pods?: string;
  /** UIDs of the producer pods that acknowledged POST /start with the fixed startAt. */
  startDelivered?: string[];
  /** Producer pods the start could not be delivered to (name: reason). */
  startUndelivered?: string[];
  /** Game day: the faults applied (index in spec.faults, when, the producers and pods it took). */
  faultsApplied?: AppliedFaultStatus[];
  /** Game day: the network faults handled so far (applied as NetworkChaos, or not, with the reason). */
  networkFaults?: NetworkFaultStatus[];
  summary?: ReportSummary;
}
