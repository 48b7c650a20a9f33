/**
 * The shape of report.json, the source of truth of every run (local or in-cluster). report.md,
 * report.html, the CR status summary and `pushpull compare` are all rendered from it. Bump
 * REPORT_SCHEMA_VERSION on any incompatible change.
 *
 * Honesty rule: every number is a `Figure` that names where it came from (a PromQL query, a ledger
 * field, a kernel counter). A figure the rig could not obtain has `value: null` and says why in
 * `missing` — it is never guessed or filled in.
 */
import type { ArmName, CollectorName, ExperimentSpec } from '../api/v1alpha1/schema.ts';

export const REPORT_SCHEMA_VERSION = 1;

/** One measured number and its provenance. */
export interface Figure {
  value: number | null;
  unit: 'events' | 'datagrams' | 'bytes' | 'seconds' | 'ratio' | 'count' | 'points' | 'samples' | 'per100ms';
  /** The PromQL query, ledger field or kernel counter the value came from. */
  source: string;
  /** Why the value is null (the collector was down, the query returned nothing...). */
  missing?: string;
}

/**
 * A time series for the report's charts: [seconds since load start, value] pairs, in time order.
 *
 * Ids report.html draws (the contract; report/chart-ids.ts is its code form). Several series may share
 * an id (e.g. `events-rate` once per arm); each becomes its own line, named by `label`.
 *   events-rate            events/s generated, per arm (or one 'rig' series)       [required]
 *   scrape-duration-p50    pull: scrape_duration_seconds p50 across targets (s)    [required with pull]
 *   scrape-duration-p99    pull: p99 (s)                                           [required with pull]
 *   scrape-duration-max    pull: max (s)                                           [required with pull]
 *   targets-down           pull: count of targets with up == 0                    [required with pull]
 *   body-size-max          pull: max scrape_body_size_bytes across targets (bytes) [required with pull]
 *   body-size-p50          pull: median scrape_body_size_bytes (bytes)             [optional]
 *   statsd-sent-rate       statsd: datagrams/s sent (producers' ledgers)           [required with statsd]
 *   statsd-received-rate   statsd: datagrams/s received (statsd_exporter)          [required with statsd]
 *   kernel-drops           statsd: cumulative kernel UDP drops since load start    [required with statsd]
 *   collector-queue-drops  statsd: cumulative statsd_exporter queue drops          [optional]
 *   statsd-sent-per-100ms  statsd: datagrams sent per wall-clock 100 ms slot, fleet [optional]
 *   otlp-points-rate       otlp: points/s exported (producers' ledgers)            [required with otlp]
 *   otlp-accepted-rate     otlp: points/s accepted by otelcol                      [optional]
 *   otlp-refused           otlp: cumulative refused points                         [required with otlp]
 *   otlp-failed            otlp: cumulative failed points                          [optional]
 *   schedule-lag           rig: events behind schedule (chart shown only if present)
 * A required series the rig could not obtain should still be emitted with `points: []` and `missing`
 * saying why; report.html then prints "no data: <missing>" in its place.
 */
export interface ChartSeries {
  id: string;
  arm: ArmName | 'rig';
  label: string;
  unit: Figure['unit'];
  source: string;
  points: Array<[number, number]>;
  /** Why `points` is empty or partial (shown in the chart). */
  missing?: string;
}

export type SignalKind =
  | 'scrape-over-half-timeout'
  | 'scrape-timeout'
  | 'target-down'
  | 'sample-limit'
  | 'body-size-limit'
  | 'kernel-udp-drop'
  | 'collector-queue-drop'
  | 'otlp-refused'
  | 'otlp-export-failed'
  | 'producer-died'
  | 'rig-limited'
  | 'collector-oom-killed';

/** A failure signal on the timeline: the first time each kind was seen on an arm. */
export interface FailureSignal {
  arm: ArmName | 'rig';
  kind: SignalKind;
  /** ISO time of the first observation. */
  at: string;
  /** Seconds since the load started (negative: during warm-up). */
  offsetSeconds: number;
  /** Name of the phase in force then. */
  phase: string | null;
  detail: string;
  source: string;
  /** Could the arm's own operator have seen it (up==0 in Prometheus: yes; a kernel UDP drop: no)? */
  visibleToOperator: boolean;
}

export interface PhaseWindow {
  name: string;
  startAt: string;
  endAt: string;
  eventsPerSecond: number;
}

export interface PullArmResult {
  targets: number;
  scrapeDurationSeconds: { p50: Figure; p99: Figure; max: Figure };
  scrapesOverHalfTimeout: Figure;
  scrapesOverTimeout: Figure;
  upZeroSamples: Figure;
  samplesScraped: Figure;
  bodySizeBytes: { before: Figure; during: Figure; max: Figure };
  sampleLimitBreaches: Figure;
  bodySizeLimitBreaches: Figure;
  eventsGenerated: Figure;
  /** Sum of orders_total seen by the subject Prometheus at the cut-off. */
  eventsSeen: Figure;
  perPhase: Array<{ phase: string; scrapeDurationP99: Figure; upZeroSamples: Figure }>;
}

/** The books of a push arm: sent = received + kernelDrops + collectorQueueDrops + unaccounted. */
export interface PushBooks {
  sent: Figure;
  received: Figure;
  kernelDrops: Figure;
  collectorQueueDrops: Figure;
  /** Must be 0; anything else is a rig fault and is reported as such. */
  unaccounted: Figure;
  closed: boolean;
}

export interface StatsdArmResult {
  mode: string;
  books: PushBooks;
  lossRatio: Figure;
  peakDatagramsPer100ms: Figure;
  eventsGenerated: Figure;
  perPhase: Array<{ phase: string; sent: Figure; kernelDrops: Figure }>;
}

export interface OtlpArmResult {
  protocol: string;
  pointsExported: Figure;
  pointsAccepted: Figure;
  pointsRefused: Figure;
  pointsFailed: Figure;
  exportsOk: Figure;
  exportsFailed: Figure;
  exportLatencySeconds: { p50: Figure; p99: Figure };
  retries: Figure;
  eventsGenerated: Figure;
}

/** Whether the machine itself was the limit in the burst (measure/machine-load.ts). */
export interface MachineLoad {
  /** e.g. "phase open". */
  window: string;
  cpuBusy: Figure;
  cpuPressure: Figure;
  /** Saturated: the arms competed for CPU, so no arm's failure can be read from this run. */
  limited: boolean;
  reason?: string;
}

export interface RigHealth {
  scheduleLagMaxEvents: Figure;
  rigLimited: boolean;
  /** The machine's CPU in the burst; absent where the runtime does not sample it. */
  machine?: MachineLoad;
  /** The rig's own CPU: each arm's producers, CPU seconds and share of the machine's cores. */
  producersCpu?: Array<{ arm: ArmName; cpuSeconds: Figure; shareOfMachine: Figure }>;
  producersDied: Array<{ arm: ArmName; process: number; at: string; detail: string }>;
}

export type VerdictAnswer = 'push-easier' | 'push-harder' | 'the-same' | 'inconclusive';

export interface Verdict {
  /** Overall answer to "would push have made this easier, harder, or the same?". */
  answer: VerdictAnswer;
  /** The same question for each push arm on its own, against the pull arm. */
  perPushArm: { statsd?: VerdictAnswer; otlp?: VerdictAnswer };
  /** One sentence: which arm lost or delayed data first, when, how much, what each operator could see. */
  sentence: string;
  firstFailure: FailureSignal | null;
  evidence: string[];
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  experiment: { name: string; namespace?: string; runtime: 'local' | 'kubernetes'; spec: ExperimentSpec };
  run: {
    startedAt: string;
    /** Instant the first phase began. */
    loadStartAt: string | null;
    loadEndAt: string | null;
    cutoffAt: string | null;
    finishedAt: string;
    /** `crashed`: the rig was killed and the report rebuilt from what the run kept (pushpull report DIR). */
    outcome: 'completed' | 'interrupted' | 'failed' | 'crashed';
    /** What the report lacks and why (e.g. "producer statsd/1 died at ...: its ledger after that is missing"). */
    missing: string[];
  };
  machine: {
    hostname: string;
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    kernel: string;
    node: string;
  };
  tools: Record<string, string>;
  phases: PhaseWindow[];
  arms: { pull?: PullArmResult; statsd?: StatsdArmResult; otlp?: OtlpArmResult };
  rig: RigHealth;
  signals: FailureSignal[];
  verdict: Verdict;
  charts: ChartSeries[];
  /** Per collector under test: its budget and what it used from the baseline to the cut-off. */
  collectors?: CollectorResources[];
  /** How close each arm came to each of its limits, whatever the verdict. */
  headroom?: Headroom[];
}

/** What a headroom entry compares. */
export type HeadroomKind =
  | 'scrape-p99-of-timeout'
  | 'body-size-of-limit'
  | 'samples-of-limit'
  | 'collector-cpu-throttled'
  | 'collector-memory-of-limit'
  | 'otelcol-memory-of-soft-limit'
  | 'udp-queue-of-buffer';

/** One arm's use of one limit: `share` = used / limit (1 = at the limit; above 1 = over it). */
export interface Headroom {
  arm: ArmName;
  kind: HeadroomKind;
  /** e.g. "scrape p99 of the 4 s timeout". */
  label: string;
  used: Figure;
  limit: Figure;
  share: Figure;
}

/** One collector's resources: the budget spec.collectors gave it and what it used (cgroup or pod). */
export interface CollectorResources {
  collector: CollectorName;
  /** The arm it collects for. */
  arm: ArmName;
  limits: { cpuMillicores: number | null; memoryBytes: number | null };
  cpuUsedSeconds: Figure;
  /** CFS periods in which it was throttled, of all periods; and the time throttled. */
  throttledPeriods: Figure;
  periods: Figure;
  throttledSeconds: Figure;
  memoryPeakBytes: Figure;
  oomKills: Figure;
  restarts: Figure;
}
