/**
 * The two Prometheus servers of an experiment. The subject (the pull arm's collector, and the store the
 * push arms deliver into) discovers pods, so it gets its own ServiceAccount with a Role that can only
 * get/list/watch pods in the experiment's namespace. The rig Prometheus scrapes fixed Service addresses
 * and has no API access at all.
 */

import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { collectorResources } from './collector-resources.ts';
import { contentHash } from './hash.ts';
import { type Component, names, ownedMeta } from './names.ts';
import { container, deployment, service } from './pod.ts';
import { RESOURCES, type Resources, scratchVolume } from './pod-security.ts';
import { PORTS } from './ports.ts';
import { renderRigPrometheusConfig, renderSubjectPrometheusConfig } from './prometheus-config.ts';
import type { ExperimentObject, Images, KubeObject, Typed } from './types.ts';

function prometheusDeployment(
  x: ExperimentObject,
  name: string,
  component: Component,
  image: string,
  resources: Resources,
  configText: string,
  serviceAccountName?: string,
): Typed<Deployment> {
  const data = scratchVolume('data', '/prometheus');
  const prom = container({
    name: 'prometheus',
    image,
    args: [
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      '--storage.tsdb.retention.time=2d',
      `--web.listen-address=:${PORTS.prometheus}`,
    ],
    ports: [{ name: 'web', containerPort: PORTS.prometheus }],
    resources,
    volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus', readOnly: true }, data.mount],
    readinessPath: { path: '/-/ready', port: 'web' },
  });
  return deployment(x, name, {
    component,
    containers: [prom],
    volumes: [{ name: 'config', configMap: { name } }, data.volume],
    configHash: contentHash(configText),
    ...(serviceAccountName ? { serviceAccountName } : {}),
  });
}

/** ServiceAccount, Role (pods: get/list/watch, this namespace only), RoleBinding, Deployment, Service. */
export function subjectPrometheusObjects(x: ExperimentObject, images: Images): KubeObject[] {
  const name = names.prometheus(x.metadata.name);
  const meta = ownedMeta(x, name, 'prometheus');
  const config = renderSubjectPrometheusConfig(x.metadata.name, x.metadata.namespace, x.spec);
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta,
      automountServiceAccountToken: false,
    } satisfies Typed<ServiceAccount>,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta,
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    } satisfies Typed<Role>,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: x.metadata.namespace }],
    } satisfies Typed<RoleBinding>,
    prometheusDeployment(
      x,
      name,
      'prometheus',
      images.prometheus,
      collectorResources(x.spec, 'prometheus', RESOURCES.prometheus),
      config,
      name,
    ),
    service(x, name, 'prometheus', [{ name: 'web', port: PORTS.prometheus }]),
  ];
}

/** The rig Prometheus' Deployment and Service. */
export function rigPrometheusObjects(
  x: ExperimentObject,
  images: Images,
  kubeletRelay?: string,
): KubeObject[] {
  const name = names.rigPrometheus(x.metadata.name);
  const config = renderRigPrometheusConfig(x.metadata.name, x.metadata.namespace, x.spec, kubeletRelay);
  return [
    prometheusDeployment(x, name, 'rig-prometheus', images.prometheus, RESOURCES.rigPrometheus, config),
    service(x, name, 'rig-prometheus', [{ name: 'web', port: PORTS.prometheus }]),
  ];
}
