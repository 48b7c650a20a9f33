import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseSpecText } from '../api/v1alpha1/load.ts';
import { assembleCollectorResources } from './collector-resources.ts';
import { collectorUseFromRig } from './collector-use-from-rig.ts';
import type { PromClient, PromSeries } from './prom-api.ts';

const parsed = parseSpecText(readFileSync(new URL('../examples/quick.yaml', import.meta.url), 'utf8'), 'x');
if (!parsed.ok) throw new Error('quick.yaml is invalid');
const spec = parsed.document.spec;
const window = { from: 1000, at: 1100 };
const limits = () => ({ cpuMillicores: 1000, memoryBytes: 512 * 2 ** 20 });

/** A rig that answers each query whose text contains a key. */
function rig(answers: Array<[string, PromSeries[]]>): PromClient {
  return {
    source: 'rig',
    async query(q) {
      return answers.find(([k]) => q.includes(k))?.[1] ?? [];
    },
  };
}
const one = (v: number): PromSeries[] => [{ labels: {}, samples: [[1100, v]] }];

describe('collector use in a cluster, from the rig Prometheus', () => {
  test('with the relay off every cAdvisor figure is missing with why; restarts and OOM kills come from the pods', async () => {
    const raws = await collectorUseFromRig({
      rig: rig([]),
      scope: { experiment: 'quick' },
      spec,
      window,
      limits,
      statuses: [{ collector: 'statsd', restarts: 1, oomKilledAt: ['2026-12-01T10:00:00Z'] }],
      notScraped: 'no relay',
    });
    const statsd = raws.find((r) => r.collector === 'statsd')!;
    const { collectors, oomSignals } = assembleCollectorResources(raws, 1100);
    const c = collectors.find((r) => r.collector === 'statsd')!;
    assert.equal(c.cpuUsedSeconds.value, null);
    assert.equal(c.cpuUsedSeconds.missing, 'no relay');
    assert.equal(c.oomKills.value, 1);
    assert.equal(c.restarts.value, 1);
    assert.equal(statsd.exitedAt, '2026-12-01T10:00:00Z');
    assert.deepEqual(
      oomSignals.map((s) => s.arm),
      ['statsd'],
    );
  });

  test('figures are the series the relay gave; CFS figures absent without a quota say so', async () => {
    const raws = await collectorUseFromRig({
      rig: rig([
        [
          'container_cpu_usage_seconds_total{job="rig_cadvisor",experiment="quick",collector="statsd"}',
          one(4.5),
        ],
        [
          'container_memory_max_usage_bytes{job="rig_cadvisor",experiment="quick",collector="statsd"}',
          one(3e7),
        ],
      ]),
      scope: { experiment: 'quick' },
      spec,
      window,
      limits,
      statuses: [{ collector: 'statsd', restarts: 0, oomKilledAt: [] }],
    });
    const [c] = assembleCollectorResources(
      raws.filter((r) => r.collector === 'statsd'),
      1100,
    ).collectors;
    assert.equal(c!.cpuUsedSeconds.value, 4.5);
    assert.match(c!.cpuUsedSeconds.source, /last_over_time\(container_cpu_usage_seconds_total/);
    assert.equal(c!.memoryPeakBytes.value, 3e7);
    assert.equal(c!.throttledPeriods.value, null);
    assert.match(c!.throttledPeriods.missing ?? '', /CPU limit/);
    assert.equal(c!.oomKills.value, 0);
  });

  test('no series at all names the kubelet that did not answer', async () => {
    const raws = await collectorUseFromRig({
      rig: rig([
        [
          'pushpull_kubelet_up',
          [{ labels: { node: 'kwok-node-0', error: 'connect ECONNREFUSED' }, samples: [[1100, 0]] }],
        ],
      ]),
      scope: { experiment: 'quick' },
      spec,
      window,
      limits,
      statuses: [],
    });
    const [c] = assembleCollectorResources(raws, 1100).collectors;
    assert.match(
      c!.cpuUsedSeconds.missing ?? '',
      /kubelet of node kwok-node-0 did not answer the relay: connect ECONNREFUSED/,
    );
    assert.equal(c!.restarts.value, null);
  });

  test('each phase gets the growth of the counters over it and the working set’s peak in it', async () => {
    const cpu = 'container_cpu_usage_seconds_total{job="rig_cadvisor",experiment="quick",collector="statsd"}';
    const timed: PromClient = {
      source: 'rig',
      async query(q, t) {
        if (q.includes(cpu)) return one(t >= 1090 ? 10 : 4);
        if (q.includes('container_memory_working_set_bytes')) return one(2e7);
        return [];
      },
    };
    const raws = await collectorUseFromRig({
      rig: timed,
      scope: { experiment: 'quick' },
      spec,
      window,
      limits,
      statuses: [{ collector: 'statsd', restarts: 0, oomKilledAt: [] }],
      phases: [{ name: 'open', startMs: 1_050_000, endMs: 1_090_000 }],
    });
    const [c] = assembleCollectorResources(
      raws.filter((r) => r.collector === 'statsd'),
      1100,
    ).collectors;
    const open = c!.phases?.[0];
    assert.equal(open?.phase, 'open');
    assert.equal(open?.cpuUsedSeconds.value, 6);
    assert.match(
      open?.cpuUsedSeconds.source ?? '',
      /at 1970-01-01T00:18:10.000Z − .* at 1970-01-01T00:17:30.000Z/,
    );
    assert.equal(open?.memoryPeakBytes.value, 2e7);
    assert.equal(open?.throttledPeriods.value, null);
  });
});
