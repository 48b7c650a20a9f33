import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leftoverPids } from './workdir.ts';

describe('leftoverPids', () => {
  it('keeps only recorded pids whose command line still names the work dir', () => {
    const state = {
      ownerPid: 1,
      startedAt: '',
      components: [
        { name: 'etcd', pid: 10 },
        { name: 'kube-apiserver', pid: 11 },
        { name: 'kwok', pid: 12 },
      ],
    };
    const cmdlines: Record<number, string> = {
      10: '/tools/etcd --data-dir=/tmp/dc/etcd',
      11: '/usr/bin/vim notes.txt',
    };
    assert.deepEqual(
      leftoverPids(state, '/tmp/dc', (pid) => cmdlines[pid] ?? ''),
      [10],
    );
  });
});
