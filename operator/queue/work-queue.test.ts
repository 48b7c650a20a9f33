import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from './timer-clock.ts';
import { WorkQueue } from './work-queue.ts';

const queue = (clock = new ManualClock()) => ({
  clock,
  q: new WorkQueue({ clock, baseBackoffMs: 100, maxBackoffMs: 1000 }),
});

describe('WorkQueue', () => {
  test('many adds of one key queue it once', async () => {
    const { q } = queue();
    for (let i = 0; i < 5; i++) q.add('ns/a');
    q.add('ns/b');
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), 'ns/a');
    assert.equal(await q.get(), 'ns/b');
    assert.equal(q.len(), 0);
  });

  test('a key being processed is not handed out again; an add meanwhile re-queues it once on done', async () => {
    const { q } = queue();
    q.add('ns/a');
    const key = await q.get();
    q.add('ns/a');
    q.add('ns/a');
    assert.equal(q.len(), 0, 'not ready while processing');
    q.done(key!);
    assert.equal(q.len(), 1);
    assert.equal(await q.get(), 'ns/a');
    q.done('ns/a');
    assert.equal(q.len(), 0);
  });

  test('a waiting get receives the next added key', async () => {
    const { q } = queue();
    const pending = q.get();
    q.add('ns/a');
    assert.equal(await pending, 'ns/a');
    q.add('ns/a');
    assert.equal(q.len(), 0, 'processing: marked dirty, not queued');
  });

  test('addAfter delays the key by the injected clock and keeps the earliest due time', () => {
    const { clock, q } = queue();
    q.addAfter('ns/a', 5000);
    q.addAfter('ns/a', 2000);
    q.addAfter('ns/a', 9000);
    clock.advance(1999);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    clock.advance(10_000);
    assert.equal(q.len(), 1, 'the later timers were cancelled or absorbed');
    assert.equal(clock.pending(), 0);
  });

  test('an immediate add cancels a pending delayed add', () => {
    const { clock, q } = queue();
    q.addAfter('ns/a', 5000);
    q.add('ns/a');
    assert.equal(q.len(), 1);
    assert.equal(clock.pending(), 0);
  });

  test('failures back off exponentially per key up to the cap, and forget resets', () => {
    const { q } = queue();
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => q.addRateLimited('ns/a')),
      [100, 200, 400, 800, 1000],
    );
    assert.equal(q.addRateLimited('ns/b'), 100, 'per key');
    q.forget('ns/a');
    assert.equal(q.failures('ns/a'), 0);
    assert.equal(q.addRateLimited('ns/a'), 100);
  });

  test('a rate-limited key becomes ready after its backoff', () => {
    const { clock, q } = queue();
    q.addRateLimited('ns/a');
    q.addRateLimited('ns/a');
    clock.advance(99);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
  });

  test('shutDown releases waiting workers and drops timers', async () => {
    const { clock, q } = queue();
    const pending = q.get();
    q.addAfter('ns/a', 1000);
    q.shutDown();
    assert.equal(await pending, undefined);
    assert.equal(clock.pending(), 0);
    q.add('ns/b');
    assert.equal(q.len(), 0);
  });
});
