/**
 * The one source of report.json's shape (schema version 1), the record of every run, local or
 * in-cluster. From this TypeBox schema come the TypeScript types (re-exported by report/types.ts), the
 * validation of `pushpull report` / `compare` / the operator's ConfigMap reader (report/parse-report.ts)
 * and the field reference docs/report.md (report/reference.ts). measure/assemble.ts writes it; the
 * renderers read it. Bump REPORT_SCHEMA_VERSION on any incompatible change.
 *
 * Honesty rule: every number is a Figure that names where it came from (a PromQL query, a ledger field,
 * a kernel counter); a figure the rig could not obtain has `value: null` and says why in `missing`.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  ARM_NAMES,
  COLLECTOR_NAMES,
  EXPECTATION_OPS,
  type ExperimentSpec,
  ExperimentSpecSchema,
  FAULT_KINDS,
  JOB_PATHS,
} from '../api/v1alpha1/schema.ts';
import { FIGURE_NAMES, type FigureName } from './figure-names.ts';

export const REPORT_SCHEMA_VERSION = 1;

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );
const text = (description: string) => Type.String({ description });
const instant = (description: string) => Type.String({ description, format: 'date-time' });
const nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const closed = { additionalProperties: false } as const;

export const FIGURE_UNITS = [
  'events',
  'datagrams',
  'bytes',
  'seconds',
  'ratio',
  'count',
  'points',
  'samples',
  'per100ms',
  'packets',
  'scrapes',
] as const;

const ArmSchema = literals(ARM_NAMES, 'The collection arm.');
const ArmOrRigSchema = literals([...ARM_NAMES, 'rig'], "The collection arm, or 'rig' for the rig itself.");

/** One measured number and its provenance. */
export const FigureSchema = Type.Object(
  {
    value: nullable(Type.Number(), 'The measured value; null when the rig could not obtain it.'),
    unit: literals(FIGURE_UNITS, 'What the value counts.'),
    source: text('The PromQL query, ledger field or kernel counter the value came from.'),
    missing: Type.Optional(
      text('Why the value is null (the collector was down, the query returned nothing...).'),
    ),
  },
  { ...closed, title: 'Figure', description: 'One measured number and where it came from.' },
);

/** A Figure field: the Figure shape with what this figure measures as its description. */
const figure = (description: string) =>
  Type.Object(FigureSchema.properties, { ...closed, title: 'Figure', description });

export const ChartSeriesSchema = Type.Object(
  {
    id: text('Which chart line this is; the ids report.html draws are listed under "Chart series" below.'),
    arm: ArmOrRigSchema,
    label: text('The line name in the chart legend.'),
    unit: literals(FIGURE_UNITS, 'What the y values count.'),
    source: text('Where the points came from.'),
    points: Type.Array(
      Type.Tuple([Type.Number(), Type.Number()], { description: 'One point: [t, value].' }),
      {
        description: '[seconds since load start, value] pairs, in time order.',
      },
    ),
    missing: Type.Optional(text('Why `points` is empty or partial (shown in the chart).')),
  },
  {
    ...closed,
    description:
      'A time series for the charts. Several series may share an id (e.g. events-rate once per arm); each is its own line.',
  },
);

export const SIGNAL_KINDS = [
  'scrape-over-half-timeout',
  'scrape-timeout',
  'target-down',
  'sample-limit',
  'body-size-limit',
  'kernel-udp-drop',
  'collector-queue-drop',
  'otlp-refused',
  'otlp-export-failed',
  'producer-died',
  'rig-limited',
  'collector-oom-killed',
  'network-drop',
] as const;

/** A failure signal on the timeline: the first time each kind was seen on an arm. */
export const FailureSignalSchema = Type.Object(
  {
    arm: ArmOrRigSchema,
    kind: literals(SIGNAL_KINDS, 'What was seen.'),
    at: instant('When it was first observed.'),
    offsetSeconds: Type.Number({ description: 'Seconds since the load started (negative: during warm-up).' }),
    phase: nullable(text('Phase name.'), 'The phase in force then; null outside every phase.'),
    detail: text('What happened, in words.'),
    source: text('The series or counter it was seen in.'),
    visibleToOperator: Type.Boolean({
      description:
        "Could the arm's own operator have seen it (up == 0 in Prometheus: yes; a kernel UDP drop: no)?",
    }),
  },
  {
    ...closed,
    title: 'FailureSignal',
    description: 'The first time one kind of failure signal was seen on an arm.',
  },
);

export const PhaseWindowSchema = Type.Object(
  {
    name: text('Phase name, as in the spec.'),
    startAt: instant('When the phase began.'),
    endAt: instant('When the phase ended.'),
    eventsPerSecond: Type.Number({ description: 'Fleet-wide target rate of the phase, after scale.' }),
  },
  { ...closed, description: 'A phase of the schedule on the wall clock.' },
);

const PercentilesSchema = (description: string) =>
  Type.Object(
    { p50: figure('The median.'), p99: figure('The 99th percentile.'), max: figure('The largest.') },
    { ...closed, description },
  );

export const PullArmResultSchema = Type.Object(
  {
    targets: Type.Integer({ description: 'Scrape targets (virtual producers) of the pull arm.', minimum: 0 }),
    scrapeDurationSeconds: PercentilesSchema('scrape_duration_seconds over the load, across targets.'),
    scrapesOverHalfTimeout: figure('Scrapes during the load that took more than half the scrape timeout.'),
    scrapesOverTimeout: figure('Scrapes during the load that reached the scrape timeout.'),
    upZeroSamples: figure('Samples of up == 0 during the load (failed scrapes).'),
    samplesScraped: figure('Most samples one scrape returned during the load.'),
    bodySizeBytes: Type.Object(
      {
        before: figure('Largest body before the burst phase.'),
        during: figure('Largest body from the burst phase on.'),
        max: figure('Largest body during the load.'),
      },
      { ...closed, description: 'scrape_body_size_bytes before the burst phase, from it on, and at most.' },
    ),
    sampleLimitBreaches: figure('Scrapes over sample_limit during the load.'),
    bodySizeLimitBreaches: figure('Scrapes over body_size_limit during the load.'),
    eventsGenerated: figure("Events the arm's producers generated (their ledgers)."),
    eventsSeen: figure('Sum of orders_total the subject Prometheus holds at the cut-off.'),
    perPhase: Type.Array(
      Type.Object(
        {
          phase: text('Phase name.'),
          scrapeDurationP99: figure('Scrape duration p99 in the phase.'),
          upZeroSamples: figure('Samples of up == 0 in the phase.'),
        },
        { ...closed, description: 'The pull figures of one phase.' },
      ),
      { description: 'Scrape p99 and up == 0 samples per phase.' },
    ),
  },
  { ...closed, description: 'Pull collection: what the subject Prometheus saw.' },
);

/** The books of a push arm: sent = received + kernelDrops + collectorQueueDrops + unaccounted. */
export const PushBooksSchema = Type.Object(
  {
    sent: figure('Datagrams the producers sent (their ledgers).'),
    received: figure('Datagrams statsd_exporter received (cut-off − baseline).'),
    kernelDrops: figure('Datagrams the kernel dropped at the collector socket (cut-off − baseline).'),
    collectorQueueDrops: figure("Datagrams statsd_exporter's queue dropped (cut-off − baseline)."),
    networkDrops: Type.Optional(
      figure(
        "Datagrams the game day's network faults dropped on the arm's path (their nft rule counters); absent without network faults.",
      ),
    ),
    unaccounted: figure(
      'sent − received − kernelDrops − collectorQueueDrops − networkDrops; must be 0, anything else is a rig fault.',
    ),
    closed: Type.Boolean({
      description:
        'Every term is known and unaccounted is 0; anything else is a rig fault, reported as such.',
    }),
  },
  {
    ...closed,
    description:
      'The books of a push arm: sent = received + kernelDrops + collectorQueueDrops + unaccounted.',
  },
);

export const StatsdArmResultSchema = Type.Object(
  {
    mode: text('The StatsD client mode of the run (spec.arms.statsd.mode).'),
    books: PushBooksSchema,
    lossRatio: figure('(kernelDrops + collectorQueueDrops) / sent.'),
    peakDatagramsPer100ms: figure(
      'Most datagrams the fleet sent in one wall-clock 100 ms slot during the load.',
    ),
    eventsGenerated: figure("Events the arm's producers generated (their ledgers)."),
    perPhase: Type.Array(
      Type.Object(
        {
          phase: text('Phase name.'),
          sent: figure('Datagrams sent in the phase (ledger polls).'),
          kernelDrops: figure('Kernel drops in the phase.'),
        },
        { ...closed, description: 'The StatsD figures of one phase.' },
      ),
      { description: 'Datagrams sent and kernel drops per phase.' },
    ),
  },
  { ...closed, description: 'Push collection over UDP into statsd_exporter.' },
);

/** The OTLP arm's books, request by request (measure/otlp-books.ts). */
export const OtlpBooksSchema = Type.Object(
  {
    sent: figure(
      "Points in every request the producers' exporters sent, retries included (their request books).",
    ),
    accepted: figure('Points otelcol accepted (cut-off − baseline).'),
    refused: figure(
      'Points otelcol refused (cut-off − baseline), e.g. its memory_limiter above the soft limit.',
    ),
    failed: figure('Points otelcol failed to take (cut-off − baseline).'),
    unaccounted: figure(
      'sent − accepted − refused − failed; must be 0, anything else is a rig fault (or requests lost in transit).',
    ),
    closed: Type.Boolean({
      description: 'Every term is known and unaccounted is 0.',
    }),
    pointsUnanswered: figure(
      'Points in requests the producers got no answer to (timed out, or in flight at their final ledgers): otelcol may or may not have counted them.',
    ),
    explained: Type.Boolean({
      description:
        'Every term is known and 0 ≤ unaccounted ≤ pointsUnanswered: what otelcol did not count lies within the requests nobody answered. Closed books are explained.',
    }),
    requests: figure("Requests the producers' exporters sent, retries included."),
    requestsRefused: figure(
      'Requests the producers saw refused (HTTP 429/502/503/504, gRPC UNAVAILABLE/RESOURCE_EXHAUSTED).',
    ),
    requestsFailed: figure('Requests the producers saw fail otherwise (no answer, timeout, other status).'),
    requestsInFlight: figure(
      'Requests still unanswered when the producers wrote their final ledgers (sent, so their points count as sent).',
    ),
    pointsRefusedAtProducers: figure(
      "Points in the requests the producers saw refused; equals otelcol's refused points when both agree.",
    ),
  },
  {
    ...closed,
    description:
      "The OTLP arm's books: every point the producers sent, retries included, was accepted, refused or failed by otelcol; the producers' own view of the refusals beside it.",
  },
);

export const OtlpArmResultSchema = Type.Object(
  {
    protocol: text('The OTLP transport of the run (spec.arms.otlp.protocol).'),
    pointsExported: figure("Points in the producers' succeeded exports (their ledgers)."),
    pointsAccepted: figure('Points otelcol accepted (cut-off − baseline).'),
    pointsRefused: figure('Points otelcol refused (cut-off − baseline).'),
    pointsFailed: figure('Points otelcol failed to take (cut-off − baseline).'),
    exportsOk: figure("Exports the producers' exporters reported as succeeded."),
    exportsFailed: figure("Exports the producers' exporters reported as failed."),
    exportLatencySeconds: Type.Object(
      {
        p50: figure('Median export duration (upper bound of its histogram bucket).'),
        p99: figure('99th-percentile export duration (upper bound of its histogram bucket).'),
      },
      { ...closed, description: "Export durations at the producers' exporters." },
    ),
    retries: figure("Requests the exporters' transports sent again."),
    // Optional: reports written before the request books (v1 reports kept by users) have none.
    books: Type.Optional(OtlpBooksSchema),
    eventsGenerated: figure("Events the arm's producers generated (their ledgers)."),
  },
  { ...closed, description: 'Push collection over OTLP into an OpenTelemetry Collector.' },
);

export const NETWORK_LAYOUTS = ['namespaces', 'loopback'] as const;
export const WHO_KNEW = ['both', 'producers', 'collector', 'neither'] as const;

/** One network fault of the game day: what each side saw while it lasted, and the truth from the books. */
export const NetworkFaultResultSchema = Type.Object(
  {
    index: Type.Integer({ description: 'Its index in spec.networkFaults.', minimum: 0 }),
    kind: text('loss, partition, bandwidth or delay.'),
    arm: ArmSchema,
    direction: text('to-collector, from-collector or both.'),
    from: nullable(
      instant('When the rig put it on the path.'),
      'When the rig put it on the path; null: never.',
    ),
    until: nullable(
      instant('When the rig took it off (the path healed).'),
      'When the rig took it off (the path healed); null: never.',
    ),
    dropped: figure("Packets the fault's rules dropped (nft counters; tc tbf drops for bandwidth)."),
    producers: Type.Object(
      {
        sendErrors: figure('Send errors the producers counted in the window (StatsD).'),
        exportsFailed: figure('Exports the producers saw fail in the window (OTLP).'),
        retries: figure("Requests the producers' exporters sent again in the window (OTLP)."),
        firstSignalAt: nullable(
          instant('The first ledger poll that showed an error.'),
          'The first ledger poll that showed an error; null: none did.',
        ),
      },
      { ...closed, description: "The producers' signals while the fault lasted (their ledgers)." },
    ),
    collector: Type.Object(
      {
        upZeroScrapes: figure('Scrapes of the pull targets with up == 0 in the window.'),
        refusedPoints: figure('Points otelcol refused in the window.'),
        arrived: figure('What still reached the collector in the window (datagrams, points or scrapes).'),
        arrivedAfterHeal: figure('What reached the collector from the heal to the cut-off.'),
        firstSignalAt: nullable(
          instant('The first up == 0 sample.'),
          'The first up == 0 sample; null: none was.',
        ),
      },
      { ...closed, description: "The collector's signals while the fault lasted." },
    ),
    duplicates: Type.Optional(
      figure(
        'OTLP: points otelcol accepted beyond those in exports the producers saw succeed (a lost response retried, accepted twice).',
      ),
    ),
    scrapeGapSeconds: Type.Optional(
      figure(
        'Pull: the longest time between two successful scrapes of one target around the fault (up == 1 samples).',
      ),
    ),
    heldEveryEvent: Type.Optional(
      Type.Boolean({
        description:
          'Pull: the cumulative counters the subject held at the cut-off count every event the producers generated.',
      }),
    ),
    knew: literals(WHO_KNEW, 'Who had a signal of the fault while it lasted.'),
    sentence: text('Who knew, when, and what was lost.'),
  },
  { ...closed, description: 'One network fault of the game day.' },
);

/** The network of a local run and the faults on it (absent without spec.networkFaults). */
export const NetworkSchema = Type.Object(
  {
    layout: literals(
      NETWORK_LAYOUTS,
      "namespaces: each arm's producers in their own network namespace joined to the collectors' by a veth pair; loopback: everything in the rig's namespace.",
    ),
    reason: text('Why this layout ran.'),
    faults: Type.Array(NetworkFaultResultSchema, { description: 'Each network fault, in spec order.' }),
    sentence: text("The game day's verdict: who knew, when, and what was lost."),
  },
  { ...closed, description: 'Network faults: what each side knew.' },
);

/** Whether the machine itself was the limit in the burst (measure/machine-load.ts). */
export const MachineLoadSchema = Type.Object(
  {
    window: text('Where it was measured, e.g. "phase open".'),
    cpuBusy: FigureSchema,
    cpuPressure: FigureSchema,
    limited: Type.Boolean({
      description: 'Saturated: the arms competed for CPU, so no arm’s failure can be read from this run.',
    }),
    reason: Type.Optional(text('Why it counts as limited.')),
  },
  { ...closed, description: 'The machine’s CPU in the burst.' },
);

export const RigHealthSchema = Type.Object(
  {
    scheduleLagMaxEvents: figure('Most events any producer fell behind its schedule.'),
    rigLimited: Type.Boolean({ description: 'Some producer could not generate the rate it was asked for.' }),
    producersDied: Type.Array(
      Type.Object(
        {
          arm: ArmSchema,
          process: Type.Integer({ description: 'Index of the producer process in its arm.', minimum: 0 }),
          at: instant('When the runtime saw it die.'),
          detail: text('How it ended (exit code, signal).'),
        },
        { ...closed, description: 'A producer process that died during the run.' },
      ),
      { description: 'Producer processes that died during the run.' },
    ),
    machine: Type.Optional(MachineLoadSchema),
    producersCpu: Type.Optional(
      Type.Array(
        Type.Object(
          { arm: ArmSchema, cpuSeconds: FigureSchema, shareOfMachine: FigureSchema },
          { ...closed, description: 'One arm’s producers: CPU seconds and share of the machine’s cores.' },
        ),
        { description: 'The rig’s own CPU, per arm.' },
      ),
    ),
  },
  { ...closed, description: "The rig's own health: a limited or broken rig makes the verdict inconclusive." },
);

export const VERDICT_ANSWERS = ['push-easier', 'push-harder', 'the-same', 'inconclusive'] as const;

const answer = (description: string) => literals(VERDICT_ANSWERS, description);

export const VerdictSchema = Type.Object(
  {
    answer: answer('Overall answer to "would push have made this easier, harder, or the same?".'),
    perPushArm: Type.Object(
      {
        statsd: Type.Optional(answer('The answer for the StatsD arm against the pull arm.')),
        otlp: Type.Optional(answer('The answer for the OTLP arm against the pull arm.')),
      },
      { ...closed, description: 'The same question for each push arm on its own, against the pull arm.' },
    ),
    sentence: text(
      'One sentence: which arm lost or delayed data first, when, how much, what each operator could see.',
    ),
    firstFailure: nullable(FailureSignalSchema, 'The signal the answer rests on; null when no arm failed.'),
    evidence: Type.Array(text('One line of evidence.'), { description: 'The evidence under the sentence.' }),
  },
  { ...closed, description: 'The answer to the question of the rehearsal, with its evidence.' },
);

/** One fault of a game day and who noticed it (measure/liveness.ts). */
export const LivenessFaultSchema = Type.Object(
  {
    kind: literals(FAULT_KINDS, 'What was done to the producers.'),
    arm: ArmSchema,
    at: instant('When the fault was applied (measured, not scheduled).'),
    until: nullable(instant('An instant.'), 'When a hang ended; null: for the rest of the run.'),
    producers: Type.Array(text('A producer id.'), { description: 'The producers the fault took.' }),
    alert: nullable(text('An alert name.'), 'The alert that watches this arm; null: no rule can see it.'),
    detectedAt: nullable(instant('An instant.'), 'When that alert first fired for one of these producers.'),
    timeToDetect: FigureSchema,
  },
  { ...closed, description: 'A fault and how soon its arm’s operator would have known.' },
);

export const LivenessSchema = Type.Object(
  {
    faults: Type.Array(LivenessFaultSchema, { description: 'Every fault of the run, in time order.' }),
    falseAlarms: Type.Array(
      Type.Object(
        {
          arm: ArmSchema,
          alert: text('The alert.'),
          producer: text('The producer it fired for, which was alive then.'),
          firstAt: instant('When it first fired.'),
        },
        { ...closed, description: 'A liveness alert on a producer that was alive.' },
      ),
      { description: 'Alerts that fired on live producers.' },
    ),
    sentence: text('The game day’s answer in one sentence: who knew, and how soon.'),
  },
  { ...closed, description: 'Game day: dead or hung producers, and who knew.' },
);

/** One Pushgateway group at the cut-off (measure/short-lived-jobs.ts). */
export const PushgatewayGroupSchema = Type.Object(
  {
    job: text('The group’s `job` (its grouping key with `instance`).'),
    instance: text('The group’s `instance`.'),
    ageSeconds: Type.Number({ description: '`time() - push_time_seconds` at the cut-off.' }),
    eventsServed: nullable(
      Type.Number(),
      'The events the group still served at the cut-off; null: not read.',
    ),
  },
  { ...closed, description: 'A group the Pushgateway still served at the cut-off.' },
);

/** What the Pushgateway showed of a batch at the cut-off, after its jobs were gone. */
export const PushgatewayStalenessSchema = Type.Object(
  {
    groups: Type.Array(PushgatewayGroupSchema, { description: 'Every group of the batch still served.' }),
    groupsServed: FigureSchema,
    stalenessSecondsMin: FigureSchema,
    stalenessSecondsMax: FigureSchema,
    upAtCutOff: FigureSchema,
    alert: text('The alert on push_time_seconds (a real rule in the subject Prometheus).'),
    alertAfterSeconds: Type.Number({ description: 'Its threshold: `time() - push_time_seconds > X`.' }),
    groupsAlerting: FigureSchema,
    renamed: nullable(
      Type.Object(
        {
          oldJob: text('The job name before the rename.'),
          newJob: text('The job name after it.'),
          oldGroupsServed: FigureSchema,
          oldEventsServed: FigureSchema,
        },
        { ...closed, description: 'The seed’s incident: the old name’s groups still served.' },
      ),
      'The batch renamed its job mid-run (renameAfterJobs); null: it did not.',
    ),
  },
  { ...closed, description: 'The Pushgateway’s staleness: a gone job’s group keeps looking alive.' },
);

/** One batch of short-lived jobs, measured. */
export const JobBatchResultSchema = Type.Object(
  {
    name: text('The batch’s name (spec.jobs[].name).'),
    path: literals(JOB_PATHS, 'How its jobs reported.'),
    count: Type.Integer({ description: 'Jobs the spec asked for.' }),
    lifetimeSeconds: Type.Number({ description: 'How long each job lived (spec).' }),
    scrapeIntervalSeconds: nullable(Type.Number(), 'The subject Prometheus’s scrape interval of the path.'),
    jobsRun: FigureSchema,
    jobsCaptured: FigureSchema,
    eventsGenerated: FigureSchema,
    eventsRecorded: FigureSchema,
    captureRate: FigureSchema,
    pushgateway: nullable(PushgatewayStalenessSchema, 'Path pushgateway only; null otherwise.'),
  },
  { ...closed, description: 'A batch of short-lived jobs: what they generated and what the collector kept.' },
);

export const ShortLivedJobsSchema = Type.Object(
  {
    batches: Type.Array(JobBatchResultSchema, { description: 'Every batch of spec.jobs, in spec order.' }),
    sentence: text('The answer in one sentence: what each path captured, and whether the gone looked alive.'),
  },
  { ...closed, description: 'Game day: short-lived jobs on each path, and the Pushgateway’s staleness.' },
);

/** One `spec.expect` threshold checked against the report (report/expectations.ts). */
export const ExpectationResultSchema = Type.Object(
  {
    figure: Type.Unsafe<FigureName>(
      Type.Union(
        FIGURE_NAMES.map((n) => Type.Literal(n)),
        { description: 'The figure, by its catalogue name (report/figures.ts).' },
      ),
    ),
    op: literals(EXPECTATION_OPS, 'How the measured value must compare with the threshold.'),
    threshold: Type.Number({ description: "The threshold, in the figure's unit." }),
    measured: FigureSchema,
    outcome: literals(['pass', 'fail', 'missing'] as const, 'A missing figure is not a pass.'),
  },
  { ...closed, description: 'An expectation with its measured value.' },
);

export const HEADROOM_KINDS = [
  'scrape-p99-of-timeout',
  'body-size-of-limit',
  'samples-of-limit',
  'collector-cpu-throttled',
  'collector-memory-of-limit',
  'otelcol-memory-of-soft-limit',
  'udp-queue-of-buffer',
] as const;

/** One arm's use of one limit: `share` = used / limit (1 = at the limit; above 1 = over it). */
export const HeadroomSchema = Type.Object(
  {
    arm: ArmSchema,
    kind: literals(HEADROOM_KINDS, 'What is compared.'),
    label: text('e.g. "scrape p99 of the 4 s timeout".'),
    used: FigureSchema,
    limit: FigureSchema,
    share: FigureSchema,
  },
  { ...closed, description: 'How close an arm came to one of its limits.' },
);

/** One collector's resources: the budget spec.collectors gave it and what it used (cgroup or pod). */
export const CollectorResourcesSchema = Type.Object(
  {
    collector: literals(COLLECTOR_NAMES, 'The collector.'),
    arm: ArmSchema,
    limits: Type.Object(
      {
        cpuMillicores: nullable(Type.Number(), 'CPU limit; null: none.'),
        memoryBytes: nullable(Type.Number(), 'Memory limit; null: none.'),
      },
      { ...closed, description: 'Its budget.' },
    ),
    cpuUsedSeconds: FigureSchema,
    throttledPeriods: FigureSchema,
    periods: FigureSchema,
    throttledSeconds: FigureSchema,
    memoryPeakBytes: FigureSchema,
    oomKills: FigureSchema,
    restarts: FigureSchema,
    phases: Type.Optional(
      Type.Array(
        Type.Object(
          {
            phase: text('The phase name, as in the spec.'),
            cpuUsedSeconds: FigureSchema,
            throttledPeriods: FigureSchema,
            periods: FigureSchema,
            throttledSeconds: FigureSchema,
            memoryPeakBytes: FigureSchema,
          },
          { ...closed, description: 'What the collector used within one phase.' },
        ),
        {
          description:
            'Per phase of the load, where the runtime samples the use through the run (a cluster: the kubelet’s cAdvisor series in the rig Prometheus; memory is the sampled working set’s peak).',
        },
      ),
    ),
  },
  { ...closed, description: 'A collector’s budget and what it used from the baseline to the cut-off.' },
);

/** One figure of a run-to-run comparison (report/compare.ts's row): A the report compared with, B this one. */
export const ComparisonRowSchema = Type.Object(
  {
    key: text('Which figure, e.g. "statsd.lossRatio" or "verdict.answer" (report/compare.ts).'),
    label: text('The figure in words.'),
    a: text('Its value in the report compared with, as displayed ("— (reason)" when missing).'),
    b: text('Its value in this report, as displayed.'),
    aValue: nullable(Type.Number(), 'The number behind `a`; null for a text row or a missing figure.'),
    bValue: nullable(Type.Number(), 'The number behind `b`; null for a text row or a missing figure.'),
    change: text('The change from A to B, e.g. "+9.51 pp", "same", "missing in A".'),
    threshold: nullable(text('The limit in words.'), 'The limit this figure is checked against; null: none.'),
    regressed: Type.Boolean({ description: 'B breaches the threshold.' }),
    breach: nullable(text('What was breached.'), 'The breach in words; null when none.'),
  },
  { ...closed, description: 'One figure compared between two runs.' },
);

export const COMPARED_WITH_KINDS = ['previous', 'baseline'] as const;

/** This run compared with the run before it or a pinned baseline (written by the schedule controller). */
export const RunComparisonSchema = Type.Object(
  {
    against: Type.Object(
      {
        kind: literals(
          COMPARED_WITH_KINDS,
          "previous: the schedule's run before this one; baseline: spec.regression.baseline.",
        ),
        name: text('The experiment compared with (for a baseline, its report ConfigMap).'),
        configMap: text('The report ConfigMap read.'),
      },
      { ...closed, description: 'What this run was compared with.' },
    ),
    comparedAt: instant('When the comparison was made.'),
    regressed: Type.Boolean({ description: 'Some threshold was breached.' }),
    breaches: Type.Array(text('One breach.'), { description: 'Every breached threshold, in words.' }),
    rows: Type.Array(ComparisonRowSchema, { description: 'Every compared figure, in table order.' }),
  },
  { ...closed, description: 'This run against another, under the schedule’s spec.regression.' },
);

export const RUN_OUTCOMES = ['completed', 'interrupted', 'failed', 'crashed'] as const;

export const ReportSchema = Type.Object(
  {
    schemaVersion: Type.Literal(REPORT_SCHEMA_VERSION, { description: 'The version of this shape.' }),
    experiment: Type.Object(
      {
        name: text('The experiment name (metadata.name).'),
        namespace: Type.Optional(text('Its namespace (Kubernetes runtime).')),
        runtime: literals(['local', 'kubernetes'] as const, 'Which runtime ran it.'),
        spec: Type.Unsafe<ExperimentSpec>({
          ...ExperimentSpecSchema,
          title: 'ExperimentSpec',
          description: 'The validated spec, every default applied: see docs/spec.md.',
        }),
      },
      { ...closed, description: 'What was run.' },
    ),
    run: Type.Object(
      {
        startedAt: instant('When the run started.'),
        loadStartAt: nullable(
          instant('An instant.'),
          'When the first phase began; null: the load never started.',
        ),
        loadEndAt: nullable(instant('An instant.'), 'When the last phase ended; null: the load never ran.'),
        cutoffAt: nullable(instant('An instant.'), 'The cut-off after the drain; null: never reached.'),
        finishedAt: instant('When the report was assembled.'),
        outcome: literals(
          RUN_OUTCOMES,
          'How the run ended; crashed: the rig was killed and this report rebuilt from what the run kept (pushpull report DIR).',
        ),
        missing: Type.Array(text('One missing piece and why.'), {
          description:
            'What the report lacks and why (e.g. "producer statsd/1 died at ...: its ledger after that is missing").',
        }),
      },
      { ...closed, description: 'The run on the wall clock.' },
    ),
    machine: Type.Object(
      {
        hostname: text('Host name.'),
        cpus: Type.Integer({ description: 'Logical CPUs.', minimum: 0 }),
        cpuModel: text('CPU model.'),
        memoryBytes: Type.Number({ description: 'Total memory in bytes.', minimum: 0 }),
        kernel: text('Kernel release.'),
        node: text('Node.js version of the rig.'),
      },
      { ...closed, description: 'The machine the rig ran on.' },
    ),
    tools: Type.Record(Type.String(), Type.String(), {
      description: 'Version of each real program the run used, by name.',
    }),
    phases: Type.Array(PhaseWindowSchema, { description: 'The phases on the wall clock, in order.' }),
    arms: Type.Object(
      {
        pull: Type.Optional(PullArmResultSchema),
        statsd: Type.Optional(StatsdArmResultSchema),
        otlp: Type.Optional(OtlpArmResultSchema),
      },
      { ...closed, description: 'The results of each arm in the run.' },
    ),
    rig: RigHealthSchema,
    signals: Type.Array(FailureSignalSchema, { description: 'The failure timeline, in time order.' }),
    verdict: VerdictSchema,
    expectations: Type.Optional(
      Type.Array(ExpectationResultSchema, {
        description: 'Each spec.expect threshold with its measured value; absent when the spec sets none.',
      }),
    ),
    liveness: Type.Optional(LivenessSchema),
    jobs: Type.Optional(ShortLivedJobsSchema),
    network: Type.Optional(NetworkSchema),
    collectors: Type.Optional(
      Type.Array(CollectorResourcesSchema, { description: 'Per collector under test: budget and use.' }),
    ),
    headroom: Type.Optional(
      Type.Array(HeadroomSchema, { description: 'How close each arm came to each of its limits.' }),
    ),
    comparisons: Type.Optional(
      Type.Array(RunComparisonSchema, {
        description:
          'Set by a PushPullSchedule once this run finished: it against the run before it and the pinned baseline.',
      }),
    ),
    charts: Type.Array(ChartSeriesSchema, { description: 'The series report.html draws.' }),
  },
  { ...closed, description: 'report.json: one rehearsal, measured.' },
);

export type Figure = Static<typeof FigureSchema>;
export type ChartSeries = Static<typeof ChartSeriesSchema>;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
export type FailureSignal = Static<typeof FailureSignalSchema>;
export type PhaseWindow = Static<typeof PhaseWindowSchema>;
export type PullArmResult = Static<typeof PullArmResultSchema>;
export type PushBooks = Static<typeof PushBooksSchema>;
export type OtlpBooks = Static<typeof OtlpBooksSchema>;
export type StatsdArmResult = Static<typeof StatsdArmResultSchema>;
export type OtlpArmResult = Static<typeof OtlpArmResultSchema>;
export type NetworkResult = Static<typeof NetworkSchema>;
export type NetworkFaultResult = Static<typeof NetworkFaultResultSchema>;
export type RigHealth = Static<typeof RigHealthSchema>;
export type VerdictAnswer = (typeof VERDICT_ANSWERS)[number];
export type Verdict = Static<typeof VerdictSchema>;
export type Report = Static<typeof ReportSchema>;
export type Liveness = Static<typeof LivenessSchema>;
export type ExpectationResult = Static<typeof ExpectationResultSchema>;
export type MachineLoad = Static<typeof MachineLoadSchema>;
export type HeadroomKind = (typeof HEADROOM_KINDS)[number];
export type Headroom = Static<typeof HeadroomSchema>;
export type CollectorResources = Static<typeof CollectorResourcesSchema>;
export type LivenessFault = Static<typeof LivenessFaultSchema>;
export type ShortLivedJobs = Static<typeof ShortLivedJobsSchema>;
export type JobBatchResult = Static<typeof JobBatchResultSchema>;
export type PushgatewayStaleness = Static<typeof PushgatewayStalenessSchema>;
export type ComparisonRow = Static<typeof ComparisonRowSchema>;
export type RunComparison = Static<typeof RunComparisonSchema>;
