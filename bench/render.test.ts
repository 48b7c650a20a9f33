import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGolden as assertGoldenFile } from '../testing/golden.ts';
import { ALL_CASES } from './cases.ts';
import { evaluateGoals } from './goals.ts';
import { describeSink, renderBench } from './render.ts';
import { BENCH_SCHEMA, type BenchDocument, caseFigures, pooledBaseline } from './result.ts';
import { OTLP_OK, SCRAPES_OK, sampleResult, UDP_KEPT_UP, UDP_LOST } from './testdata/sample-results.ts';

/** Compares with bench/testdata/<name>, or rewrites it when UPDATE_GOLDEN=1 (review the diff). */
function assertGolden(name: string, actual: string): void {
  assertGoldenFile(new URL(`./testdata/${name}`, import.meta.url), actual);
}

function sampleDocument(): BenchDocument {
  const sinks = { pull: SCRAPES_OK, statsd: UDP_KEPT_UP, otlp: OTLP_OK };
  const results = ALL_CASES.flatMap((c, i) =>
    [1, 2].map((repeat) =>
      sampleResult(
        c,
        repeat,
        [1000 + 100 * i, 1050 + 100 * i, 1100 + 100 * i],
        [1100 + 100 * i + 10 * repeat, 1150 + 100 * i, 1200 + 100 * i],
        300_000 + 10_000 * repeat,
        c.mode === 'perEvent' ? UDP_LOST : sinks[c.arm],
      ),
    ),
  );
  const cases = ALL_CASES.map((c) => caseFigures(c, results, 13_571.4));
  return {
    schema: BENCH_SCHEMA,
    command: 'pushpull bench emit --repeats 2',
    startedAt: '2026-11-26T03:00:00.000Z',
    finishedAt: '2026-11-26T03:03:00.000Z',
    machine: {
      cpuModel: 'AMD EPYC',
      cores: 2,
      node: 'v24.21.0',
      platform: 'linux 6.18.44',
      memoryGiB: 23.5,
      virtualized: true,
      loadAverageStart: 1.23,
      loadAverageEnd: 2.1,
    },
    settings: {
      repeats: 2,
      seconds: 5,
      warmSeconds: 1,
      batchEvents: 1000,
      maxRounds: 300,
      perEventMs: 2000,
      baseSpec: 'examples/market-open.yaml',
      producersPerProcess: 50,
      symbols: 28,
      counterSeriesPerProducer: 504,
      histogramSeriesPerProducer: 168,
      privateNetns: true,
      udpReceiveBufferBytes: 212_992,
    },
    baseline: pooledBaseline(results),
    cases,
    goals: evaluateGoals(cases),
    failures: [{ case: 'otlp/http', repeat: 3, message: 'exited 1 without a result' }],
  };
}

test('the text output renders as the golden file says', () => {
  assertGolden('render.golden.txt', `${renderBench(sampleDocument()).join('\n')}\n`);
});

test('the output names the command, the machine, how p99 is taken, and every case in every table', () => {
  const text = renderBench(sampleDocument()).join('\n');
  assert.match(text, /command {3}pushpull bench emit --repeats 2/);
  assert.match(text, /AMD EPYC, 2 cores, 23.5 GiB, virtual machine, Node v24.21.0/);
  assert.match(text, /p99 is the 99th percentile of batch means, not of single events/);
  for (const c of ALL_CASES) {
    const rows = text.split('\n').filter((l) => new RegExp(`^  ${c.arm}/${c.mode}\\s{2,}`).test(l));
    assert.equal(rows.length, 2, `${c.mode}: ${rows.join('\n')}`);
  }
  assert.match(text, /pull: µs per event, median \(rig path\) +<= 0.5 µs +1\.1\d µs +NO/);
  assert.match(text, /otlp\/http repeat 3: exited 1 without a result/);
});

test('a sink line says what arrived and whether the sink kept up', () => {
  assert.equal(
    describeSink(UDP_LOST),
    '169,907 of 180,000 datagrams received, socket drops 10,093, RcvbufErrors +10,093: lost 10,093',
  );
  assert.match(describeSink(UDP_KEPT_UP), /: kept up$/);
  assert.match(describeSink({ ...UDP_KEPT_UP, privateNetns: false }), /RcvbufErrors \(shared netns\)/);
  assert.equal(describeSink(OTLP_OK), 'exports 50 ok, 0 failed (50 received, 33,600 points): kept up');
  assert.equal(
    describeSink(SCRAPES_OK),
    '50 of 50 scrapes ok, 0 timed out (4 s), slowest 0.133 s, 11,719 KiB',
  );
});
