/**
 * Names, labels, selectors and owner references of everything an experiment owns. One place, so the
 * renderer, the subject Prometheus relabeling, the reconciler's readiness check and TTL cleanup agree.
 */

import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { API_GROUP, API_VERSION, type ArmName, KIND } from '../../api/v1alpha1/schema.ts';
import type { ExperimentObject } from './types.ts';

/** The label every owned object carries; its value is the experiment name. */
export const EXPERIMENT_LABEL = `${API_GROUP}/experiment`;
/** Marks objects TTL cleanup deletes (the workload); the report ConfigMap does not carry it. */
export const WORKLOAD_LABEL = `${API_GROUP}/workload`;
/** Producer pods carry their arm here. */
export const ARM_LABEL = `${API_GROUP}/arm`;
/** Pods of a short-lived job carry their batch here (never ARM_LABEL: they are no producers). */
export const JOB_BATCH_LABEL = `${API_GROUP}/job-batch`;
/** The Job controller's completion index label of an Indexed Job's pods. */
export const JOB_COMPLETION_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';
/** The StatefulSet controller's ordinal label, read by the producer through the downward API. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Field manager of every server-side apply the operator makes. */
export const FIELD_MANAGER = 'pushpull-operator';

/** The components an experiment can own, as `app.kubernetes.io/component` values. */
export type Component =
  | `producer-${ArmName}`
  | 'spec'
  | 'prometheus'
  | 'rig-prometheus'
  | 'statsd-exporter'
  | 'otelcol'
  | 'network-fault'
  | 'pushgateway'
  | 'job'
  | 'report';

/** Object names, all `<experiment>-<component>` (metadata.name is at most 53 chars, so these fit 63). */
export const names = {
  spec: (x: string) => `${x}-spec`,
  producers: (x: string, arm: ArmName) => `${x}-producer-${arm}`,
  prometheus: (x: string) => `${x}-prometheus`,
  rigPrometheus: (x: string) => `${x}-rig-prometheus`,
  statsd: (x: string) => `${x}-statsd`,
  otelcol: (x: string) => `${x}-otelcol`,
  pushgateway: (x: string) => `${x}-pushgateway`,
  /** A batch of short-lived jobs: `<experiment>-job-<batch>` (53 + 5 + 40 chars would not fit 63: the batch is cut). */
  jobBatch: (x: string, batch: string) => `${x}-job-${batch}`.slice(0, 63).replace(/-+$/, ''),
  report: (x: string) => `${x}-report`,
  /** The NetworkChaos of spec.networkFaults[index]; `part` when one fault needs two (see network-chaos.ts). */
  networkChaos: (x: string, index: number, part?: 'to' | 'from') =>
    `${x}-netfault-${index}${part ? `-${part}` : ''}`,
};

/** Labels that select a component's pods (immutable on Deployments/StatefulSets: keep them few). */
export function selectorLabels(experiment: string, component: Component): Record<string, string> {
  return {
    'app.kubernetes.io/instance': experiment,
    'app.kubernetes.io/component': component,
    [EXPERIMENT_LABEL]: experiment,
  };
}

/** The full label set of an owned object. `workload` false only for the report ConfigMap. */
export function objectLabels(
  experiment: string,
  component: Component,
  workload = true,
): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'pushpull',
    ...selectorLabels(experiment, component),
    'app.kubernetes.io/part-of': 'pushpull',
    'app.kubernetes.io/managed-by': FIELD_MANAGER,
    ...(workload ? { [WORKLOAD_LABEL]: 'true' } : {}),
  };
}

/** The owner reference to the experiment that every rendered object carries (garbage collection). */
export function ownerReference(x: ExperimentObject): OwnerReference {
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND,
    name: x.metadata.name,
    uid: x.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Standard metadata of an owned object. */
export function ownedMeta(
  x: ExperimentObject,
  name: string,
  component: Component,
  workload = true,
): { name: string; namespace: string; labels: Record<string, string>; ownerReferences: OwnerReference[] } {
  return {
    name,
    namespace: x.metadata.namespace,
    labels: objectLabels(x.metadata.name, component, workload),
    ownerReferences: [ownerReference(x)],
  };
}

/** The liveness rules' key in the subject Prometheus ConfigMap (mounted at /etc/prometheus). */
export const LIVENESS_RULES_FILE = 'liveness-rules.yml';
/** statsd_exporter's mapping config: its key and where the ConfigMap is mounted. */
export const STATSD_MAPPING_FILE = 'mapping.yml';
export const STATSD_MAPPING_DIR = '/etc/statsd';
