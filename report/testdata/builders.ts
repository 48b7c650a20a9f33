/**
 * Test builders for the verdict's table tests: figures, signals and arm results with synthetic but
 * plausible numbers, for the combinations no recorded run has (a failed reader, unclosed books, OTLP
 * refusals, limits, a dead producer...). Whole reports come from recorded runs (golden.ts), not from here.
 */
import type { ArmName } from '../../api/v1alpha1/schema.ts';
import type {
  FailureSignal,
  Figure,
  OtlpArmResult,
  PhaseWindow,
  PullArmResult,
  RigHealth,
  SignalKind,
  StatsdArmResult,
} from '../types.ts';

export const LOAD_START = '2026-11-26T09:15:00.000Z';

export function fig(value: number | null, unit: Figure['unit'], source: string, missing?: string): Figure {
  return value === null
    ? { value, unit, source, missing: missing ?? 'not measured' }
    : { value, unit, source };
}

export function isoAt(offsetSeconds: number): string {
  return new Date(Date.parse(LOAD_START) + offsetSeconds * 1000).toISOString();
}

/** pre-open 20 s at 4,000/s, open 30 s at 380,000/s (0.8 s ramp), settle 20 s at 40,000/s; scale 1. */
export const PHASES: PhaseWindow[] = [
  { name: 'pre-open', startAt: isoAt(0), endAt: isoAt(20), eventsPerSecond: 4000 },
  { name: 'open', startAt: isoAt(20), endAt: isoAt(50), eventsPerSecond: 380_000 },
  { name: 'settle', startAt: isoAt(50), endAt: isoAt(70), eventsPerSecond: 40_000 },
];

export function phaseOf(offset: number): string | null {
  for (const p of PHASES) {
    if (
      offset >= (Date.parse(p.startAt) - Date.parse(LOAD_START)) / 1000 &&
      offset < (Date.parse(p.endAt) - Date.parse(LOAD_START)) / 1000
    )
      return p.name;
  }
  return null;
}

const OPERATOR_VISIBLE: Record<SignalKind, boolean> = {
  'scrape-over-half-timeout': true,
  'scrape-timeout': true,
  'target-down': true,
  'sample-limit': true,
  'body-size-limit': true,
  'kernel-udp-drop': false,
  'collector-queue-drop': false,
  'otlp-refused': true,
  'otlp-export-failed': true,
  'producer-died': false,
  'rig-limited': false,
  'collector-oom-killed': true,
  'network-drop': false,
};

const SIGNAL_SOURCES: Record<SignalKind, string> = {
  'scrape-over-half-timeout': 'rig Prometheus: max(scrape_duration_seconds{job="producers"}) > 0.5 * timeout',
  'scrape-timeout': 'rig Prometheus: scrape_duration_seconds{job="producers"} >= timeout',
  'target-down': 'rig Prometheus: up{job="producers"} == 0',
  'sample-limit': 'rig Prometheus: increase(prometheus_target_scrapes_exceeded_sample_limit_total[5s]) > 0',
  'body-size-limit':
    'rig Prometheus: increase(prometheus_target_scrapes_exceeded_body_size_limit_total[5s]) > 0',
  'kernel-udp-drop': '/proc/net/snmp Udp RcvbufErrors delta (collector netns)',
  'collector-queue-drop': 'statsd_exporter_udp_packet_drops_total delta',
  'otlp-refused': 'otelcol_receiver_refused_metric_points_total delta',
  'otlp-export-failed': 'producer ledger: otlp.exportsFailed',
  'producer-died': 'rig: child process exit',
  'rig-limited': 'producer ledger: scheduleLagEvents > 0',
  'collector-oom-killed': 'cgroup memory.oom_control oom_kill',
  'network-drop': 'nft counter of the network fault',
};

export function signal(
  arm: ArmName | 'rig',
  kind: SignalKind,
  offsetSeconds: number,
  detail = 'x',
): FailureSignal {
  return {
    arm,
    kind,
    at: isoAt(offsetSeconds),
    offsetSeconds,
    phase: phaseOf(offsetSeconds),
    detail,
    source: SIGNAL_SOURCES[kind],
    visibleToOperator: OPERATOR_VISIBLE[kind],
  };
}

export interface PullNumbers {
  upZero?: number | null;
  overTimeout?: number;
  overHalf?: number;
  sampleLimit?: number;
  bodyLimit?: number;
  p50?: number;
  p99?: number;
  max?: number;
  events?: number;
  /** The counters at the cut-off hold every generated event even though scrapes failed (a healed path). */
  seenAll?: boolean;
}

export function pullArm(n: PullNumbers = {}): PullArmResult {
  const events = n.events ?? 245_600;
  const up = n.upZero === undefined ? 0 : n.upZero;
  return {
    targets: 28,
    scrapeDurationSeconds: {
      p50: fig(
        n.p50 ?? 0.004,
        'seconds',
        'quantile_over_time(0.5, scrape_duration_seconds{job="producers"}[load])',
      ),
      p99: fig(
        n.p99 ?? 0.041,
        'seconds',
        'quantile_over_time(0.99, scrape_duration_seconds{job="producers"}[load])',
      ),
      max: fig(n.max ?? 0.063, 'seconds', 'max_over_time(scrape_duration_seconds{job="producers"}[load])'),
    },
    scrapesOverHalfTimeout: fig(
      n.overHalf ?? 0,
      'count',
      'count_over_time((scrape_duration_seconds{job="producers"} > 0.5 * timeout)[load])',
    ),
    scrapesOverTimeout: fig(
      n.overTimeout ?? 0,
      'count',
      'count_over_time((scrape_duration_seconds{job="producers"} >= timeout)[load])',
    ),
    upZeroSamples: fig(
      up,
      'count',
      'count_over_time((up{job="producers"} == 0)[load])',
      'the rig Prometheus was down',
    ),
    samplesScraped: fig(
      482_160,
      'samples',
      'sum(sum_over_time(scrape_samples_scraped{job="producers"}[load]))',
    ),
    bodySizeBytes: {
      before: fig(18_432, 'bytes', 'max(scrape_body_size_bytes{job="producers"}) before load start'),
      during: fig(201_310, 'bytes', 'avg_over_time(max(scrape_body_size_bytes{job="producers"})[open])'),
      max: fig(245_760, 'bytes', 'max_over_time(scrape_body_size_bytes{job="producers"}[load])'),
    },
    sampleLimitBreaches: fig(
      n.sampleLimit ?? 0,
      'count',
      'increase(prometheus_target_scrapes_exceeded_sample_limit_total[load])',
    ),
    bodySizeLimitBreaches: fig(
      n.bodyLimit ?? 0,
      'count',
      'increase(prometheus_target_scrapes_exceeded_body_size_limit_total[load])',
    ),
    eventsGenerated: fig(events, 'events', 'producer ledger: events (pull arm)'),
    eventsSeen: fig(
      up && up > 0 && !n.seenAll ? Math.round(events * 0.93) : events,
      'events',
      'sum(orders_total{job="producers"}) at cut-off',
    ),
    perPhase: PHASES.map((p) => ({
      phase: p.name,
      scrapeDurationP99: fig(
        p.name === 'open' ? (n.p99 ?? 0.041) : 0.012,
        'seconds',
        `quantile_over_time(0.99, scrape_duration_seconds{job="producers"}[${p.name}])`,
      ),
      upZeroSamples: fig(
        p.name === 'open' ? (up ?? 0) : 0,
        'count',
        `count_over_time((up{job="producers"} == 0)[${p.name}])`,
      ),
    })),
  };
}

export interface StatsdNumbers {
  sent?: number;
  kernel?: number | null;
  queue?: number;
  unaccounted?: number | null;
  mode?: string;
}

export function statsdArm(n: StatsdNumbers = {}): StatsdArmResult {
  const sent = n.sent ?? 491_200;
  const kernel = n.kernel === undefined ? 0 : n.kernel;
  const queue = n.queue ?? 0;
  const unaccounted = n.unaccounted === undefined ? 0 : n.unaccounted;
  const received = sent - (kernel ?? 0) - queue - (unaccounted ?? 0);
  const closed = unaccounted === 0 && kernel !== null;
  return {
    mode: n.mode ?? 'perEvent',
    books: {
      sent: fig(sent, 'datagrams', 'producer ledgers: datagramsSent'),
      received: fig(received, 'datagrams', 'statsd_exporter_udp_packets_total delta'),
      kernelDrops: fig(
        kernel,
        'datagrams',
        '/proc/net/snmp Udp RcvbufErrors delta (collector netns)',
        'the netns counter reader failed',
      ),
      collectorQueueDrops: fig(queue, 'datagrams', 'statsd_exporter_udp_packet_drops_total delta'),
      unaccounted: fig(
        kernel === null ? null : unaccounted,
        'datagrams',
        'sent − received − kernelDrops − collectorQueueDrops',
        'cannot close the books without the kernel drops',
      ),
      closed,
    },
    lossRatio: fig(
      kernel === null ? null : (kernel + queue) / sent,
      'ratio',
      '(kernelDrops + collectorQueueDrops) / sent',
      'a term of the books is missing',
    ),
    peakDatagramsPer100ms: fig(
      Math.round((sent / 491_200) * 1610),
      'per100ms',
      'producer ledgers: max datagrams in a 100 ms bin',
    ),
    eventsGenerated: fig(sent / 2, 'events', 'producer ledger: events (statsd arm)'),
    perPhase: PHASES.map((p, i) => ({
      phase: p.name,
      sent: fig(
        Math.round(([3200, 456_000, 32_000][i] ?? 0) * (sent / 491_200)),
        'datagrams',
        `producer ledgers: datagramsSent [${p.name}]`,
      ),
      kernelDrops: fig(
        p.name === 'open' ? kernel : 0,
        'datagrams',
        `/proc/net/snmp Udp RcvbufErrors delta [${p.name}]`,
        'the netns counter reader failed',
      ),
    })),
  };
}

export interface OtlpNumbers {
  exported?: number;
  refused?: number;
  failed?: number;
  exportsFailed?: number;
  latencyP99?: number | null;
}

export function otlpArm(n: OtlpNumbers = {}): OtlpArmResult {
  const exported = n.exported ?? 4_200_000;
  const refused = n.refused ?? 0;
  const failed = n.failed ?? 0;
  return {
    protocol: 'grpc',
    pointsExported: fig(exported, 'points', 'producer ledgers: otlp.points'),
    pointsAccepted: fig(
      exported - refused - failed,
      'points',
      'otelcol_receiver_accepted_metric_points_total delta',
    ),
    pointsRefused: fig(refused, 'points', 'otelcol_receiver_refused_metric_points_total delta'),
    pointsFailed: fig(failed, 'points', 'otelcol_receiver_failed_metric_points_total delta'),
    exportsOk: fig(2380 - (n.exportsFailed ?? 0), 'count', 'producer ledgers: otlp.exportsOk'),
    exportsFailed: fig(n.exportsFailed ?? 0, 'count', 'producer ledgers: otlp.exportsFailed'),
    exportLatencySeconds: {
      p50: fig(0.0031, 'seconds', 'producer ledgers: otlp.exportLatency p50'),
      p99: fig(
        n.latencyP99 === undefined ? 0.0192 : n.latencyP99,
        'seconds',
        'producer ledgers: otlp.exportLatency p99',
        'the producers keep no latency histogram past 10,000 exports',
      ),
    },
    retries: fig(0, 'count', 'producer ledgers: otlp.retries'),
    books: {
      sent: fig(exported, 'points', 'producer ledgers: exportAttempts: pointsSent'),
      accepted: fig(exported - refused - failed, 'points', 'otelcol_receiver_accepted_metric_points delta'),
      refused: fig(refused, 'points', 'otelcol_receiver_refused_metric_points delta'),
      failed: fig(failed, 'points', 'otelcol_receiver_failed_metric_points delta'),
      unaccounted: fig(0, 'points', 'sent − accepted − refused − failed'),
      closed: true,
      pointsUnanswered: fig(0, 'points', 'producer ledgers: exportAttempts: unanswered'),
      explained: true,
      requests: fig(2380, 'count', 'producer ledgers: exportAttempts: requests'),
      requestsRefused: fig(0, 'count', 'producer ledgers: exportAttempts: refused'),
      requestsFailed: fig(0, 'count', 'producer ledgers: exportAttempts: failed'),
      requestsInFlight: fig(0, 'count', 'producer ledgers: exportAttempts: in flight'),
      pointsRefusedAtProducers: fig(refused, 'points', 'producer ledgers: exportAttempts: pointsRefused'),
    },
    eventsGenerated: fig(245_600, 'events', 'producer ledger: events (otlp arm)'),
  };
}

export function rigHealth(r: Partial<RigHealth> = {}): RigHealth {
  return {
    scheduleLagMaxEvents: fig(0, 'events', 'producer ledgers: max scheduleLagEvents'),
    rigLimited: false,
    producersDied: [],
    ...r,
  };
}
