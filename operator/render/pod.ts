/**
 * Building blocks of pod-owning objects: a container with the shared security posture, a pod template,
 * a Deployment and a Service. Every pod built here is non-root with a read-only root filesystem; none
 * uses the host network, host PID/IPC or privileged mode (the spec has no way to ask for them).
 */

import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type {
  Container,
  EnvVar,
  PodTemplateSpec,
  Service,
  Volume,
  VolumeMount,
} from 'kubernetes-types/core/v1.js';
import { CONFIG_HASH_ANNOTATION } from './hash.ts';
import { type Component, ownedMeta, selectorLabels } from './names.ts';
import { containerSecurityContext, podSecurityContext, type Resources } from './pod-security.ts';
import type { ExperimentObject, Typed } from './types.ts';

export interface ContainerInput {
  name: string;
  image: string;
  args: string[];
  ports: Array<{ name: string; containerPort: number; protocol?: 'TCP' | 'UDP' }>;
  resources: Resources;
  env?: EnvVar[];
  volumeMounts?: VolumeMount[];
  readinessPath?: { path: string; port: string };
}

export function container(c: ContainerInput): Container {
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    args: c.args,
    ...(c.env ? { env: c.env } : {}),
    ports: c.ports.map((p) => ({
      name: p.name,
      containerPort: p.containerPort,
      protocol: p.protocol ?? 'TCP',
    })),
    resources: c.resources,
    securityContext: containerSecurityContext(),
    ...(c.volumeMounts ? { volumeMounts: c.volumeMounts } : {}),
    ...(c.readinessPath
      ? {
          readinessProbe: {
            httpGet: { path: c.readinessPath.path, port: c.readinessPath.port },
            periodSeconds: 2,
            failureThreshold: 3,
          },
        }
      : {}),
  };
}

export interface PodTemplateInput {
  component: Component;
  extraLabels?: Record<string, string>;
  containers: Container[];
  volumes: Volume[];
  /** Set only for pods that talk to the API server (the subject Prometheus). */
  serviceAccountName?: string;
  /** Hash of the configuration the pods read; a change rolls them. */
  configHash: string;
  terminationGracePeriodSeconds?: number;
}

export function podTemplate(x: ExperimentObject, p: PodTemplateInput): PodTemplateSpec {
  const meta = ownedMeta(x, '', p.component);
  return {
    metadata: {
      labels: { ...meta.labels, ...(p.extraLabels ?? {}) },
      annotations: { [CONFIG_HASH_ANNOTATION]: p.configHash },
    },
    spec: {
      ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
      automountServiceAccountToken: p.serviceAccountName !== undefined,
      enableServiceLinks: false,
      securityContext: podSecurityContext(),
      terminationGracePeriodSeconds: p.terminationGracePeriodSeconds ?? 30,
      containers: p.containers,
      volumes: p.volumes,
    },
  };
}

/** A one-replica Deployment; Recreate, so a config change never runs two collectors side by side. */
export function deployment(x: ExperimentObject, name: string, p: PodTemplateInput): Typed<Deployment> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ownedMeta(x, name, p.component),
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selectorLabels(x.metadata.name, p.component) },
      template: podTemplate(x, p),
    },
  };
}

export function service(
  x: ExperimentObject,
  name: string,
  component: Component,
  ports: Array<{ name: string; port: number; protocol?: 'TCP' | 'UDP' }>,
  headless = false,
): Typed<Service> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMeta(x, name, component),
    spec: {
      ...(headless ? { clusterIP: 'None' } : {}),
      selector: selectorLabels(x.metadata.name, component),
      ports: ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.port,
        protocol: p.protocol ?? 'TCP',
      })),
    },
  };
}
