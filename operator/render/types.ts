/**
 * The shapes the pure renderer takes and produces and the reconciler applies. Kubernetes objects are
 * kubernetes-types' (kube/objects.ts), imported as types only: they erase at run time, so render/ and
 * status/ stay pure (operator/k8s does the I/O).
 */
import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import type { NamedMeta } from '../../kube/objects.ts';

export type { KubeObject, Typed } from '../../kube/objects.ts';

/** A PushPullExperiment as read from the API server (spec already validated, defaults applied). */
export interface ExperimentObject {
  apiVersion: string;
  kind: string;
  metadata: NamedMeta & { namespace: string; uid: string };
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
  /** The Pushgateway, for batches of short-lived jobs that push to it. */
  pushgateway: string;
}

/** Everything rendering depends on: the experiment and the images. Nothing else (no clock, no API). */
export interface RenderInput {
  experiment: ExperimentObject;
  images: Images;
  /** host:port of the operator's kubelet relay, which the rig Prometheus scrapes; undefined: no such job. */
  kubeletRelay?: string;
}
