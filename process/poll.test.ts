import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollUntil, WaitError } from './poll.ts';

/** A fake clock that advances only when the poller sleeps. */
function fakeClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

describe('pollUntil', () => {
  it('returns the first value the probe yields', async () => {
    let calls = 0;
    const value = await pollUntil('x', async () => (++calls === 3 ? 'ok' : undefined), {
      timeoutMs: 1000,
      intervalMs: 100,
      ...fakeClock(),
    });
    assert.equal(value, 'ok');
    assert.equal(calls, 3);
  });

  it('gives up at the deadline, naming what it waited for and the last failure', async () => {
    let calls = 0;
    await assert.rejects(
      pollUntil(
        'etcd becoming healthy',
        async () => {
          calls++;
          throw new Error('connection refused');
        },
        { timeoutMs: 1000, intervalMs: 100, ...fakeClock() },
      ),
      (err: Error) => {
        assert.ok(err instanceof WaitError);
        assert.equal(err.outcome, 'timed-out');
        assert.equal(
          err.message,
          'etcd becoming healthy did not happen within 1s (last check: connection refused)',
        );
        return true;
      },
    );
    assert.ok(calls <= 11, `bounded attempts, got ${calls}`);
  });

  it('stops at once when a component has died', async () => {
    let calls = 0;
    await assert.rejects(
      pollUntil(
        'kube-apiserver /readyz',
        async () => {
          calls++;
          return undefined;
        },
        {
          timeoutMs: 60_000,
          intervalMs: 100,
          giveUpReason: () => 'kube-apiserver exited (code 1)',
          ...fakeClock(),
        },
      ),
      /kube-apiserver \/readyz failed: kube-apiserver exited \(code 1\)/,
    );
    assert.equal(calls, 0);
  });

  it('rejects with the stop reason once the signal is aborted, mid-wait', async () => {
    const stop = new AbortController();
    let calls = 0;
    await assert.rejects(
      pollUntil(
        'prometheus ready',
        async () => {
          if (++calls === 2) stop.abort(new Error('SIGTERM received'));
          return undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100, signal: stop.signal, ...fakeClock() },
      ),
      /^Error: SIGTERM received$/,
    );
    assert.equal(calls, 2);
  });
});
