/**
 * The one source of the PushPullExperiment spec. From this TypeBox schema come the TypeScript types
 * (`ExperimentSpec`), the defaults, `pushpull validate` (api/v1alpha1/validate.ts) and the CRD's
 * openAPIV3Schema (api/v1alpha1/crd.ts). Keep it to the JSON-Schema subset a CRD structural schema accepts:
 * objects with fixed properties, arrays, string enums, patterns, numbers with bounds, booleans.
 * Every field carries a description, which `kubectl explain ppx.spec...` shows.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { FIGURE_NAMES, type FigureName } from '../../report/figure-names.ts';
import { CPU_QUANTITY_PATTERN, MEMORY_QUANTITY_PATTERN } from './quantity.ts';

const seconds = (description: string, opts: { minimum?: number; maximum?: number; default?: number } = {}) =>
  Type.Number({ description, minimum: 0, ...opts });

const int = (description: string, opts: { minimum?: number; maximum?: number; default?: number } = {}) =>
  Type.Integer({ description, ...opts });

/** Pull arm: Prometheus scrapes each virtual producer's own `/metrics`. */
export const PullArmSchema = Type.Object(
  {
    scrapeIntervalSeconds: seconds('Prometheus scrape_interval for the producers, in seconds.', {
      minimum: 1,
      maximum: 300,
      default: 5,
    }),
    scrapeTimeoutSeconds: seconds(
      'Prometheus scrape_timeout, in seconds; must not exceed scrapeIntervalSeconds.',
      { minimum: 0.1, maximum: 300, default: 4 },
    ),
    sampleLimit: int('Prometheus sample_limit per scrape; 0 means no limit.', {
      minimum: 0,
      maximum: 100_000_000,
      default: 0,
    }),
    bodySizeLimitBytes: int(
      'Prometheus body_size_limit per scrape (uncompressed), in bytes; 0 means no limit.',
      { minimum: 0, maximum: 4_294_967_296, default: 0 },
    ),
  },
  { additionalProperties: false, description: 'Pull collection: Prometheus scraping /metrics.' },
);

export const STATSD_MODES = ['perEvent', 'buffered', 'aggregated'] as const;

/** StatsD arm: producers send UDP datagrams to statsd_exporter. */
export const StatsdArmSchema = Type.Object(
  {
    mode: Type.Union(
      STATSD_MODES.map((m) => Type.Literal(m)),
      {
        description:
          'perEvent: one datagram per metric update; buffered: the client packs updates into datagrams up to maxBufferBytes; aggregated: the producer aggregates in memory and flushes every flushIntervalMs.',
        default: 'perEvent',
      },
    ),
    maxBufferBytes: int('Largest datagram payload the client builds in buffered/aggregated mode.', {
      minimum: 64,
      maximum: 65_000,
      default: 1432,
    }),
    flushIntervalMs: int('Client flush interval in milliseconds (buffered and aggregated modes).', {
      minimum: 10,
      maximum: 60_000,
      default: 1000,
    }),
    flushJitter: Type.Boolean({
      description:
        'aggregated mode: spread each producer flush by a seeded random offset within the interval (true) or flush every producer at the same wall-clock instant (false).',
      default: true,
    }),
    receiveBufferBytes: int(
      "statsd_exporter's UDP receive buffer (SO_RCVBUF) in bytes; the kernel caps it at net.core.rmem_max.",
      { minimum: 4096, maximum: 268_435_456, default: 212_992 },
    ),
    heartbeatIntervalSeconds: seconds(
      'Each producer sends a pushpull_heartbeat gauge this often, so an alert can tell a dead producer from a quiet one; 0: no heartbeat (nothing can then detect a dead StatsD producer).',
      { maximum: 300, default: 0 },
    ),
    heartbeatTtlSeconds: seconds(
      "statsd_exporter mapping ttl of the heartbeat: a producer's heartbeat series expires this long after its last datagram.",
      { minimum: 1, maximum: 3600, default: 10 },
    ),
  },
  { additionalProperties: false, description: 'Push collection over UDP: StatsD into statsd_exporter.' },
);

export const OTLP_PROTOCOLS = ['grpc', 'http'] as const;
export const TEMPORALITIES = ['cumulative', 'delta'] as const;

/** OTLP arm: the OpenTelemetry JS SDK exports to an OpenTelemetry Collector. */
export const OtlpArmSchema = Type.Object(
  {
    protocol: Type.Union(
      OTLP_PROTOCOLS.map((p) => Type.Literal(p)),
      {
        description: 'OTLP transport: grpc (port 4317) or http (protobuf over HTTP, port 4318).',
        default: 'grpc',
      },
    ),
    exportIntervalMs: int('Periodic exporter interval in milliseconds.', {
      minimum: 100,
      maximum: 60_000,
      default: 1000,
    }),
    temporality: Type.Union(
      TEMPORALITIES.map((t) => Type.Literal(t)),
      { description: 'Aggregation temporality of exported sums and histograms.', default: 'cumulative' },
    ),
    seriesExpirationSeconds: seconds(
      "otelcol's Prometheus exporter metric_expiration: a producer's series disappear this long after its last export (its default is 300).",
      { minimum: 1, maximum: 3600, default: 300 },
    ),
  },
  { additionalProperties: false, description: 'Push collection over OTLP into an OpenTelemetry Collector.' },
);

export const ArmsSchema = Type.Object(
  {
    pull: Type.Optional(PullArmSchema),
    statsd: Type.Optional(StatsdArmSchema),
    otlp: Type.Optional(OtlpArmSchema),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'Collection arms run side by side under the same load; each arm gets its own fleet of producers. At least one.',
  },
);

export const FleetSchema = Type.Object(
  {
    producers: int('Virtual producers per arm at scale 1: each is one scrape target or one emitter.', {
      minimum: 1,
      maximum: 100_000,
      default: 1400,
    }),
    producersPerProcess: int('Virtual producers hosted by one producer process (one pod in a cluster).', {
      minimum: 1,
      maximum: 2000,
      default: 50,
    }),
  },
  { additionalProperties: false, description: 'The producer fleet.' },
);

export const PhaseSchema = Type.Object(
  {
    name: Type.String({
      description: 'Phase name, shown in progress and the report.',
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      maxLength: 63,
    }),
    durationSeconds: seconds('How long the phase lasts, in seconds (the ramp included).', {
      minimum: 0.1,
      maximum: 86_400,
    }),
    eventsPerSecond: Type.Number({
      description: 'Fleet-wide order events per second at scale 1, reached at the end of the ramp.',
      minimum: 0,
      maximum: 100_000_000,
    }),
    rampSeconds: seconds(
      "Linear ramp from the previous phase's rate to this phase's rate, in seconds; 0 is a step.",
      { maximum: 86_400, default: 0 },
    ),
    symbols: int(
      'Distinct symbols producers use from this phase on (series cardinality grows; it never shrinks).',
      { minimum: 1, maximum: 100_000 },
    ),
  },
  { additionalProperties: false, description: 'One phase of the rate schedule.' },
);

export const LoadSchema = Type.Object(
  {
    startAt: Type.Optional(
      Type.String({
        description:
          'Wall-clock instant (RFC 3339, e.g. 2026-11-26T09:15:00Z) when the first phase begins for every producer. Omit it to start warmupSeconds after the producers are ready.',
        format: 'date-time',
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
      }),
    ),
    warmupSeconds: seconds('Delay between producers ready and the first phase, when startAt is not set.', {
      maximum: 3600,
      default: 10,
    }),
    phases: Type.Array(PhaseSchema, {
      minItems: 1,
      maxItems: 50,
      description: 'The rate schedule, in order.',
    }),
  },
  { additionalProperties: false, description: 'The load: a wall-clock-synchronised rate schedule.' },
);

export const SeriesSchema = Type.Object(
  {
    regions: int('Distinct region label values.', { minimum: 1, maximum: 100, default: 3 }),
    routes: int('Distinct route label values.', { minimum: 1, maximum: 100, default: 4 }),
    statuses: int('Distinct status label values.', { minimum: 1, maximum: 20, default: 3 }),
    histogramBuckets: int('Buckets of the order latency histogram.', {
      minimum: 1,
      maximum: 100,
      default: 12,
    }),
  },
  {
    additionalProperties: false,
    description:
      "Label dimensions of the producers' metrics; with each phase's symbols they set the series count and so the /metrics body size.",
    // Defaults as a whole: an omitted `series` becomes {} and then takes each field's default
    // (the apiserver's structural defaulting does the same).
    default: {},
  },
);

export const CollectionSchema = Type.Object(
  {
    prometheusURL: Type.Optional(
      Type.String({
        description:
          'Collect results from this existing Prometheus (http or https URL) instead of the in-cluster subject Prometheus.',
        pattern: '^https?://[^\\s]+$',
        maxLength: 2048,
      }),
    ),
    drainSeconds: seconds('After the last phase, how long to wait for in-flight data before the cut-off.', {
      maximum: 600,
      default: 5,
    }),
  },
  { additionalProperties: false, description: 'How results are collected after the load.', default: {} },
);

export const EXPECTATION_OPS = ['<', '<=', '==', '>=', '>'] as const;

/** One threshold on a named report figure (the names are report/figures.ts' catalogue). */
export const ExpectationSchema = Type.Object(
  {
    figure: Type.Union(
      FIGURE_NAMES.map((name) => Type.Literal(name)),
      { description: 'The report figure, by name (docs/spec.md lists them with their units).' },
    ),
    op: Type.Union(
      EXPECTATION_OPS.map((op) => Type.Literal(op)),
      { description: 'How the measured value must compare with the threshold.' },
    ),
    threshold: Type.Number({
      description: "The threshold, in the figure's unit (ratios as fractions: 0.001 is 0.1%).",
      minimum: -1e15,
      maximum: 1e15,
    }),
  },
  {
    additionalProperties: false,
    description: 'An expectation: figure op threshold, e.g. statsd.lossRatio <= 0.001.',
  },
);

export const FAULT_KINDS = ['kill', 'hang'] as const;

/** A fault at a time: some of one arm's producers killed or hung. */
export const FaultSchema = Type.Object(
  {
    kind: Type.Union(
      FAULT_KINDS.map((k) => Type.Literal(k)),
      {
        description:
          'kill: the producer process is SIGKILLed (a pod deleted with no grace in a cluster); hang: its event loop blocks, so it stops answering while its sockets stay open, as a stuck process looks to a scraper.',
      },
    ),
    arm: Type.Union(
      (['pull', 'statsd', 'otlp'] as const).map((a) => Type.Literal(a)),
      { description: 'The arm whose producers the fault takes; the arm must be in spec.arms.' },
    ),
    phase: Type.String({
      description: 'The phase the fault happens in (a name in load.phases).',
      minLength: 1,
      maxLength: 63,
    }),
    offsetSeconds: seconds('Seconds after the start of that phase.', { maximum: 86_400, default: 0 }),
    producers: Type.Optional(
      int('How many of the arm’s producers (rounded up to whole producer processes). Set this or share.', {
        minimum: 1,
        maximum: 1_000_000,
      }),
    ),
    share: Type.Optional(
      Type.Number({
        description:
          'Which share of the arm’s producers (rounded up to whole producer processes). Set this or producers.',
        exclusiveMinimum: 0,
        maximum: 1,
      }),
    ),
    durationSeconds: Type.Optional(
      seconds('hang only: how long the producer stays hung; omitted: for the rest of the run.', {
        minimum: 0.1,
        maximum: 86_400,
      }),
    ),
  },
  { additionalProperties: false, description: 'A fault at a time on some of one arm’s producers.' },
);

export const NETWORK_FAULT_KINDS = ['loss', 'partition', 'bandwidth', 'delay'] as const;
export const NETWORK_DIRECTIONS = ['to-collector', 'from-collector', 'both'] as const;

/** A fault on the network path between one arm's producers and its collector, at a time, for a duration. */
export const NetworkFaultSchema = Type.Object(
  {
    kind: Type.Union(
      NETWORK_FAULT_KINDS.map((k) => Type.Literal(k)),
      {
        description:
          'loss: a share of the packets is dropped (lossShare); partition: every packet is dropped; bandwidth: the path is limited to bitsPerSecond; delay: packets are held for delayMilliseconds (needs sch_netem locally, or Chaos Mesh in a cluster; a local runtime without it refuses the spec before starting).',
      },
    ),
    arm: Type.Union(
      (['pull', 'statsd', 'otlp'] as const).map((a) => Type.Literal(a)),
      {
        description:
          'The arm whose path the fault is on (its producers ↔ its collector); the arm must be in spec.arms.',
      },
    ),
    direction: Type.Union(
      NETWORK_DIRECTIONS.map((d) => Type.Literal(d)),
      {
        description:
          'Which packets: to-collector travel from the producers’ side to the collector’s (StatsD datagrams, OTLP export requests, scrape responses); from-collector the other way (OTLP export responses, scrape requests); both.',
        default: 'both',
      },
    ),
    phase: Type.String({
      description: 'The phase the fault starts in (a name in load.phases).',
      minLength: 1,
      maxLength: 63,
    }),
    offsetSeconds: seconds('Seconds after the start of that phase.', { maximum: 86_400, default: 0 }),
    durationSeconds: seconds('How long the fault lasts; the path heals after it.', {
      minimum: 0.1,
      maximum: 86_400,
    }),
    lossShare: Type.Optional(
      Type.Number({
        description: 'loss only: the share of packets dropped, e.g. 0.3 for 30%.',
        exclusiveMinimum: 0,
        maximum: 1,
      }),
    ),
    bitsPerSecond: Type.Optional(
      int('bandwidth only: the rate the path is limited to, in bits per second.', {
        minimum: 8_000,
        maximum: 100_000_000_000,
      }),
    ),
    delayMilliseconds: Type.Optional(
      int('delay only: how long each packet is held, in milliseconds.', { minimum: 1, maximum: 60_000 }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A network fault on one arm’s path, at a time and for a duration.',
  },
);

export const JOB_PATHS = ['pull-direct', 'pushgateway', 'statsd', 'otlp'] as const;

/** A batch of short-lived jobs: processes that live briefly, report their events one way, and exit. */
export const JobBatchSchema = Type.Object(
  {
    name: Type.String({
      description: 'The batch’s job name (the `job` label / grouping key), a DNS-1123 label.',
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      maxLength: 40,
    }),
    path: Type.Union(
      JOB_PATHS.map((p) => Type.Literal(p)),
      {
        description:
          'pull-direct: the job serves /metrics while it lives and the subject Prometheus scrapes it; pushgateway: it pushes to the Pushgateway on exit (grouping key job + instance, scraped with honor_labels); statsd: it sends StatsD and flushes on exit; otlp: it exports OTLP and flushes at SDK shutdown. The path’s arm (pull for pull-direct and pushgateway) must be in spec.arms.',
      },
    ),
    count: int('How many jobs the batch runs.', { minimum: 1, maximum: 10_000 }),
    lifetimeSeconds: seconds('How long each job lives, e.g. 0.8 or 8.', { minimum: 0.05, maximum: 3_600 }),
    eventsPerJob: int('Events each job generates over its life.', {
      minimum: 1,
      maximum: 1_000_000,
      default: 100,
    }),
    phase: Type.String({
      description: 'The phase the batch starts in (a name in load.phases).',
      minLength: 1,
      maxLength: 63,
    }),
    offsetSeconds: seconds('Seconds after the start of that phase when the first job starts.', {
      maximum: 86_400,
      default: 0,
    }),
    spreadSeconds: seconds('The job starts are spread evenly over this many seconds (0: all at once).', {
      maximum: 86_400,
      default: 0,
    }),
    maxConcurrent: int('At most this many jobs of the batch live at once (a bound on processes).', {
      minimum: 1,
      maximum: 256,
      default: 8,
    }),
    renameAfterJobs: Type.Optional(
      int(
        'The seed’s incident: after this many jobs the batch’s job name changes to NAME-renamed, so the old Pushgateway group keeps serving its last value.',
        { minimum: 1, maximum: 10_000 },
      ),
    ),
    staleAfterSeconds: seconds(
      'pushgateway: the alert `time() - push_time_seconds > staleAfterSeconds` (a real rule in the subject Prometheus) calls a group stale; the report says what it would have said at the cut-off.',
      { minimum: 1, maximum: 86_400, default: 10 },
    ),
  },
  { additionalProperties: false, description: 'A batch of short-lived jobs on one path.' },
);

/** How each arm's operator would alert on a dead producer (rendered as real Prometheus rules). */
export const LivenessSchema = Type.Object(
  {
    evaluationIntervalSeconds: seconds('The subject Prometheus evaluation_interval for the liveness rules.', {
      minimum: 1,
      maximum: 300,
      default: 1,
    }),
    forSeconds: seconds('The alerts’ `for`: how long a condition must hold before the alert fires.', {
      maximum: 3600,
      default: 0,
    }),
    lookbackSeconds: seconds(
      'How far back an absence rule remembers a producer it has seen (the max_over_time window).',
      { minimum: 10, maximum: 86_400, default: 900 },
    ),
  },
  {
    additionalProperties: false,
    description:
      'Liveness alerting: pull up == 0; StatsD a heartbeat absence (when arms.statsd.heartbeatIntervalSeconds > 0); OTLP a per-producer series absence.',
    default: {},
  },
);

/** CPU and memory of one collector: a cgroup locally, requests = limits in a cluster. */
export const CollectorBudgetSchema = Type.Object(
  {
    cpu: Type.Optional(
      Type.String({
        description:
          'CPU limit as a Kubernetes quantity (250m, 0.5, 2): a CFS quota locally, requests and limits in a cluster. Omit for no limit.',
        pattern: CPU_QUANTITY_PATTERN,
      }),
    ),
    memory: Type.Optional(
      Type.String({
        description:
          'Memory limit as a Kubernetes quantity (256Mi, 1Gi): a cgroup memory limit locally (exceeding it is an OOM kill), requests and limits in a cluster. Omit for no limit.',
        pattern: MEMORY_QUANTITY_PATTERN,
      }),
    ),
  },
  { additionalProperties: false, description: 'Resources of one collector under test.' },
);

export const COLLECTOR_NAMES = ['prometheus', 'statsd', 'otelcol', 'pushgateway'] as const;

/** One collector's optional budget, described for `kubectl explain`. */
const budgetOf = (description: string) =>
  Type.Optional(Type.Object(CollectorBudgetSchema.properties, { additionalProperties: false, description }));

export const CollectorsSchema = Type.Object(
  {
    prometheus: budgetOf(
      "The subject Prometheus (the pull arm's collector; the rig Prometheus is never limited).",
    ),
    statsd: budgetOf("statsd_exporter (the statsd arm's collector)."),
    otelcol: budgetOf(
      "The OpenTelemetry Collector (the otlp arm's collector); its memory_limiter and GOMEMLIMIT are derived from memory.",
    ),
    pushgateway: budgetOf('The Pushgateway, when a scenario uses it.'),
    scaleWithFleet: Type.Boolean({
      description:
        "Multiply every budget by `scale` (a wind-tunnel model: a rehearsal at 1% of the fleet gets 1% of the collectors' budget). false: the budgets apply as written.",
      default: false,
    }),
  },
  {
    additionalProperties: false,
    description:
      'CPU and memory budgets of the collectors under test, sized like production so the rehearsal fails the way production does. Omitted: the collectors may use the whole machine.',
  },
);

/** The breaking point: the experiment run as geometric load steps (as `pushpull sweep`). */
export const SweepSchema = Type.Object(
  {
    grows: Type.Literal('eventsPerSecond', {
      description:
        "What grows from step to step: every phase's events per second. The fleet, the series and the collectors' sizing stay as written.",
      default: 'eventsPerSecond',
    }),
    start: Type.Number({
      description: "Load multiplier of the first step (1: the spec's load).",
      exclusiveMinimum: 0,
      maximum: 1000,
      default: 1,
    }),
    factor: Type.Number({
      description: 'Each step multiplies the previous step’s load by this.',
      exclusiveMinimum: 1,
      maximum: 100,
      default: 2,
    }),
    maxSteps: int('At most this many steps.', { minimum: 1, maximum: 20, default: 4 }),
    maxSeconds: int('Wall-clock budget of the whole sweep: a step that would end later is not started.', {
      minimum: 60,
      maximum: 86_400,
      default: 1800,
    }),
  },
  {
    additionalProperties: false,
    description:
      'Run the experiment as a sweep: one step at a time at growing load, each step with its own report, until every arm has failed, the rig or the machine became the limit, or the steps or the time run out; then a capacity report with the one-sentence answer. `pushpull run` sweeps too (as `pushpull sweep`).',
  },
);

export const ExperimentSpecSchema = Type.Object(
  {
    seed: int('Seed for all randomness (labels, latencies, flush jitter).', {
      minimum: 0,
      maximum: 2_147_483_647,
      default: 1,
    }),
    scale: Type.Number({
      description:
        'Shrinks the fleet and the rates for small machines: producers and events per second are multiplied by it (at least one producer). Per-target series and body sizes are not scaled.',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 1,
    }),
    maxDurationSeconds: seconds(
      'Upper bound on warm-up + phases + drain; a spec whose schedule is longer is rejected.',
      { minimum: 1, maximum: 86_400, default: 900 },
    ),
    fleet: FleetSchema,
    load: LoadSchema,
    series: Type.Optional(SeriesSchema),
    arms: ArmsSchema,
    collection: Type.Optional(CollectionSchema),
    collectors: Type.Optional(CollectorsSchema),
    expect: Type.Optional(
      Type.Array(ExpectationSchema, {
        maxItems: 50,
        description:
          'Pass/fail thresholds on report figures. Every report lists each with its measured value; a missing figure does not pass. `pushpull run` exits 3 and the experiment is not Passed when one fails.',
      }),
    ),
    faults: Type.Optional(
      Type.Array(FaultSchema, {
        description: 'Game day: faults at a time (a producer killed or hung).',
        maxItems: 32,
      }),
    ),
    networkFaults: Type.Optional(
      Type.Array(NetworkFaultSchema, {
        description: 'Game day: faults on the network path of an arm (loss, partition, bandwidth, delay).',
        maxItems: 16,
      }),
    ),
    jobs: Type.Optional(
      Type.Array(JobBatchSchema, {
        description: 'Game day: batches of short-lived jobs (pull direct, the Pushgateway, StatsD, OTLP).',
        maxItems: 16,
      }),
    ),
    liveness: Type.Optional(LivenessSchema),
    sweep: Type.Optional(SweepSchema),
    ttlSecondsAfterFinished: Type.Optional(
      int(
        'Kubernetes runtime: delete the workload this long after the experiment finishes (the report stays).',
        {
          minimum: 0,
          maximum: 604_800,
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'A market-open burst rehearsal: load, fleet, and the arms to compare.',
  },
);

export const API_GROUP = 'pushpull.dev';
export const API_VERSION = 'v1alpha1';
export const KIND = 'PushPullExperiment';

/** The file form: a full Kubernetes object, so one YAML serves `pushpull run` and `kubectl apply`. */
export const ExperimentDocumentSchema = Type.Object(
  {
    apiVersion: Type.Literal(`${API_GROUP}/${API_VERSION}`, { description: 'pushpull.dev/v1alpha1' }),
    kind: Type.Literal(KIND, { description: KIND }),
    metadata: Type.Object(
      {
        name: Type.String({
          description: 'Experiment name (a DNS-1123 label).',
          pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
          maxLength: 53,
        }),
        namespace: Type.Optional(Type.String({ description: 'Namespace (Kubernetes runtime).' })),
        labels: Type.Optional(
          Type.Record(Type.String(), Type.String(), { description: 'Labels (Kubernetes runtime).' }),
        ),
        annotations: Type.Optional(
          Type.Record(Type.String(), Type.String(), { description: 'Annotations (Kubernetes runtime).' }),
        ),
      },
      { additionalProperties: false, description: 'Object metadata.' },
    ),
    spec: ExperimentSpecSchema,
  },
  {
    additionalProperties: false,
    description:
      'A PushPullExperiment: one rehearsal of a market-open burst, collected by pull and push side by side.',
  },
);

export type PullArm = Static<typeof PullArmSchema>;
export type StatsdArm = Static<typeof StatsdArmSchema>;
export type StatsdMode = (typeof STATSD_MODES)[number];
export type OtlpArm = Static<typeof OtlpArmSchema>;
export type Arms = Static<typeof ArmsSchema>;
export type ArmName = keyof Arms;
export const ARM_NAMES = ['pull', 'statsd', 'otlp'] as const satisfies readonly ArmName[];
export type Phase = Static<typeof PhaseSchema>;
export type Load = Static<typeof LoadSchema>;
export type Series = Static<typeof SeriesSchema>;
export type Collection = Static<typeof CollectionSchema>;
export type CollectorBudget = Static<typeof CollectorBudgetSchema>;
export type Collectors = Static<typeof CollectorsSchema>;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];
export type ExpectationOp = (typeof EXPECTATION_OPS)[number];
export type Expectation = Static<typeof ExpectationSchema> & { figure: FigureName };
export type Fault = Static<typeof FaultSchema>;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type Liveness = Static<typeof LivenessSchema>;
export type NetworkFault = Static<typeof NetworkFaultSchema>;
export type NetworkFaultKind = (typeof NETWORK_FAULT_KINDS)[number];
export type NetworkDirection = (typeof NETWORK_DIRECTIONS)[number];
export type JobBatch = Static<typeof JobBatchSchema>;
export type Sweep = Static<typeof SweepSchema>;
export type JobPath = (typeof JOB_PATHS)[number];
/** A spec as written: optional fields may be missing. */
export type ExperimentSpecInput = Static<typeof ExperimentSpecSchema>;
/** A validated spec with every default applied (see api/v1alpha1/validate.ts). */
export type ExperimentSpec = ExperimentSpecInput & {
  series: Series;
  collection: Collection & { drainSeconds: number };
  liveness: Liveness;
};
export type ExperimentDocument = Omit<Static<typeof ExperimentDocumentSchema>, 'spec'> & {
  spec: ExperimentSpec;
};

export type { TSchema };
