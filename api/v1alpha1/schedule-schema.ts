/**
 * The one source of the PushPullSchedule resource: nightly rehearsals in a cluster. Like a CronJob
 * owns Jobs, a schedule owns one PushPullExperiment per cron tick, made from its template. From this
 * TypeBox schema come the types, `validateScheduleDocument` (api/v1alpha1/validate-schedule.ts) and
 * the CRD (api/v1alpha1/schedule-crd.ts); the template's spec is the experiment's own schema, so the
 * apiserver checks it with the experiment's rules. Same CRD-structural subset as schema.ts.
 */
import { type Static, Type } from '@sinclair/typebox';
import { cronPattern } from '../../schedule/cron.ts';
import { timeZones } from '../../schedule/cron-zone.ts';
import { ExperimentDocumentSchema, type ExperimentSpec, ExperimentSpecSchema } from './schema.ts';

const experimentMetadata = ExperimentDocumentSchema.properties.metadata.properties;

export const SCHEDULE_KIND = 'PushPullSchedule';
/** Experiment names are `<schedule>-<yyyymmdd>-<hhmm>` (UTC) and must fit the experiment's 53. */
export const SCHEDULE_NAME_MAX = 39;

export const CONCURRENCY_POLICIES = ['Forbid', 'Replace'] as const;
export const CLEANUP_ACTIONS = ['Delete', 'Keep'] as const;

/** How much worse a run may be than the one before it before it counts as a regression. */
export const RegressionSchema = Type.Object(
  {
    maxLossRatioIncrease: Type.Optional(
      Type.Number({
        description: "Largest allowed rise of StatsD's loss ratio, absolute (0.01 = one point).",
        minimum: 0,
      }),
    ),
    maxP99Increase: Type.Optional(
      Type.Number({
        description: "Largest allowed relative rise of pull's scrape p99 (0.2 = +20%).",
        minimum: 0,
      }),
    ),
    maxUpZeroIncrease: Type.Optional(
      Type.Number({ description: "Largest allowed rise of pull's up == 0 samples.", minimum: 0 }),
    ),
    maxOtlpLossIncrease: Type.Optional(
      Type.Number({ description: 'Largest allowed rise of OTLP refused + failed points.', minimum: 0 }),
    ),
    maxFirstFailureEarlierSeconds: Type.Optional(
      Type.Number({
        description: 'How many seconds earlier the first failure may come (a new failure counts).',
        minimum: 0,
      }),
    ),
    baseline: Type.Optional(
      Type.String({
        description:
          "A report ConfigMap in the same namespace (e.g. a known-good night's `<experiment>-report`) every run is also compared with.",
        pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
        maxLength: 253,
      }),
    ),
    failOnVerdictChange: Type.Boolean({
      description: 'A changed verdict answer is a regression.',
      default: true,
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description:
      'Regression thresholds: each finished run is compared with the one before it and with the baseline, if set (as `pushpull compare` does); a breach sets the Regressed condition.',
  },
);

export const CleanupSchema = Type.Object(
  {
    succeeded: Type.Union(
      CLEANUP_ACTIONS.map((a) => Type.Literal(a)),
      { description: 'Workload of a run that succeeded and passed its expectations.', default: 'Delete' },
    ),
    failed: Type.Union(
      CLEANUP_ACTIONS.map((a) => Type.Literal(a)),
      {
        description: 'Workload of a run that failed or did not pass its expectations (kept for inspection).',
        default: 'Keep',
      },
    ),
  },
  {
    additionalProperties: false,
    default: {},
    description:
      "What happens to each finished run's workload (pods, Services, ConfigMaps); the report is always kept.",
  },
);

export const ScheduleSpecSchema = Type.Object(
  {
    schedule: Type.String({
      description:
        'Cron expression: minute hour day-of-month month day-of-week, with ranges, steps, lists and names (e.g. "15 9 * * mon-fri"), or @hourly, @daily, @weekly, @monthly, @yearly.',
      pattern: cronPattern(),
      maxLength: 100,
    }),
    timeZone: Type.Union(
      timeZones().map((z) => Type.Literal(z)),
      { description: 'IANA time zone the cron expression is read in.', default: 'UTC' },
    ),
    concurrencyPolicy: Type.Union(
      CONCURRENCY_POLICIES.map((p) => Type.Literal(p)),
      {
        description:
          'When a tick comes while the previous run is still going: Forbid skips the tick, Replace deletes the running one and starts anew.',
        default: 'Forbid',
      },
    ),
    startingDeadlineSeconds: Type.Integer({
      description: 'A tick missed (operator down, Forbid) by more than this is skipped.',
      minimum: 10,
      maximum: 86_400,
      default: 300,
    }),
    historyLimit: Type.Integer({
      description: 'Finished experiments kept; older ones are deleted (their reports are kept).',
      minimum: 1,
      maximum: 100,
      default: 3,
    }),
    reportHistoryLimit: Type.Integer({
      description:
        'Reports kept (in ConfigMaps owned by the schedule) after their experiments are deleted, for `pushpull history`; older ones are deleted.',
      minimum: 1,
      maximum: 1000,
      default: 30,
    }),
    suspend: Type.Boolean({ description: 'Create no new experiments while true.', default: false }),
    regression: Type.Optional(RegressionSchema),
    cleanup: Type.Optional(CleanupSchema),
    template: Type.Object(
      {
        metadata: Type.Optional(
          Type.Object(
            {
              labels: Type.Optional(
                Type.Record(Type.String(), Type.String(), { description: 'Labels of each experiment.' }),
              ),
              annotations: Type.Optional(
                Type.Record(Type.String(), Type.String(), { description: 'Annotations of each experiment.' }),
              ),
            },
            { additionalProperties: false, description: "Metadata copied into each experiment's." },
          ),
        ),
        spec: ExperimentSpecSchema,
      },
      {
        additionalProperties: false,
        description: 'The experiment each tick creates: a PushPullExperiment spec, validated as one.',
      },
    ),
  },
  {
    additionalProperties: false,
    description: 'Rehearse an experiment on a cron schedule, keeping its history.',
  },
);

/** The file form: a full Kubernetes object. */
export const ScheduleDocumentSchema = Type.Object(
  {
    apiVersion: Type.Literal('pushpull.dev/v1alpha1', { description: 'pushpull.dev/v1alpha1' }),
    kind: Type.Literal(SCHEDULE_KIND, { description: SCHEDULE_KIND }),
    metadata: Type.Object(
      {
        name: Type.String({
          description: `Schedule name (a DNS-1123 label of at most ${SCHEDULE_NAME_MAX} characters: experiments add -yyyymmdd-hhmm).`,
          pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
          maxLength: SCHEDULE_NAME_MAX,
        }),
        // Namespace, labels and annotations as the experiment's document has them.
        namespace: experimentMetadata.namespace,
        labels: experimentMetadata.labels,
        annotations: experimentMetadata.annotations,
      },
      { additionalProperties: false, description: 'Object metadata.' },
    ),
    spec: ScheduleSpecSchema,
  },
  {
    additionalProperties: false,
    description:
      'A PushPullSchedule: nightly rehearsals, one PushPullExperiment per cron tick, with history.',
  },
);

export type ConcurrencyPolicy = (typeof CONCURRENCY_POLICIES)[number];
export type CleanupAction = (typeof CLEANUP_ACTIONS)[number];
export type Regression = Static<typeof RegressionSchema>;
export type Cleanup = Static<typeof CleanupSchema>;
/** A validated schedule spec with every default applied. */
export type ScheduleSpec = Omit<Static<typeof ScheduleSpecSchema>, 'template' | 'regression' | 'cleanup'> & {
  regression: Regression;
  cleanup: Cleanup;
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: ExperimentSpec;
  };
};
export type ScheduleDocument = Omit<Static<typeof ScheduleDocumentSchema>, 'spec'> & { spec: ScheduleSpec };
