/**
 * One StatefulSet per arm runs the arm's producer processes. Why a StatefulSet and not a Deployment:
 * each process must know its index (it decides which virtual producers the process hosts), and a
 * StatefulSet gives every pod a stable ordinal (label apps.kubernetes.io/pod-index, read through the
 * downward API) with one object per arm, where Deployments would need one object per process. Pods start
 * in parallel (no ordered start: the fleet is synchronised by startAt, not by start order). A headless
 * Service per arm is the StatefulSet's governing service.
 */

import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { ArmName } from '../../api/v1alpha1/schema.ts';
import { fleetPlan } from '../../schedule/fleet.ts';
import { SPEC_KEY, SPEC_MOUNT, specDocument } from './config-maps.ts';
import { contentHash } from './hash.ts';
import { ARM_LABEL, names, ownedMeta, POD_INDEX_LABEL, selectorLabels } from './names.ts';
import { container, podTemplate, service } from './pod.ts';
import { RESOURCES, scratchVolume } from './pod-security.ts';
import { PORTS } from './ports.ts';
import type { ExperimentObject, Images, Typed } from './types.ts';

/** The environment variable carrying the pod ordinal, expanded in the producer's arguments. */
export const PROCESS_INDEX_ENV = 'PUSHPULL_PROCESS_INDEX';

/** The producer command line for one arm (the image's entrypoint is `node bin/pushpull.js`). */
export function producerArgs(x: ExperimentObject, arm: ArmName): string[] {
  const name = x.metadata.name;
  const args = [
    'producer',
    '--spec',
    `${SPEC_MOUNT}/${SPEC_KEY}`,
    '--arm',
    arm,
    '--process-index',
    `$(${PROCESS_INDEX_ENV})`,
    '--rig-listen',
    `0.0.0.0:${PORTS.producerRig}`,
  ];
  if (arm === 'pull') args.push('--metrics-listen', `0.0.0.0:${PORTS.producerMetrics}`);
  if (arm === 'statsd') args.push('--statsd', `${names.statsd(name)}:${PORTS.statsdUdp}`);
  if (arm === 'otlp') {
    const port = x.spec.arms.otlp?.protocol === 'http' ? PORTS.otlpHttp : PORTS.otlpGrpc;
    args.push('--otlp-endpoint', `http://${names.otelcol(name)}:${port}`);
  }
  if (x.spec.load.startAt) args.push('--start-at', x.spec.load.startAt);
  return args;
}

export function producerStatefulSet(x: ExperimentObject, arm: ArmName, images: Images): Typed<StatefulSet> {
  const name = names.producers(x.metadata.name, arm);
  const component = `producer-${arm}` as const;
  const plan = fleetPlan(x.spec);
  const metrics = arm === 'pull' ? [{ name: 'metrics', containerPort: PORTS.producerMetrics }] : [];
  const tmp = scratchVolume('tmp', '/tmp');
  const producer = container({
    name: 'producer',
    image: images.pushpull,
    args: producerArgs(x, arm),
    env: [
      {
        name: PROCESS_INDEX_ENV,
        valueFrom: { fieldRef: { fieldPath: `metadata.labels['${POD_INDEX_LABEL}']` } },
      },
    ],
    ports: [{ name: 'rig', containerPort: PORTS.producerRig }, ...metrics],
    resources: RESOURCES.producer,
    volumeMounts: [{ name: 'spec', mountPath: SPEC_MOUNT, readOnly: true }, tmp.mount],
    readinessPath: { path: '/healthz', port: 'rig' },
  });
  const template = podTemplate(x, {
    component,
    extraLabels: { [ARM_LABEL]: arm },
    containers: [producer],
    volumes: [{ name: 'spec', configMap: { name: names.spec(x.metadata.name) } }, tmp.volume],
    configHash: contentHash(specDocument(x)),
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { ...ownedMeta(x, name, component) },
    spec: {
      serviceName: name,
      replicas: plan.processes,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selectorLabels(x.metadata.name, component) },
      template,
    },
  };
}

/** The governing headless Service of an arm's StatefulSet (also gives each producer a DNS name). */
export function producerService(x: ExperimentObject, arm: ArmName): Typed<Service> {
  return service(
    x,
    names.producers(x.metadata.name, arm),
    `producer-${arm}`,
    [{ name: 'rig', port: PORTS.producerRig }],
    true,
  );
}
