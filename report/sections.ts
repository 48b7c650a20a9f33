/**
 * The body of a report as a neutral document model (sections of tables, lists and notes), built once
 * from report.json so that report.md (render-markdown.ts) and report.html (render-html.ts) show the
 * same figures with the same sources. Pure; the verdict, evidence and charts are rendered separately.
 */

import { comparisonSection } from './comparison-section.ts';
import { tallyExpectations } from './expectations.ts';
import {
  ANSWER_LABELS,
  ARM_LABELS,
  formatBytes,
  formatFigure,
  formatNumber,
  formatOffsetShort,
  formatSeconds,
  formatValue,
  secondsBetween,
} from './format.ts';
import { jobsSection } from './jobs-section.ts';
import { networkSection } from './network-section.ts';
import { KIND_LABELS, OPERATOR_VIEW_SHORT } from './signal-kinds.ts';
import type { ExpectationResult, Figure, PushBooks, Report } from './types.ts';

/** A table cell: plain text, code (a query or counter), or text with a tone for emphasis. */
export type Cell = string | { code: string } | { text: string; tone: 'bad' | 'good' | 'muted' };

export interface Table {
  caption?: string;
  head: string[];
  rows: Cell[][];
}

/** A statement that stands out: books closed / rig fault. */
export interface Callout {
  tone: 'bad' | 'good' | 'muted';
  text: string;
}

export interface Section {
  id: string;
  title: string;
  callouts: Callout[];
  tables: Table[];
  list: string[];
  notes: string[];
  /** Long raw content shown collapsed (the full spec). */
  details?: { summary: string; code: string };
}

/** A section with the parts given and the others empty. */
export function section(id: string, title: string, parts: Partial<Section> = {}): Section {
  return { id, title, callouts: [], tables: [], list: [], notes: [], ...parts };
}

/** A figure's value as a cell; a missing one muted, with its reason. */
export function valueCell(f: Figure | undefined): Cell {
  const text = formatFigure(f);
  return !f || f.value === null ? { text, tone: 'muted' } : text;
}

function figureTable(rows: Array<[string, Figure | undefined]>, caption?: string): Table {
  return {
    ...(caption ? { caption } : {}),
    head: ['figure', 'value', 'source'],
    rows: rows.map(([label, f]) => [label, valueCell(f), f ? { code: f.source } : '—']),
  };
}

/** All body sections, in page order. */
export function buildSections(r: Report): Section[] {
  const out: Section[] = [];
  if (r.expectations) out.push(expectationsSection(r.expectations));
  const compared = comparisonSection(r.comparisons);
  if (compared) out.push(compared);
  out.push(timeline(r));
  if (r.liveness) out.push(livenessSection(r.liveness));
  if (r.jobs) out.push(jobsSection(r.jobs));
  if (r.network) out.push(networkSection(r.network, section));
  if (r.arms.pull) out.push(pullSection(r));
  if (r.arms.statsd) out.push(statsdSection(r));
  if (r.arms.otlp) out.push(otlpSection(r));
  if (r.headroom && r.headroom.length > 0) out.push(headroomSection(r.headroom));
  if (r.collectors && r.collectors.length > 0)
    out.push(collectorsSection(r.collectors, r.experiment.runtime));
  out.push(rigSection(r), missingSection(r), runSection(r), toolsSection(r), specSection(r));
  return out;
}

/** How close each arm came to each limit, closest first. */
function headroomSection(headroom: NonNullable<Report['headroom']>): Section {
  const sorted = [...headroom].sort((a, b) => (b.share.value ?? -1) - (a.share.value ?? -1));
  return section('headroom', 'Headroom: how close each arm came to its limits', {
    tables: [
      {
        head: ['arm', 'limit', 'used', 'of', 'share', 'source'],
        rows: sorted.map((h) => {
          const share = h.share.value;
          const shareCell: Cell =
            share === null
              ? { text: formatFigure(h.share), tone: 'muted' }
              : share >= 1
                ? { text: `${formatNumber(share * 100)}%`, tone: 'bad' }
                : `${formatNumber(share * 100)}%`;
          return [
            ARM_LABELS[h.arm],
            h.label,
            valueCell(h.used),
            valueCell(h.limit),
            shareCell,
            { code: h.share.source },
          ];
        }),
      },
    ],
  });
}

/** Each collector's budget next to what it used: CPU, throttling, memory peak, OOM kills, restarts. */
function collectorsSection(
  collectors: NonNullable<Report['collectors']>,
  runtime: Report['experiment']['runtime'],
): Section {
  const limit = (v: number | null, show: (x: number) => string): Cell =>
    v === null ? { text: 'none', tone: 'muted' } : show(v);
  const bad = (f: Figure): Cell =>
    f.value !== null && f.value > 0 ? { text: formatFigure(f), tone: 'bad' } : valueCell(f);
  const byPhase = collectors.filter((c) => c.phases && c.phases.length > 0);
  const phaseTable: Table[] =
    byPhase.length === 0
      ? []
      : [
          {
            caption: 'Per phase: CPU and throttling over the phase, the working set’s peak as sampled in it.',
            head: [
              'collector',
              'phase',
              'CPU used',
              'throttled periods',
              'of periods',
              'throttled time',
              'memory peak',
            ],
            rows: byPhase.flatMap((c) =>
              (c.phases ?? []).map((p) => [
                c.collector,
                p.phase,
                valueCell(p.cpuUsedSeconds),
                bad(p.throttledPeriods),
                valueCell(p.periods),
                valueCell(p.throttledSeconds),
                valueCell(p.memoryPeakBytes),
              ]),
            ),
          },
        ];
  const cluster = runtime === 'kubernetes';
  return section('collectors', 'Collectors: budget and use', {
    tables: [
      {
        caption: cluster
          ? 'From the collectors’ start with the experiment to the cut-off; memory peak since the container started.'
          : 'From the baseline (before any producer started) to the cut-off; memory peak since the collector started.',
        head: [
          'collector',
          'arm',
          'CPU limit',
          'CPU used',
          'throttled periods',
          'of periods',
          'throttled time',
          'memory limit',
          'memory peak',
          'OOM kills',
          'restarts',
        ],
        rows: collectors.map((c) => [
          c.collector,
          ARM_LABELS[c.arm],
          limit(c.limits.cpuMillicores, (m) => `${formatNumber(m)}m`),
          valueCell(c.cpuUsedSeconds),
          bad(c.throttledPeriods),
          valueCell(c.periods),
          valueCell(c.throttledSeconds),
          limit(c.limits.memoryBytes, formatBytes),
          valueCell(c.memoryPeakBytes),
          bad(c.oomKills),
          bad(c.restarts),
        ]),
      },
      ...phaseTable,
    ],
    notes: [
      cluster
        ? "Limits are the containers' (requests = limits). CPU, CFS periods, throttling and the memory peak are the kubelet's cAdvisor series of each collector container (container_cpu_usage_seconds_total, container_cpu_cfs_*, container_memory_max_usage_bytes), recorded by the rig Prometheus through the operator; the kubelet refreshes them at its housekeeping interval (10 s by default), so a figure may miss the last seconds before its end. OOM kills and restarts come from the pods' container statuses."
        : "Read from each collector's cgroup: cpuacct.usage, cpu.stat (nr_periods, nr_throttled, throttled_time), memory.max_usage_in_bytes and memory.oom_control on cgroup v1; cpu.stat, memory.peak and memory.events on v2. Memory counts the page cache the collector caused (the kernel reclaims it before an OOM kill). The local runtime never restarts a collector: one killed under load stays dead and its arm's later counters are missing.",
    ],
  });
}

/** Game day: each fault, who knew and how soon, and the false alarms. */
function livenessSection(l: NonNullable<Report['liveness']>): Section {
  const faults: Table = {
    caption: 'Faults and time to detect (the arm’s own alert, evaluated by the subject Prometheus)',
    head: ['fault', 'arm', 'at', 'producers', 'alert', 'time to detect', 'source'],
    rows: l.faults.map((f) => [
      f.until ? `${f.kind} until ${f.until}` : f.kind,
      ARM_LABELS[f.arm],
      f.at,
      f.producers.join(', '),
      f.alert ?? { text: 'none: no rule can see this arm', tone: 'muted' },
      valueCell(f.timeToDetect),
      { code: f.timeToDetect.missing ?? f.timeToDetect.source },
    ]),
  };
  const tables = [faults];
  if (l.falseAlarms.length > 0) {
    tables.push({
      caption: 'False alarms: liveness alerts on producers that were alive',
      head: ['arm', 'alert', 'producer', 'first fired'],
      rows: l.falseAlarms.map((a) => [ARM_LABELS[a.arm], a.alert, a.producer, a.firstAt]),
    });
  }
  return section('liveness', 'Game day: dead and hung producers', {
    callouts: [{ tone: 'muted', text: l.sentence }],
    tables,
  });
}

const OUTCOME_CELLS: Record<ExpectationResult['outcome'], Cell> = {
  pass: { text: 'pass', tone: 'good' },
  fail: { text: 'FAIL', tone: 'bad' },
  missing: { text: 'MISSING', tone: 'bad' },
};

function expectationsSection(results: ExpectationResult[]): Section {
  const t = tallyExpectations(results);
  const problems = [
    ...(t.failed > 0 ? [`${t.failed} failed`] : []),
    ...(t.missing > 0 ? [`${t.missing} could not be checked (a missing figure does not pass)`] : []),
  ];
  const text = t.allPassed
    ? `All ${t.total} expectations passed.`
    : `Not passed: of ${t.total} expectations, ${problems.join(' and ')}.`;
  return section('expectations', 'Expectations', {
    callouts: [{ tone: t.allPassed ? 'good' : 'bad', text }],
    tables: [
      {
        head: ['figure', 'expected', 'measured', 'outcome', 'source'],
        rows: results.map((e) => [
          { code: e.figure },
          `${e.op} ${formatValue(e.threshold, e.measured.unit)}`,
          valueCell(e.measured),
          OUTCOME_CELLS[e.outcome],
          { code: e.measured.source },
        ]),
      },
    ],
  });
}

function timeline(r: Report): Section {
  const signals = [...r.signals].sort((a, b) => a.offsetSeconds - b.offsetSeconds);
  if (signals.length === 0) {
    return section('timeline', 'Failure timeline', {
      notes: [
        'No failure signal on any arm: no scrape over half its timeout, no up == 0, no drop, no refusal.',
      ],
    });
  }
  return section('timeline', 'Failure timeline', {
    notes: ['The first time each kind of signal was seen on each arm; offsets are from load start.'],
    tables: [
      {
        head: ['when', 'phase', 'arm', 'signal', 'detail', 'operator could see', 'source'],
        rows: signals.map((s) => [
          formatOffsetShort(s.offsetSeconds),
          s.phase ?? (s.offsetSeconds < 0 ? 'warm-up' : '—'),
          ARM_LABELS[s.arm],
          KIND_LABELS[s.kind],
          s.detail,
          s.visibleToOperator
            ? OPERATOR_VIEW_SHORT[s.kind]
            : { text: OPERATOR_VIEW_SHORT[s.kind], tone: 'bad' as const },
          { code: s.source },
        ]),
      },
    ],
  });
}

function pullSection(r: Report): Section {
  const p = r.arms.pull!;
  const cfg = r.experiment.spec.arms.pull;
  const notes = cfg
    ? [
        `scrape_interval ${formatSeconds(cfg.scrapeIntervalSeconds)}, scrape_timeout ${formatSeconds(cfg.scrapeTimeoutSeconds)}, sample_limit ${cfg.sampleLimit === 0 ? 'none' : formatNumber(cfg.sampleLimit)}, body_size_limit ${cfg.bodySizeLimitBytes === 0 ? 'none' : formatBytes(cfg.bodySizeLimitBytes)}; ${formatNumber(p.targets)} targets.`,
      ]
    : [`${formatNumber(p.targets)} targets.`];
  return section('arm-pull', 'Pull: Prometheus scraping /metrics', {
    notes,
    tables: [
      figureTable([
        ['scrape duration p50', p.scrapeDurationSeconds.p50],
        ['scrape duration p99', p.scrapeDurationSeconds.p99],
        ['scrape duration max', p.scrapeDurationSeconds.max],
        ['scrapes over half the timeout', p.scrapesOverHalfTimeout],
        ['scrapes over the timeout', p.scrapesOverTimeout],
        ['up == 0 samples', p.upZeroSamples],
        ['samples scraped', p.samplesScraped],
        ['body size before the load', p.bodySizeBytes.before],
        ['body size during the load', p.bodySizeBytes.during],
        ['body size max', p.bodySizeBytes.max],
        ['sample_limit breaches', p.sampleLimitBreaches],
        ['body_size_limit breaches', p.bodySizeLimitBreaches],
        ['events generated', p.eventsGenerated],
        ['events seen by Prometheus at the cut-off', p.eventsSeen],
      ]),
      {
        caption: 'Per phase',
        head: ['phase', 'scrape duration p99', 'up == 0 samples', 'sources'],
        rows: p.perPhase.map((ph) => [
          ph.phase,
          valueCell(ph.scrapeDurationP99),
          valueCell(ph.upZeroSamples),
          { code: `${ph.scrapeDurationP99.source}; ${ph.upZeroSamples.source}` },
        ]),
      },
    ],
  });
}

/** "sent = received + kernel drops + queue drops + unaccounted" with the numbers, and the status. */
export function booksCallouts(arm: string, b: PushBooks): Callout[] {
  const n = (f: Figure) => (f.value === null ? `— (${f.missing ?? 'missing'})` : formatNumber(f.value));
  const network = b.networkDrops ? ` + network drops ${n(b.networkDrops)}` : '';
  const equation = `sent ${n(b.sent)} = received ${n(b.received)} + kernel drops ${n(b.kernelDrops)} + queue drops ${n(b.collectorQueueDrops)}${network} + unaccounted ${n(b.unaccounted)}`;
  const status = b.closed
    ? { tone: 'good' as const, text: `${arm} books closed: ${equation}` }
    : {
        tone: 'bad' as const,
        text:
          b.unaccounted.value === null
            ? `RIG FAULT: ${arm} books cannot be closed (${b.unaccounted.missing ?? 'a term is missing'}): ${equation}`
            : `RIG FAULT: ${formatNumber(b.unaccounted.value)} unaccounted in ${arm}'s books: ${equation}`,
      };
  return [status];
}

function statsdSection(r: Report): Section {
  const s = r.arms.statsd!;
  const cfg = r.experiment.spec.arms.statsd;
  const notes = [
    cfg
      ? `mode ${s.mode}, receive buffer ${formatBytes(cfg.receiveBufferBytes)} asked (the kernel caps it at net.core.rmem_max), max datagram ${formatBytes(cfg.maxBufferBytes)}, flush every ${formatNumber(cfg.flushIntervalMs)} ms${cfg.mode === 'aggregated' ? (cfg.flushJitter ? ' with jitter' : ' in lockstep') : ''}.`
      : `mode ${s.mode}.`,
  ];
  return section('arm-statsd', 'StatsD: UDP into statsd_exporter', {
    notes,
    callouts: booksCallouts('StatsD', s.books),
    tables: [
      figureTable([
        ['datagrams sent', s.books.sent],
        ['datagrams received', s.books.received],
        ['kernel drops', s.books.kernelDrops],
        ['collector-queue drops', s.books.collectorQueueDrops],
        ...(s.books.networkDrops ? [['network drops', s.books.networkDrops] as [string, Figure]] : []),
        ['unaccounted', s.books.unaccounted],
        ['loss ratio', s.lossRatio],
        ['peak datagrams per 100 ms', s.peakDatagramsPer100ms],
        ['events generated', s.eventsGenerated],
      ]),
      {
        caption: 'Per phase',
        head: ['phase', 'datagrams sent', 'kernel drops', 'sources'],
        rows: s.perPhase.map((ph) => [
          ph.phase,
          valueCell(ph.sent),
          valueCell(ph.kernelDrops),
          { code: `${ph.sent.source}; ${ph.kernelDrops.source}` },
        ]),
      },
    ],
  });
}

/** The OTLP books' callouts: closed, open by what nobody answered, or a rig fault; the producers' refusals. */
function otlpBooksCallouts(o: NonNullable<Report['arms']['otlp']>): Callout[] {
  const b = o.books;
  if (!b) {
    return [
      { tone: 'muted', text: 'OTLP: this report predates the request books; they cannot be closed from it.' },
    ];
  }
  const callouts: Callout[] = [];
  const terms = [b.sent, b.accepted, b.refused, b.failed, b.unaccounted];
  if (terms.every((f) => f.value !== null)) {
    const [sent, a, rf, fl, u] = terms.map((f) => formatNumber(f.value as number));
    const eq = `sent ${sent} (retries included) = accepted ${a} + refused ${rf} + failed ${fl} + unaccounted ${u}`;
    const unanswered = b.pointsUnanswered.value;
    callouts.push(
      b.closed
        ? { tone: 'good', text: `OTLP books close: ${eq}` }
        : b.explained
          ? {
              tone: 'muted',
              text: `OTLP books are open by what nobody answered: ${eq}; the producers got no answer to requests of ${formatNumber(unanswered ?? 0)} points (timed out, or in flight at their final ledgers), which otelcol may not have seen`,
            }
          : {
              tone: 'muted',
              text: `OTLP books do not close: ${eq}, more than the ${formatNumber(unanswered ?? 0)} points of requests nobody answered — a rig fault`,
            },
    );
  } else {
    callouts.push({
      tone: 'muted',
      text: `OTLP: ${b.unaccounted.missing ?? 'a term of the books is missing'}.`,
    });
  }
  if ((b.requestsRefused.value ?? 0) > 0) {
    callouts.push({
      tone: 'muted',
      text: `The producers saw ${formatNumber(b.requestsRefused.value!)} of ${formatNumber(b.requests.value ?? 0)} requests refused (${formatNumber(b.pointsRefusedAtProducers.value ?? 0)} points) and sent ${formatNumber(o.retries.value ?? 0)} again.`,
    });
  }
  return callouts;
}

function otlpSection(r: Report): Section {
  const o = r.arms.otlp!;
  const cfg = r.experiment.spec.arms.otlp;
  const b = o.books;
  const callouts = otlpBooksCallouts(o);
  return section('arm-otlp', 'OTLP: OpenTelemetry SDK into an OpenTelemetry Collector', {
    notes: [
      cfg
        ? `protocol ${o.protocol}, export every ${formatNumber(cfg.exportIntervalMs)} ms, ${cfg.temporality} temporality.`
        : `protocol ${o.protocol}.`,
    ],
    callouts,
    tables: [
      figureTable([
        ['points exported', o.pointsExported],
        ['points accepted', o.pointsAccepted],
        ['points refused', o.pointsRefused],
        ['points failed', o.pointsFailed],
        ...(b
          ? ([
              ['points sent, retries included', b.sent],
              ['requests sent', b.requests],
              ['requests refused (producers)', b.requestsRefused],
              ['points refused (producers)', b.pointsRefusedAtProducers],
              ['requests failed (producers)', b.requestsFailed],
              ['requests in flight at the final ledgers', b.requestsInFlight],
              ['points in requests nobody answered', b.pointsUnanswered],
            ] satisfies [string, Figure][])
          : []),
        ['exports ok', o.exportsOk],
        ['exports failed', o.exportsFailed],
        ['export latency p50', o.exportLatencySeconds.p50],
        ['export latency p99', o.exportLatencySeconds.p99],
        ['retries', o.retries],
        ['events generated', o.eventsGenerated],
      ]),
    ],
  });
}

/** The machine's load in the burst and the producers' own CPU, where the runtime measured them. */
function machineRows(rig: Report['rig']): Cell[][] {
  const rows: Cell[][] = [];
  const m = rig.machine;
  if (m) {
    rows.push([`machine CPU busy (${m.window})`, valueCell(m.cpuBusy), { code: m.cpuBusy.source }]);
    rows.push([
      `machine CPU pressure (${m.window})`,
      valueCell(m.cpuPressure),
      { code: m.cpuPressure.source },
    ]);
    rows.push([
      'machine-limited',
      m.limited ? { text: `yes: ${m.reason ?? 'the machine was saturated'}`, tone: 'bad' } : 'no',
      { code: 'rig.machine.limited' },
    ]);
  }
  for (const p of rig.producersCpu ?? []) {
    rows.push([
      `${ARM_LABELS[p.arm]} producers' CPU`,
      valueCell(p.cpuSeconds),
      { code: p.cpuSeconds.source },
    ]);
    rows.push([
      `${ARM_LABELS[p.arm]} producers' share of the machine`,
      valueCell(p.shareOfMachine),
      { code: p.shareOfMachine.source },
    ]);
  }
  return rows;
}

function rigSection(r: Report): Section {
  const tables: Table[] = [
    {
      head: ['figure', 'value', 'source'],
      rows: [
        [
          'schedule lag max',
          valueCell(r.rig.scheduleLagMaxEvents),
          { code: r.rig.scheduleLagMaxEvents.source },
        ],
        [
          'rig-limited',
          r.rig.rigLimited
            ? { text: 'yes: the producers could not generate the asked rate', tone: 'bad' }
            : 'no',
          { code: 'rig.rigLimited' },
        ],
        ...machineRows(r.rig),
      ],
    },
  ];
  if (r.rig.producersDied.length > 0) {
    tables.push({
      caption: 'Producers that died',
      head: ['arm', 'process', 'at', 'detail'],
      rows: r.rig.producersDied.map((d) => [ARM_LABELS[d.arm], String(d.process), d.at, d.detail]),
    });
  }
  return section('rig', 'Rig health', {
    tables,
    notes: r.rig.producersDied.length === 0 ? ['No producer died.'] : [],
  });
}

function missingSection(r: Report): Section {
  return r.run.missing.length === 0
    ? section('missing', 'What is missing', { notes: ['Nothing: the rig obtained every figure.'] })
    : section('missing', 'What is missing', { list: r.run.missing });
}

function runSection(r: Report): Section {
  const load = secondsBetween(r.run.loadStartAt, r.run.loadEndAt);
  const total = secondsBetween(r.run.startedAt, r.run.finishedAt);
  const cell = (v: string | null) => v ?? '—';
  return section('run', 'Run', {
    tables: [
      {
        head: ['', ''],
        rows: [
          ['experiment', `${r.experiment.namespace ? `${r.experiment.namespace}/` : ''}${r.experiment.name}`],
          ['runtime', r.experiment.runtime],
          ['outcome', r.run.outcome === 'completed' ? 'completed' : { text: r.run.outcome, tone: 'bad' }],
          ['verdict', ANSWER_LABELS[r.verdict.answer]],
          ['started', r.run.startedAt],
          ['load start', cell(r.run.loadStartAt)],
          ['load end', cell(r.run.loadEndAt)],
          ['cut-off', cell(r.run.cutoffAt)],
          ['finished', r.run.finishedAt],
          ['load duration', load === null ? '—' : formatSeconds(load)],
          ['run duration', total === null ? '—' : formatSeconds(total)],
        ],
      },
    ],
  });
}

function toolsSection(r: Report): Section {
  const m = r.machine;
  return section('tools', 'Tools and machine', {
    tables: [
      {
        head: ['tool', 'version'],
        rows: Object.keys(r.tools)
          .sort()
          .map((k) => [k, r.tools[k] ?? '—']),
      },
      {
        head: ['machine', ''],
        rows: [
          ['hostname', m.hostname],
          ['CPUs', `${formatNumber(m.cpus)} × ${m.cpuModel}`],
          ['memory', formatBytes(m.memoryBytes)],
          ['kernel', m.kernel],
          ['Node.js', m.node],
        ],
      },
    ],
  });
}

function specSection(r: Report): Section {
  const s = r.experiment.spec;
  const arms = Object.keys(s.arms).join(', ');
  const rows: Cell[][] = s.load.phases.map((p) => [
    p.name,
    formatSeconds(p.durationSeconds),
    formatSeconds(p.rampSeconds ?? 0),
    formatNumber(p.eventsPerSecond),
    formatNumber(p.eventsPerSecond * s.scale, 1),
    formatNumber(p.symbols),
  ]);
  return section('spec', 'Spec summary', {
    list: [
      `arms: ${arms}`,
      `scale ${formatNumber(s.scale, 4)}: ${formatNumber(Math.max(1, Math.round(s.fleet.producers * s.scale)))} producers per arm (${formatNumber(s.fleet.producers)} at scale 1), ${formatNumber(s.fleet.producersPerProcess)} per process`,
      `start: ${s.load.startAt ?? `${formatSeconds(s.load.warmupSeconds ?? 0)} after the producers are ready`}; drain ${formatSeconds(s.collection.drainSeconds)}; seed ${s.seed}`,
      `series: ${s.series.regions} regions × ${s.series.routes} routes × ${s.series.statuses} statuses, ${s.series.histogramBuckets} histogram buckets`,
      ...(s.collection.prometheusURL ? [`results from ${s.collection.prometheusURL}`] : []),
    ],
    tables: [
      {
        caption: 'Phases',
        head: ['phase', 'duration', 'ramp', 'events/s at scale 1', 'events/s run', 'symbols'],
        rows,
      },
    ],
    details: { summary: 'Full spec (JSON)', code: JSON.stringify(s, null, 2) },
  });
}
