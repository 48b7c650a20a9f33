import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { startDevCluster } from './cluster.ts';
import { DevClusterError } from './errors.ts';
import { isAlive, readState } from './workdir.ts';

describe('dev cluster start failure', () => {
  it('names the component that did not come up, shows its log tail, and leaves no process behind', async () => {
    let caught: unknown;
    try {
      // No apiserver answers /readyz within a millisecond of being spawned.
      const cluster = await startDevCluster({ timeouts: { apiserver: 1 }, keepDirOnFailure: true });
      await cluster.stop();
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof DevClusterError, `expected a DevClusterError, got ${caught}`);
    assert.match(caught.message, /kube-apiserver \/readyz answering ok did not happen within 0s/);
    assert.match(caught.message, /last lines of kube-apiserver's log/);
    const dir = /work dir kept: (\S+)\)/.exec(caught.message)?.[1];
    assert.ok(dir, 'the message names the kept work dir');
    const state = await readState(dir);
    assert.deepEqual(
      state?.components.map((c) => c.name),
      ['etcd', 'kube-apiserver'],
    );
    for (const c of state?.components ?? [])
      assert.equal(isAlive(c.pid), false, `${c.name} (pid ${c.pid}) is gone`);
    await rm(dir, { recursive: true, force: true });
  });
});
