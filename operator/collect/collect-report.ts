/**
 * The operator's collect step, behind one seam (`CollectReportFn`): after the cut-off it reads the
 * producers' final ledgers and the PromQL figures of the subject and rig Prometheus, and hands them to
 * measure/assemble.ts, which builds report.json. Whatever it cannot read (a pod that does not answer, a
 * query without data) becomes a `missing` reading with the reason, so the report says what it lacks
 * instead of guessing. In the dev cluster (kwok pods run no processes) that is most of it, honestly.
 */
import { cpus, hostname, release, totalmem } from 'node:os';
import { ARM_NAMES, type ArmName } from '../../api/v1alpha1/schema.ts';
import { RIG_JOBS, SUBJECT_JOBS } from '../../collectors/jobs.ts';
import { type LedgerDocument, type LedgerTotals, sumLedgerTotals } from '../../loadgen/ledger.ts';
import { assembleReport } from '../../measure/assemble.ts';
import type {
  MeasurementInput,
  RawOtlp,
  RawPull,
  RawStatsd,
  Reading,
  UdpCounterReading,
} from '../../measure/inputs.ts';
import { fleetLedgerBooks, type ProcessLedger } from '../../measure/ledger-books.ts';
import type { PromSeries } from '../../measure/prom-api.ts';
import type { Sample } from '../../measure/stats.ts';
import type { Report } from '../../report/types.ts';
import { fleetPlan } from '../../schedule/fleet.ts';
import type { PodTarget, PromClient, Reach } from '../reach.ts';
import type { ExperimentObject, Images } from '../render/types.ts';
import type { ScheduleFacts } from '../status/compute.ts';

/** A producer pod and what it runs. */
export interface ProducerPod extends PodTarget {
  uid?: string;
  arm: ArmName;
  process: number;
}

export interface CollectInput {
  experiment: ExperimentObject;
  schedule: ScheduleFacts;
  /** The experiment's creationTimestamp. */
  createdAt: string;
  nowMs: number;
  producers: ProducerPod[];
  images: Images;
  /** Things the run already knows it lacks (e.g. producers the start never reached). */
  missing: string[];
}

export interface CollectDeps {
  reach: Reach;
}

/** The seam the reconciler calls; tests and a future measure/ entry point can replace it. */
export type CollectReportFn = (input: CollectInput, deps: CollectDeps) => Promise<Report>;

const iso = (ms: number) => new Date(ms).toISOString();

/** What the producers' ledgers gave: totals per arm (null: a pod did not answer) and each process's ledger. */
interface LedgersRead {
  totals: Partial<Record<ArmName, LedgerTotals | null>>;
  processes: ProcessLedger[];
}

async function readLedgers(producers: ProducerPod[], reach: Reach, missing: string[]): Promise<LedgersRead> {
  const results = await Promise.all(
    producers.map(async (p): Promise<{ p: ProducerPod; doc: LedgerDocument | null; error?: string }> => {
      try {
        const doc = (await reach.ledger(p)) as Partial<LedgerDocument> | null;
        if (!doc?.totals) throw new Error('the answer has no totals');
        return { p, doc: doc as LedgerDocument };
      } catch (err) {
        return { p, doc: null, error: (err as Error).message };
      }
    }),
  );
  for (const r of results) {
    if (r.error !== undefined) {
      missing.push(
        `ledger of ${r.p.arm} process ${r.p.process} (pod ${r.p.name}) could not be read: ${r.error}`,
      );
    }
  }
  const totals: Partial<Record<ArmName, LedgerTotals | null>> = {};
  for (const arm of new Set(producers.map((p) => p.arm))) {
    const docs = results.filter((r) => r.p.arm === arm).map((r) => r.doc);
    // A partial sum would read as the arm's total: one unread ledger makes the arm's totals unknown.
    totals[arm] = docs.some((d) => d === null) ? null : sumLedgerTotals(docs.map((d) => d!.totals));
  }
  const processes = results.map(({ p, doc }) => ({ name: `${p.arm}/${p.process}`, arm: p.arm, doc }));
  return { totals, processes };
}

/** Runs PromQL and wraps the answer as a Reading (missing with the reason when it fails or is empty). */
function reader(client: PromClient) {
  const series = async (q: string, t: number): Promise<Reading<PromSeries[]>> => {
    const source = `PromQL ${q} @ ${client.source}`;
    try {
      const result = await client.query(q, t);
      if (result.length === 0) return { value: null, source, missing: 'the query returned no series' };
      return { value: result, source };
    } catch (err) {
      return { value: null, source, missing: (err as Error).message };
    }
  };
  const samples = async (q: string, t: number): Promise<Reading<Sample[]>> => {
    const r = await series(q, t);
    if (r.value === null) return r;
    return { value: r.value.flatMap((s) => s.samples).sort((a, b) => a[0] - b[0]), source: r.source };
  };
  const scalar = async (q: string, t: number): Promise<Reading<number>> => {
    const r = await series(`sum(${q})`, t);
    if (r.value === null) return r;
    const v = r.value[0]?.samples[0]?.[1];
    return v === undefined
      ? { value: null, source: r.source, missing: 'no sample' }
      : { value: v, source: r.source };
  };
  return { series, samples, scalar };
}

async function rawPull(
  x: ExperimentObject,
  subject: PromClient,
  rig: PromClient,
  t: number,
  range: string,
): Promise<RawPull> {
  const s = reader(subject);
  const r = reader(rig);
  const sel = `{job="${SUBJECT_JOBS.pull}",experiment="${x.metadata.name}"}`;
  const rigSel = `{job="${RIG_JOBS.subjectPrometheus}"}`;
  return {
    targets: fleetPlan(x.spec).producers,
    scrapeDuration: await s.series(`scrape_duration_seconds${sel}[${range}]`, t),
    up: await s.series(`up${sel}[${range}]`, t),
    samplesScraped: await s.series(`scrape_samples_scraped${sel}[${range}]`, t),
    bodySize: await s.series(`scrape_body_size_bytes${sel}[${range}]`, t),
    sampleLimitExceeded: await r.samples(
      `prometheus_target_scrapes_exceeded_sample_limit_total${rigSel}[${range}]`,
      t,
    ),
    bodySizeLimitExceeded: await r.samples(
      `prometheus_target_scrapes_exceeded_body_size_limit_total${rigSel}[${range}]`,
      t,
    ),
    ordersSeen: await s.scalar(`orders_total${sel}`, t),
  };
}

async function kernel(r: ReturnType<typeof reader>, t: number): Promise<Reading<UdpCounterReading>> {
  const sel = `{job="${RIG_JOBS.kernelUdp}"}`;
  const inDatagrams = await r.scalar(`pushpull_kernel_udp_in_datagrams_total${sel}`, t);
  const inErrors = await r.scalar(`pushpull_kernel_udp_in_errors_total${sel}`, t);
  const rcvbuf = await r.scalar(`pushpull_kernel_udp_rcvbuf_errors_total${sel}`, t);
  const socket = await r.scalar(`pushpull_kernel_udp_socket_drops_total${sel}`, t);
  for (const x of [inDatagrams, inErrors, rcvbuf]) if (x.value === null) return x;
  return {
    value: {
      inDatagrams: inDatagrams.value!,
      inErrors: inErrors.value!,
      rcvbufErrors: rcvbuf.value!,
      socketDrops: socket.value,
    },
    source: inDatagrams.source,
  };
}

async function rawStatsd(
  x: ExperimentObject,
  rig: PromClient,
  t0: number,
  t: number,
  range: string,
): Promise<RawStatsd> {
  const r = reader(rig);
  const sel = `{job="${RIG_JOBS.statsdExporter}"}`;
  const ksel = `{job="${RIG_JOBS.kernelUdp}"}`;
  return {
    mode: x.spec.arms.statsd!.mode,
    receivedBefore: await r.scalar(`statsd_exporter_udp_packets_total${sel}`, t0),
    receivedAfter: await r.scalar(`statsd_exporter_udp_packets_total${sel}`, t),
    queueDropsBefore: await r.scalar(`statsd_exporter_udp_packet_drops_total${sel}`, t0),
    queueDropsAfter: await r.scalar(`statsd_exporter_udp_packet_drops_total${sel}`, t),
    kernelBefore: await kernel(r, t0),
    kernelAfter: await kernel(r, t),
    receivedSeries: await r.samples(`statsd_exporter_udp_packets_total${sel}[${range}]`, t),
    queueDropsSeries: await r.samples(`statsd_exporter_udp_packet_drops_total${sel}[${range}]`, t),
    kernelDropsSeries: await r.samples(`pushpull_kernel_udp_rcvbuf_errors_total${ksel}[${range}]`, t),
  };
}

async function rawOtlp(
  x: ExperimentObject,
  rig: PromClient,
  t0: number,
  t: number,
  range: string,
): Promise<RawOtlp> {
  const r = reader(rig);
  const m = (name: string) =>
    `{__name__=~"otelcol_receiver_${name}_metric_points(_total)?",job="${RIG_JOBS.otelcol}"}`;
  return {
    protocol: x.spec.arms.otlp!.protocol,
    acceptedBefore: await r.scalar(m('accepted'), t0),
    acceptedAfter: await r.scalar(m('accepted'), t),
    refusedBefore: await r.scalar(m('refused'), t0),
    refusedAfter: await r.scalar(m('refused'), t),
    failedBefore: await r.scalar(m('failed'), t0),
    failedAfter: await r.scalar(m('failed'), t),
    acceptedSeries: await r.samples(`${m('accepted')}[${range}]`, t),
    refusedSeries: await r.samples(`${m('refused')}[${range}]`, t),
  };
}

/** The default collect step. */
export const collectReport: CollectReportFn = async (input, { reach }) => {
  const x = input.experiment;
  const s = input.schedule;
  const missing = [...input.missing];
  const ledgers = await readLedgers(input.producers, reach, missing);
  const ledgerFinal = ledgers.totals;
  for (const arm of ARM_NAMES) {
    if (x.spec.arms[arm] && !input.producers.some((p) => p.arm === arm)) {
      missing.push(`no ${arm} producer pod was found at collection time`);
      ledgerFinal[arm] = null;
    }
  }
  const subject = reach.prometheus(x, 'subject');
  const rig = reach.prometheus(x, 'rig');
  const t = s.drainEndMs / 1000;
  const t0 = s.startAtMs / 1000;
  const range = `${Math.ceil((s.drainEndMs - s.startAtMs) / 1000) + 60}s`;
  const measurement: MeasurementInput = {
    name: x.metadata.name,
    namespace: x.metadata.namespace,
    runtime: 'kubernetes',
    spec: x.spec,
    run: {
      startedAt: input.createdAt,
      loadStartAt: iso(s.startAtMs),
      loadEndAt: iso(s.loadEndMs),
      cutoffAt: iso(s.drainEndMs),
      finishedAt: iso(input.nowMs),
      outcome: 'completed',
      missing,
    },
    machine: {
      hostname: hostname(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      kernel: release(),
      node: process.version,
    },
    tools: {
      ...input.images,
      runtime: 'kubernetes (the machine is the operator’s host, not the producers’ nodes)',
    },
    phases: s.phases.map((p, i) => ({
      name: p.name,
      startAt: iso(p.startMs),
      endAt: iso(p.endMs),
      eventsPerSecond: (x.spec.load.phases[i]?.eventsPerSecond ?? 0) * x.spec.scale,
    })),
    ledgerFinal,
    ledgerSeries: {},
    // One read after the drain: the producers' slot rings are sized to still hold the whole schedule.
    ledgerBooks: fleetLedgerBooks(ledgers.processes),
    producersDied: [],
  };
  if (x.spec.arms.pull) measurement.pull = await rawPull(x, subject, rig, t, range);
  if (x.spec.arms.statsd) measurement.statsd = await rawStatsd(x, rig, t0, t, range);
  if (x.spec.arms.otlp) measurement.otlp = await rawOtlp(x, rig, t0, t, range);
  return assembleReport(measurement);
};
