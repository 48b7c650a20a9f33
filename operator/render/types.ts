/**
 * The minimal Kubernetes object shapes the pure renderer produces and the reconciler applies. Kept local,
 * with no client behind them, so render/ and status/ stay pure (operator/k8s does the I/O).
 */
import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';

/** An owner reference as the API server stores it. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Object metadata the operator reads or writes. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** Any Kubernetes object: apiVersion, kind, metadata and whatever the kind carries. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A PushPullExperiment as read from the API server (spec already validated, defaults applied). */
export interface ExperimentObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { namespace: string; uid: string };
  spec: ExperimentSpec;
  status?: unknown;
}

/** The container images the workload runs; operator flags/env choose them (operator/images.ts). */
export interface Images {
  /** The pushpull image: the producer and the `udp-counters` sidecar. */
  pushpull: string;
  prometheus: string;
  statsdExporter: string;
  otelcol: string;
}

/** Everything rendering depends on: the experiment and the images. Nothing else (no clock, no API). */
export interface RenderInput {
  experiment: ExperimentObject;
  images: Images;
}
