import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, ObjectOf } from './objects.ts';
import { restMapper } from './resources.ts';

describe('restMapper', () => {
  const paths = restMapper({
    'pushpull.dev/v1alpha1/PushPullExperiment': { plural: 'pushpullexperiments', namespaced: true },
  });

  it('maps core, group and extra kinds, namespaced or across all namespaces', () => {
    assert.equal(paths.collectionPath('v1', 'Pod', 'ns'), '/api/v1/namespaces/ns/pods');
    assert.equal(paths.collectionPath('v1', 'Pod'), '/api/v1/pods');
    assert.equal(
      paths.objectPath('apps/v1', 'Deployment', 'web', 'ns'),
      '/apis/apps/v1/namespaces/ns/deployments/web',
    );
    assert.equal(
      paths.objectPath('pushpull.dev/v1alpha1', 'PushPullExperiment', 'x', 'ns'),
      '/apis/pushpull.dev/v1alpha1/namespaces/ns/pushpullexperiments/x',
    );
  });

  it('ignores the namespace of a cluster-scoped kind and escapes names', () => {
    assert.equal(paths.objectPath('v1', 'Node', 'kwok-node-1', 'ns'), '/api/v1/nodes/kwok-node-1');
    assert.equal(
      paths.objectPath('v1', 'ConfigMap', 'a/b', 'n s'),
      '/api/v1/namespaces/n%20s/configmaps/a%2Fb',
    );
  });

  it('names a kind it has no mapping for', () => {
    assert.throws(
      () => restMapper().collectionPath('batch/v1', 'CronJob', 'ns'),
      /no REST mapping for batch\/v1 CronJob/,
    );
  });

  it('types the objects of a built-in kind and leaves other kinds plain (checked by tsc)', () => {
    const pod: ObjectOf<'v1', 'Pod'> = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c' }] },
    };
    const other: ObjectOf<'pushpull.dev/v1alpha1', 'PushPullExperiment'> = pod satisfies KubeObject;
    assert.equal(pod.spec?.containers[0]?.name, 'c');
    assert.equal(other.metadata.name, 'p');
  });
});
