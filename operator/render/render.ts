/**
 * The pure renderer: an experiment and the images in, every object the experiment owns out, in a stable
 * order (ConfigMaps and RBAC before the pods that read them), each stamped with the hash of its own
 * content. No clock, no randomness, no API calls: the reconciler applies what this returns, and the
 * golden tests pin it (operator/render/testdata/*.golden.yaml).
 */
import { ARM_NAMES } from '../../api/v1alpha1/schema.ts';
import { otelcolObjects, statsdObjects } from './collectors.ts';
import {
  otelcolConfigMap,
  rigPrometheusConfigMap,
  specConfigMap,
  statsdMappingConfigMap,
  subjectPrometheusConfigMap,
} from './config-maps.ts';
import { contentHash, HASH_ANNOTATION } from './hash.ts';
import { producerService, producerStatefulSet } from './producers.ts';
import { rigPrometheusObjects, subjectPrometheusObjects } from './prometheus.ts';
import { pushgatewayObjects } from './short-lived-jobs.ts';
import type { KubeObject, RenderInput } from './types.ts';

const KIND_ORDER = [
  'ConfigMap',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'Service',
  'Deployment',
  'StatefulSet',
  'Job',
] as const;

/** Stamps the content hash annotation (computed without it). */
export function withHash(obj: KubeObject): KubeObject {
  const { [HASH_ANNOTATION]: _old, ...annotations } = obj.metadata.annotations ?? {};
  const { annotations: _all, ...meta } = obj.metadata;
  const bare = { ...obj, metadata: Object.keys(annotations).length > 0 ? { ...meta, annotations } : meta };
  return {
    ...obj,
    metadata: { ...obj.metadata, annotations: { ...annotations, [HASH_ANNOTATION]: contentHash(bare) } },
  };
}

/**
 * Every object of the workload (not the report ConfigMap, which the collect step writes). The batches
 * of short-lived jobs are not here: each needs the fixed startAt (render/short-lived-jobs.ts).
 */
export function renderExperiment({ experiment: x, images, kubeletRelay }: RenderInput): KubeObject[] {
  const objects: KubeObject[] = [
    specConfigMap(x),
    rigPrometheusConfigMap(x, kubeletRelay),
    ...rigPrometheusObjects(x, images, kubeletRelay),
  ];
  if (!x.spec.collection.prometheusURL) {
    objects.push(subjectPrometheusConfigMap(x), ...subjectPrometheusObjects(x, images));
  }
  if (x.spec.arms.statsd) objects.push(statsdMappingConfigMap(x), ...statsdObjects(x, images));
  if (x.spec.arms.otlp) objects.push(otelcolConfigMap(x), ...otelcolObjects(x, images));
  objects.push(...pushgatewayObjects(x, images));
  for (const arm of ARM_NAMES) {
    if (x.spec.arms[arm]) objects.push(producerService(x, arm), producerStatefulSet(x, arm, images));
  }
  return objects
    .map(withHash)
    .sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind as (typeof KIND_ORDER)[number]) -
          KIND_ORDER.indexOf(b.kind as (typeof KIND_ORDER)[number]) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
}

/** `Kind/name` of an object, for logs, events and tests. */
export function objectRef(obj: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${obj.kind}/${obj.metadata.name}`;
}
