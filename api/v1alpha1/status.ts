/**
 * The documented part of a PushPullExperiment's `.status`, which the operator writes. The CRD
 * (api/v1alpha1/crd.ts) keeps unknown status fields (`x-kubernetes-preserve-unknown-fields`) so the operator
 * can add fields before this schema names them; these are the ones `kubectl explain` and the printer
 * columns rely on.
 */
import { type Static, Type } from '@sinclair/typebox';

/** A `metav1.Condition`, as the apiserver's own types define it. */
export const ConditionSchema = Type.Object(
  {
    type: Type.String({ description: 'Condition type in CamelCase, e.g. Ready.', maxLength: 316 }),
    status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')], {
      description: 'True, False or Unknown.',
    }),
    observedGeneration: Type.Optional(
      Type.Integer({ description: 'The .metadata.generation the condition was set for.', minimum: 0 }),
    ),
    lastTransitionTime: Type.String({
      description: 'When the condition last changed status (RFC 3339).',
      format: 'date-time',
    }),
    reason: Type.String({ description: 'A CamelCase reason for the last transition.', maxLength: 1024 }),
    message: Type.String({
      description: 'Human-readable details of the last transition.',
      maxLength: 32_768,
    }),
  },
  { additionalProperties: false, description: 'One observation of the experiment state.' },
);

export const ExperimentStatusSchema = Type.Object(
  {
    phase: Type.Optional(
      Type.String({
        description:
          'Printable summary of the conditions (e.g. Pending, Running, Collecting, Succeeded, Failed); never branched on.',
      }),
    ),
    observedGeneration: Type.Optional(
      Type.Integer({ description: 'The .metadata.generation this status was computed from.', minimum: 0 }),
    ),
    conditions: Type.Optional(
      Type.Array(ConditionSchema, {
        description: 'Conditions, one per type.',
        maxItems: 32,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      }),
    ),
    verdict: Type.Optional(
      Type.String({ description: 'One sentence: which arm lost or delayed data first, when, and how much.' }),
    ),
    arms: Type.Optional(
      Type.String({
        description: 'Per-arm summary for the printer column, e.g. "pull:ok statsd:drops otlp:ok".',
      }),
    ),
    reportConfigMap: Type.Optional(
      Type.String({ description: 'Name of the ConfigMap (same namespace) holding the full report.json.' }),
    ),
    startAt: Type.Optional(
      Type.String({
        description:
          'The wall-clock instant the first phase began (or begins) for every producer (RFC 3339).',
        format: 'date-time',
      }),
    ),
    message: Type.Optional(Type.String({ description: 'Human-readable detail of the current phase.' })),
  },
  {
    description: 'Observed state, written by the operator.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
);

export type Condition = Static<typeof ConditionSchema>;
export type ExperimentStatus = Static<typeof ExperimentStatusSchema>;
