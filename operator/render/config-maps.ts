/**
 * The ConfigMaps an experiment's pods read: the experiment document for the producers, and the
 * configurations of the subject Prometheus, the rig Prometheus and the OpenTelemetry Collector.
 */

import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { stringify } from 'yaml';
import { API_GROUP, API_VERSION, KIND } from '../../api/v1alpha1/schema.ts';
import { renderLivenessRules, renderStatsdMapping } from '../../collectors/liveness.ts';
import { type Component, LIVENESS_RULES_FILE, names, ownedMeta, STATSD_MAPPING_FILE } from './names.ts';
import { renderOtelcolConfig } from './otelcol-config.ts';
import { renderRigPrometheusConfig, renderSubjectPrometheusConfig } from './prometheus-config.ts';
import type { ExperimentObject, Typed } from './types.ts';

/** Key of the experiment document in the spec ConfigMap, and where producers find it. */
export const SPEC_KEY = 'experiment.yaml';
export const SPEC_MOUNT = '/etc/pushpull';

function configMap(
  x: ExperimentObject,
  name: string,
  component: Component,
  data: Record<string, string>,
): Typed<ConfigMap> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: ownedMeta(x, name, component), data };
}

/** The document `pushpull producer --spec` reads: the same file form `pushpull run` takes. */
export function specDocument(x: ExperimentObject): string {
  return stringify(
    {
      apiVersion: `${API_GROUP}/${API_VERSION}`,
      kind: KIND,
      metadata: { name: x.metadata.name, namespace: x.metadata.namespace },
      spec: x.spec,
    },
    { lineWidth: 0 },
  );
}

export function specConfigMap(x: ExperimentObject): Typed<ConfigMap> {
  return configMap(x, names.spec(x.metadata.name), 'spec', { [SPEC_KEY]: specDocument(x) });
}

export function subjectPrometheusConfigMap(x: ExperimentObject): Typed<ConfigMap> {
  const { name, namespace } = x.metadata;
  const rules = renderLivenessRules(name, x.spec);
  return configMap(x, names.prometheus(name), 'prometheus', {
    'prometheus.yml': renderSubjectPrometheusConfig(name, namespace, x.spec),
    ...(rules !== null ? { [LIVENESS_RULES_FILE]: rules } : {}),
  });
}

export function rigPrometheusConfigMap(x: ExperimentObject, kubeletRelay?: string): Typed<ConfigMap> {
  const { name, namespace } = x.metadata;
  return configMap(x, names.rigPrometheus(name), 'rig-prometheus', {
    'prometheus.yml': renderRigPrometheusConfig(name, namespace, x.spec, kubeletRelay),
  });
}

/** statsd_exporter's mapping config (the heartbeat's ttl), mounted at STATSD_MAPPING_DIR. */
export function statsdMappingConfigMap(x: ExperimentObject): Typed<ConfigMap> {
  return configMap(x, names.statsd(x.metadata.name), 'statsd-exporter', {
    [STATSD_MAPPING_FILE]: renderStatsdMapping(x.spec),
  });
}

export function otelcolConfigMap(x: ExperimentObject): Typed<ConfigMap> {
  return configMap(x, names.otelcol(x.metadata.name), 'otelcol', {
    'config.yaml': renderOtelcolConfig(x.metadata.name, x.spec),
  });
}
