/**
 * The documented part of a PushPullSchedule's `.status`, written by the operator's schedule controller
 * (operator/schedule/). The CRD keeps unknown status fields; these are the ones the printer columns,
 * `kubectl explain` and `pushpull history` rely on.
 */
import { type Static, Type } from '@sinclair/typebox';
import { ConditionSchema } from './status.ts';

/** One kept run of the schedule, newest first in `history`. */
export const ScheduleRunSchema = Type.Object(
  {
    name: Type.String({ description: 'The PushPullExperiment.' }),
    scheduledAt: Type.String({
      description: 'The cron tick it was created for (RFC 3339).',
      format: 'date-time',
    }),
    phase: Type.String({ description: "The experiment's phase when last seen." }),
    result: Type.String({
      description:
        'Passed, NotPassed (an expectation failed or is missing), NoExpectations, Failed, or Running.',
    }),
    verdict: Type.Optional(Type.String({ description: "The report's verdict answer." })),
    reportConfigMap: Type.Optional(Type.String({ description: 'ConfigMap holding report.json (kept).' })),
    regressed: Type.Optional(
      Type.Boolean({ description: 'Whether it regressed against the run before it.' }),
    ),
  },
  { additionalProperties: false, description: 'A run of the schedule.' },
);

export const ScheduleStatusSchema = Type.Object(
  {
    observedGeneration: Type.Optional(
      Type.Integer({ description: 'The .metadata.generation this status was computed from.', minimum: 0 }),
    ),
    conditions: Type.Optional(
      Type.Array(ConditionSchema, {
        description: 'Conditions, one per type.',
        maxItems: 16,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      }),
    ),
    lastScheduleTime: Type.Optional(
      Type.String({ description: 'The last tick an experiment was created for.', format: 'date-time' }),
    ),
    nextScheduleTime: Type.Optional(Type.String({ description: 'The next tick.', format: 'date-time' })),
    lastRun: Type.Optional(Type.String({ description: 'The newest experiment.' })),
    lastVerdict: Type.Optional(Type.String({ description: 'Verdict answer of the newest finished run.' })),
    lastResult: Type.Optional(
      Type.String({ description: 'Result of the newest finished run (see history).' }),
    ),
    active: Type.Optional(
      Type.Array(Type.String({ description: 'An experiment name.' }), { description: 'Runs still going.' }),
    ),
    history: Type.Optional(Type.Array(ScheduleRunSchema, { description: 'Kept runs, newest first.' })),
    message: Type.Optional(Type.String({ description: 'Human-readable detail.' })),
  },
  {
    description: 'Observed state, written by the operator.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
);

export type ScheduleRun = Static<typeof ScheduleRunSchema>;
export type ScheduleStatus = Static<typeof ScheduleStatusSchema>;
