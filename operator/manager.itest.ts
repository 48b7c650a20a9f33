/**
 * The manager in-process over the in-memory port: it lists experiments into the queue, reconciles them,
 * serves /healthz and /metrics on loopback, and stops on abort. (The operator against a real API server
 * is operator.itest.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { freePort } from '../process/ports.ts';
import { silentLogger } from './log.ts';
import { runManager } from './manager.ts';
import { createOperatorMetrics } from './metrics.ts';
import { systemTimerClock } from './queue/timer-clock.ts';
import { WorkQueue } from './queue/work-queue.ts';
import type { OperatorStatus } from './status/types.ts';
import { FakeKube } from './testing/fake-kube.ts';
import { TEST_IMAGES } from './testing/fixtures.ts';
import { DEFAULT_TIMELINE_OPTIONS } from './timeline/timeline.ts';

test('the manager reconciles listed experiments and serves /healthz and /metrics', {
  timeout: 60_000,
}, async () => {
  const kube = new FakeKube();
  const doc = parse(
    readFileSync(join(import.meta.dirname, 'render/testdata/inputs/three-arms-partial.yaml'), 'utf8'),
  );
  kube.put({ ...doc, metadata: { name: 'three-arms', namespace: 'rehearsal', generation: 1 } });
  const queue = new WorkQueue({ clock: systemTimerClock });
  const metrics = createOperatorMetrics(() => queue.len());
  const port = await freePort();
  const stop = new AbortController();
  const running = runManager(
    {
      kube,
      reach: {
        startProducer: async () => {},
        hangProducer: async () => {},
        ledger: async () => ({}),
        prometheus: () => ({ source: 'none', query: async () => [] }),
      },
      collect: async () => {
        throw new Error('not reached in this test');
      },
      images: TEST_IMAGES,
      queue,
      metrics,
      log: silentLogger,
      clock: { now: () => Date.now() },
      timeline: DEFAULT_TIMELINE_OPTIONS,
      metricsListen: { host: '127.0.0.1', port },
      rewatchDelayMs: 50,
    },
    stop.signal,
  );
  try {
    let phase: string | undefined;
    for (let i = 0; i < 200 && phase !== 'WaitingReady'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      phase = (
        kube.find('PushPullExperiment', 'rehearsal', 'three-arms')?.status as OperatorStatus | undefined
      )?.phase;
    }
    assert.equal(phase, 'WaitingReady');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(text, /pushpull_operator_reconcile_total\{outcome="requeue"\} [1-9]/);
    assert.match(text, /pushpull_operator_queue_depth \d/);
    assert.match(text, /pushpull_operator_leader 1/);
  } finally {
    stop.abort();
    assert.equal(await running, 'stopped');
  }
});
