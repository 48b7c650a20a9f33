/**
 * What the measurement is computed from, as plain data: raw Prometheus samples, the producers'
 * ledgers, the collectors' final counter readings and the kernel UDP counters. The collectors of
 * each runtime (local/collect.ts, the operator's collect step) fill it; measure/assemble.ts turns it
 * into report.json without any I/O. A field that could not be read is null with the reason in
 * `missing`, so the report can say so instead of guessing.
 */

import type { ArmName, CollectorName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { OtlpAttemptBooks } from '../loadgen/arms/otlp-attempts.ts';
import type { LatencyHistogram } from '../loadgen/latency-histogram.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import type { SlotCount } from '../loadgen/send-slots.ts';
import type { CollectorResources, PhaseWindow, Report } from '../report/types.ts';
import type { RawJobs } from './collect-jobs.ts';
import type { RawLiveness } from './liveness.ts';
import type { MachineSample } from './machine-load.ts';
import type { RawNetwork } from './network.ts';
import type { PromSeries } from './prom-api.ts';
import type { Sample } from './stats.ts';

/** A reading that may be missing, with the reason. */
export type Reading<T> = { value: T; source: string } | { value: null; source: string; missing: string };

/** Raw samples of the pull arm from the subject Prometheus (range selectors up to the cut-off). */
export interface RawPull {
  targets: number;
  scrapeDuration: Reading<PromSeries[]>;
  up: Reading<PromSeries[]>;
  samplesScraped: Reading<PromSeries[]>;
  bodySize: Reading<PromSeries[]>;
  /** prometheus_target_scrapes_exceeded_sample_limit_total of the subject, as the rig recorded it. */
  sampleLimitExceeded: Reading<Sample[]>;
  bodySizeLimitExceeded: Reading<Sample[]>;
  /** sum(orders_total) the subject Prometheus holds at the cut-off. */
  ordersSeen: Reading<number>;
}

/** UDP counters of the collector's network namespace (/proc/net/snmp). */
export interface UdpCounterReading {
  inDatagrams: number;
  inErrors: number;
  rcvbufErrors: number;
  /**
   * Drops of the collector's own socket (/proc/net/udp `drops`): what the books use, since the
   * namespace-wide counters also count other sockets' drops when the namespace is shared (locally,
   * the host's). Null when the socket was not found.
   */
  socketDrops: number | null;
}

export interface RawStatsd {
  mode: string;
  /** statsd_exporter_udp_packets_total before the producers started (the baseline) and at the cut-off. */
  receivedBefore: Reading<number>;
  receivedAfter: Reading<number>;
  queueDropsBefore: Reading<number>;
  queueDropsAfter: Reading<number>;
  kernelBefore: Reading<UdpCounterReading>;
  kernelAfter: Reading<UdpCounterReading>;
  /** Over time, from the rig Prometheus: packets received, queue drops, the collector socket's kernel drops. */
  receivedSeries: Reading<Sample[]>;
  queueDropsSeries: Reading<Sample[]>;
  kernelDropsSeries: Reading<Sample[]>;
  /** The collector socket's highest receive queue per second (10 Hz samples), from the rig Prometheus. */
  queueMaxSeries?: Reading<Sample[]>;
  /** The receive buffer asked (receiveBufferBytes) and the kernel's cap on it (null: not known here). */
  receiveBuffer?: { askedBytes: number; rmemMaxBytes: number | null };
}

export interface RawOtlp {
  protocol: string;
  /** otelcol_receiver_{accepted,refused,failed}_metric_points at the baseline and at the cut-off. */
  acceptedBefore: Reading<number>;
  acceptedAfter: Reading<number>;
  refusedBefore: Reading<number>;
  refusedAfter: Reading<number>;
  failedBefore: Reading<number>;
  failedAfter: Reading<number>;
  acceptedSeries: Reading<Sample[]>;
  refusedSeries: Reading<Sample[]>;
  /** otelcol's Go heap over time (what the memory_limiter acts on), from the rig Prometheus. */
  heapSeries?: Reading<Sample[]>;
}

/**
 * The ledgers' process-level books merged over the fleet (measure/ledger-books.ts builds them). An absent
 * member was not read by the runtime at all; a missing reading says why.
 */
export interface LedgerBooks {
  /** otlp: every process's export-duration histogram, bucket counts added. */
  otlpExportLatency?: Reading<LatencyHistogram>;
  /** otlp: requests the exporters' transports sent again, summed. */
  otlpExportRetries?: Reading<number>;
  /** otlp: every request the exporters' transports sent, with its points and outcome, summed. */
  otlpExportAttempts?: Reading<OtlpAttemptBooks>;
  /** statsd: datagrams sent per wall-clock 100 ms slot, summed over the fleet, ascending by slot. */
  statsdSentPer100ms?: Reading<SlotCount[]>;
}

/** One poll of every producer process of an arm: unix seconds and the summed totals. */
export type LedgerPoint = [number, LedgerTotals];

export interface MeasurementInput {
  name: string;
  namespace?: string;
  runtime: Report['experiment']['runtime'];
  spec: ExperimentSpec;
  run: Report['run'];
  machine: Report['machine'];
  tools: Report['tools'];
  phases: PhaseWindow[];
  /** Final ledgers summed per arm (null: no final ledger could be read, with the reason in run.missing). */
  ledgerFinal: Partial<Record<ArmName, LedgerTotals | null>>;
  /** Ledger polls over time, per arm. */
  ledgerSeries: Partial<Record<ArmName, LedgerPoint[]>>;
  ledgerBooks: LedgerBooks;
  pull?: RawPull;
  statsd?: RawStatsd;
  otlp?: RawOtlp;
  producersDied: Report['rig']['producersDied'];
  /** Game day: the faults applied and the liveness alerts (measure/liveness.ts); absent without faults. */
  liveness?: RawLiveness;
  /** Game day: the short-lived jobs' ledgers and what the collectors kept of them; absent without spec.jobs. */
  jobs?: RawJobs;
  /** Game day: the run's network layout and its network faults (locally); absent without any. */
  network?: RawNetwork;
  /** The host's CPU counters through the run (locally); absent: not sampled by this runtime. */
  machineSamples?: MachineSample[];
  /** Each arm's producers' CPU (the rig's own share); absent: not read by this runtime. */
  producerCpu?: RawProducerCpu[];
  /** Each collector under test's budget and use (cgroups locally); absent: not read by this runtime. */
  collectorResources?: RawCollectorResources[];
}

/** What one arm's producers used of the CPU, from fleet start to the cut-off. */
export interface RawProducerCpu {
  arm: ArmName;
  cpuSeconds: number | null;
  windowSeconds: number;
  source: string;
  missing?: string;
}

/** What one collector used between the baseline and the cut-off (times in seconds, memory in bytes). */
export interface ResourceUse {
  cpuSeconds: number | null;
  periods: number | null;
  throttledPeriods: number | null;
  throttledSeconds: number | null;
  memoryPeakBytes: number | null;
  oomKills: number | null;
}

/** One collector's budget and use, as the runtime read them. */
export interface RawCollectorResources {
  collector: CollectorName;
  arm: ArmName;
  limits: { cpuMillicores: number | null; memoryBytes: number | null };
  /** null: not read, with the reason in `missing`. */
  use: ResourceUse | null;
  /** Where `use` was read (e.g. "cgroup v1 /sys/fs/cgroup/.../prometheus"). */
  source: string;
  missing?: string;
  /** Restarts seen (a local collector is never restarted: 0 while it stayed up). */
  restarts: number | null;
  /** Where `restarts` was read (default: the runtime). */
  restartsSource?: string;
  /** What each figure of `use` is, where not the cgroup files (e.g. a cAdvisor series). */
  describe?: Partial<Record<keyof ResourceUse, string>>;
  /** Why a figure of `use` is null, where not simply unreadable. */
  whyMissing?: Partial<Record<keyof ResourceUse, string>>;
  /** ISO time the collector exited unexpectedly, if it did (dates an OOM kill). */
  exitedAt?: string;
  /** Per phase, where the runtime samples the use through the run (figures with their sources). */
  phases?: CollectorResources['phases'];
}
