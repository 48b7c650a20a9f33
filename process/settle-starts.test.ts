import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChildStartError, StartAbortedError } from './errors.ts';
import { settleStarts } from './settle-starts.ts';

function requester() {
  const reasons: string[] = [];
  return { reasons, requestStop: (r: string) => reasons.push(r) };
}

describe('settleStarts', () => {
  it('resolves with every start in order', async () => {
    const sup = requester();
    assert.deepEqual(await settleStarts(sup, [Promise.resolve(1), Promise.resolve(2)]), [1, 2]);
    assert.deepEqual(sup.reasons, []);
  });

  it('asks for a stop on a real failure and throws it, not the stops it set off', async () => {
    const sup = requester();
    const failure = new ChildStartError(
      'producer-pull-1',
      'exited (code 2) before it was ready',
      '/nonexistent.log',
    );
    await assert.rejects(
      settleStarts(sup, [
        Promise.reject(new StartAbortedError('producer-pull-0', true, 'producer-pull-1 failed to start')),
        Promise.reject(failure),
      ]),
      (err: unknown) => err === failure,
    );
    assert.deepEqual(sup.reasons, ['producer-pull-1 failed to start']);
  });

  it('throws the first stop when every failure is a stop, without asking for another', async () => {
    const sup = requester();
    const stop = new StartAbortedError('otelcol', false, 'SIGTERM received');
    await assert.rejects(
      settleStarts(sup, [Promise.resolve('udp-counters'), Promise.reject(stop)]),
      (err: unknown) => err === stop,
    );
    assert.deepEqual(sup.reasons, []);
  });

  it('waits for every start to settle before it throws', async () => {
    const sup = requester();
    let lateSettled = false;
    const late = new Promise<string>((resolve) =>
      setTimeout(() => {
        lateSettled = true;
        resolve('late');
      }, 20),
    );
    await assert.rejects(settleStarts(sup, [Promise.reject(new Error('boom')), late]), /boom/);
    assert.equal(lateSettled, true);
    assert.deepEqual(sup.reasons, ['a process failed to start']);
  });
});
