import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeNode, fakeNodeNames, isNodeSchedulable } from './nodes.ts';

describe('fake nodes', () => {
  it('are named kwok-node-1..N', () => {
    assert.deepEqual(fakeNodeNames(2), ['kwok-node-1', 'kwok-node-2']);
  });

  it('carry the kwok annotation, no taint and distinct InternalIPs', () => {
    const a = fakeNode('kwok-node-1', 1);
    const b = fakeNode('kwok-node-2', 2);
    assert.equal(a.metadata.annotations['kwok.x-k8s.io/node'], 'fake');
    assert.equal((a.spec as { taints?: unknown }).taints, undefined);
    assert.notEqual(a.status.addresses[0]!.address, b.status.addresses[0]!.address);
    assert.equal(a.status.allocatable.pods, '500');
  });

  it('count as schedulable only when Ready and free of NoSchedule/NoExecute taints', () => {
    const ready = { status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    assert.equal(isNodeSchedulable(ready), true);
    assert.equal(isNodeSchedulable({ status: { conditions: [{ type: 'Ready', status: 'False' }] } }), false);
    assert.equal(isNodeSchedulable({}), false);
    assert.equal(
      isNodeSchedulable({
        ...ready,
        spec: { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] },
      }),
      false,
    );
    assert.equal(
      isNodeSchedulable({ ...ready, spec: { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] } }),
      true,
    );
    assert.equal(isNodeSchedulable({ ...ready, spec: { unschedulable: true } }), false);
  });
});
