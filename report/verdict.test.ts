import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fig, isoAt, otlpArm, PHASES, pullArm, rigHealth, signal, statsdArm } from './testdata/builders.ts';
import { loadCase } from './testdata/golden.ts';
import type { VerdictAnswer } from './types.ts';
import { decideVerdict, type VerdictInput } from './verdict.ts';

function input(over: Partial<VerdictInput> = {}): VerdictInput {
  return {
    phases: PHASES,
    arms: { pull: pullArm(), statsd: statsdArm() },
    signals: [],
    rig: rigHealth(),
    missing: [],
    ...over,
  };
}

const pullDown = (at: number) => [signal('pull', 'scrape-timeout', at), signal('pull', 'target-down', at)];
const kernelDrop = (at: number) => signal('statsd', 'kernel-udp-drop', at);

interface Row {
  name: string;
  in: VerdictInput;
  answer: VerdictAnswer;
  perPushArm?: Record<string, VerdictAnswer>;
  says?: RegExp[];
  saysNot?: RegExp[];
}

const rows: Row[] = [
  {
    name: 'neither arm failed: the same',
    in: input({ arms: { pull: pullArm(), statsd: statsdArm(), otlp: otlpArm() } }),
    answer: 'the-same',
    perPushArm: { statsd: 'the-same', otlp: 'the-same' },
    says: [/neither easier nor harder/, /no arm lost or delayed data/, /all 491,200 datagrams received/],
  },
  {
    name: 'only pull failed: push easier, and pull up == 0 was visible in Prometheus',
    in: input({
      arms: { pull: pullArm({ upZero: 37, overTimeout: 37 }), statsd: statsdArm() },
      signals: pullDown(25),
    }),
    answer: 'push-easier',
    says: [
      /pull lost data 25 s after load start, in phase open/,
      /37 up == 0 samples/,
      /up == 0 in Prometheus/,
    ],
  },
  {
    name: 'only StatsD failed: push harder, and the drops were invisible to StatsD',
    in: input({
      arms: { pull: pullArm(), statsd: statsdArm({ kernel: 1200 }) },
      signals: [kernelDrop(20.6)],
    }),
    answer: 'push-harder',
    says: [
      /StatsD lost data 20.6 s after load start, in phase open/,
      /1,200 of 491,200 datagrams/,
      /invisible to StatsD/,
    ],
  },
  {
    name: 'both failed, StatsD 4.4 s earlier: push harder, naming both',
    in: input({
      arms: { pull: pullArm({ upZero: 5, overTimeout: 5 }), statsd: statsdArm({ kernel: 1200 }) },
      signals: [kernelDrop(20.6), ...pullDown(25)],
    }),
    answer: 'push-harder',
    says: [
      /StatsD lost data first, 20.6 s/,
      /pull followed 4.4 s later, 25 s after load start/,
      /up == 0 in Prometheus/,
    ],
  },
  {
    name: 'both failed, pull earlier: push easier',
    in: input({
      arms: { pull: pullArm({ upZero: 5, overTimeout: 5 }), statsd: statsdArm({ kernel: 1200 }) },
      signals: [kernelDrop(40), ...pullDown(25)],
    }),
    answer: 'push-easier',
    says: [/pull lost data first/, /StatsD followed 15 s later/],
  },
  {
    name: 'both failed within the tie window: the same, saying both failed together',
    in: input({
      arms: { pull: pullArm({ upZero: 5, overTimeout: 5 }), statsd: statsdArm({ kernel: 1200 }) },
      signals: [kernelDrop(25.4), ...pullDown(25)],
    }),
    answer: 'the-same',
    says: [/failed within 400 ms of each other/],
  },
  {
    name: 'OTLP refusals surface at the producer',
    in: input({
      arms: { pull: pullArm(), otlp: otlpArm({ refused: 900, exportsFailed: 3 }) },
      signals: [signal('otlp', 'otlp-refused', 21)],
    }),
    answer: 'push-harder',
    says: [
      /900 points refused and 0 points failed of 4,200,000 sent \(retries included\), 3 failed exports/,
      /at the producer's exporter/,
    ],
  },
  {
    name: 'StatsD harder but OTLP the same: inconclusive overall, each arm answered',
    in: input({
      arms: { pull: pullArm(), statsd: statsdArm({ kernel: 1200 }), otlp: otlpArm() },
      signals: [kernelDrop(20.6)],
    }),
    answer: 'inconclusive',
    perPushArm: { statsd: 'push-harder', otlp: 'the-same' },
    says: [
      /it depends on the push arm: StatsD would have made this burst harder, OTLP would have made this burst neither/,
    ],
  },
  {
    name: 'no pull arm: inconclusive, yet it names what failed first',
    in: input({ arms: { statsd: statsdArm({ kernel: 1200 }) }, signals: [kernelDrop(20.6)] }),
    answer: 'inconclusive',
    perPushArm: { statsd: 'inconclusive' },
    says: [/no pull arm/, /add a pull arm/, /StatsD lost data 20.6 s after load start/],
  },
  {
    name: 'no push arm: inconclusive',
    in: input({ arms: { pull: pullArm() } }),
    answer: 'inconclusive',
    perPushArm: {},
    says: [/no push arm/],
  },
  {
    name: 'rig-limited without failures: inconclusive',
    in: input({ rig: rigHealth({ rigLimited: true }) }),
    answer: 'inconclusive',
    says: [/timeline alone says push would have made this burst neither easier nor harder/, /rig-limited/],
  },
  {
    name: 'rig-limited after the first failure: the failure is clear regardless',
    in: input({
      arms: { pull: pullArm(), statsd: statsdArm({ kernel: 1200 }) },
      signals: [kernelDrop(20.6), signal('rig', 'rig-limited', 30)],
      rig: rigHealth({ rigLimited: true }),
    }),
    answer: 'push-harder',
  },
  {
    name: 'rig-limited StatsD producers before their own drops: the drops stand (less load still dropped)',
    in: input({
      arms: { pull: pullArm(), statsd: statsdArm({ kernel: 1200 }) },
      signals: [signal('statsd', 'rig-limited', 10), kernelDrop(20.6)],
      rig: rigHealth({ rigLimited: true }),
    }),
    answer: 'push-harder',
  },
  {
    name: 'rig-limited pull producers before pull failed: inconclusive (a starved producer serves slowly)',
    in: input({
      arms: { pull: pullArm({ upZero: 3, overTimeout: 3 }), statsd: statsdArm() },
      signals: [signal('pull', 'rig-limited', 21), ...pullDown(25)],
      rig: rigHealth({ rigLimited: true }),
    }),
    answer: 'inconclusive',
    says: [/pull producers could not generate the asked rate from 21 s after load start/],
  },
  {
    name: 'a pull producer died before up == 0: inconclusive',
    in: input({
      arms: { pull: pullArm({ upZero: 3 }), statsd: statsdArm() },
      signals: [signal('pull', 'target-down', 10.5)],
      rig: rigHealth({ producersDied: [{ arm: 'pull', process: 1, at: isoAt(10), detail: 'killed' }] }),
    }),
    answer: 'inconclusive',
    says: [/producer pull\/1 died 10 s after load start/],
  },
  {
    name: 'a dead producer listed by the rig and dated by its signal is named once',
    in: input({
      arms: { pull: pullArm({ upZero: 3 }), statsd: statsdArm() },
      signals: [signal('pull', 'target-down', 10.5), signal('pull', 'producer-died', 10)],
      rig: rigHealth({ producersDied: [{ arm: 'pull', process: 1, at: isoAt(10), detail: 'killed' }] }),
    }),
    answer: 'inconclusive',
    says: [/producer pull\/1 died 10 s after load start/],
    saysNot: [/a Pull producer died/i],
  },
  {
    name: 'a StatsD producer died after pull failed: push easier stands',
    in: input({
      arms: { pull: pullArm({ upZero: 3, overTimeout: 3 }), statsd: statsdArm() },
      signals: pullDown(25),
      rig: rigHealth({ producersDied: [{ arm: 'statsd', process: 2, at: isoAt(40), detail: 'exit 1' }] }),
    }),
    answer: 'push-easier',
  },
  {
    name: 'a StatsD producer died before pull failed: inconclusive (StatsD had less load)',
    in: input({
      arms: { pull: pullArm({ upZero: 3, overTimeout: 3 }), statsd: statsdArm() },
      signals: pullDown(25),
      rig: rigHealth({ producersDied: [{ arm: 'statsd', process: 2, at: isoAt(5), detail: 'exit 1' }] }),
    }),
    answer: 'inconclusive',
  },
  {
    name: 'open books with data missing (unaccounted > 0) do not hide proven kernel drops',
    in: input({
      arms: { pull: pullArm(), statsd: statsdArm({ kernel: 1200, unaccounted: 500 }) },
      signals: [kernelDrop(20.6)],
    }),
    answer: 'push-harder',
    says: [/books do not close: 500 datagrams unaccounted/],
  },
  {
    name: 'open books with negative unaccounted: the drops may not be ours, inconclusive',
    in: input({
      arms: { pull: pullArm(), statsd: statsdArm({ kernel: 1200, unaccounted: -500 }) },
      signals: [kernelDrop(20.6)],
    }),
    answer: 'inconclusive',
    says: [/RIG FAULT|rig fault/],
  },
  {
    name: 'open books and no failure: StatsD cannot be called clean, inconclusive',
    in: input({ arms: { pull: pullArm(), statsd: statsdArm({ unaccounted: 500 }) } }),
    answer: 'inconclusive',
  },
  {
    name: 'unmeasured kernel drops: StatsD cannot be called clean, inconclusive',
    in: input({ arms: { pull: pullArm(), statsd: statsdArm({ kernel: null }) } }),
    answer: 'inconclusive',
    says: [/kernel drops could not be measured/],
  },
  {
    name: 'an interrupted run with no failure before the stop: inconclusive',
    in: input({ run: { outcome: 'interrupted', stoppedAt: isoAt(30) } }),
    answer: 'inconclusive',
    says: [/the run was interrupted 30 s after load start/],
  },
  {
    name: 'an interrupted run after pull failed: push easier stands',
    in: input({
      arms: { pull: pullArm({ upZero: 3, overTimeout: 3 }), statsd: statsdArm() },
      signals: pullDown(25),
      run: { outcome: 'interrupted', stoppedAt: isoAt(30) },
    }),
    answer: 'push-easier',
  },
  {
    name: 'a failure the figures show but no signal dates cannot be ordered: inconclusive',
    in: input({
      arms: { pull: pullArm({ upZero: 4 }), statsd: statsdArm({ kernel: 1200 }) },
      signals: [kernelDrop(20.6)],
    }),
    answer: 'inconclusive',
    says: [/pull has no dated failure signal/],
  },
  {
    name: 'a warning alone (scrape over half the timeout) is not a failure',
    in: input({ signals: [signal('pull', 'scrape-over-half-timeout', 21)] }),
    answer: 'the-same',
  },
  {
    name: 'scrapes reached the timeout while up stayed 1: pull delayed its data, it did not lose it',
    in: input({
      arms: { pull: pullArm({ overTimeout: 12, p99: 6.4, max: 6.4 }), statsd: statsdArm() },
      signals: [signal('pull', 'scrape-timeout', 25)],
    }),
    answer: 'push-easier',
    says: [
      /pull delayed data \(its scrapes reached the timeout while up stayed 1: late, not lost\) 25 s after/,
    ],
    saysNot: [/pull lost data/],
  },
  {
    name: 'scrapes failed (up == 0) but the counters at the cut-off held every event: a gap, not a loss',
    in: input({
      arms: { pull: pullArm({ upZero: 3, seenAll: true }), statsd: statsdArm() },
      signals: pullDown(25),
    }),
    answer: 'push-easier',
    says: [
      /pull missed scrapes \(up == 0\), yet its counters at the cut-off held every generated event: a gap in its series, not a loss/,
    ],
    saysNot: [/pull lost data/],
  },
  {
    name: 'scrapes failed and the counters fell short of what was generated: lost',
    in: input({
      arms: { pull: pullArm({ upZero: 3 }), statsd: statsdArm() },
      signals: pullDown(25),
    }),
    answer: 'push-easier',
    says: [/pull lost data/],
  },
  {
    name: 'the same: the sentence names the arm that came closest to a limit and by how much',
    in: input({
      arms: { pull: pullArm({ p99: 2.5 }), statsd: statsdArm() },
      headroom: [
        {
          arm: 'pull',
          kind: 'scrape-p99-of-timeout',
          label: 'scrape p99 of the 4 s timeout',
          used: fig(2.5, 'seconds', 'p99'),
          limit: fig(4, 'seconds', 'spec.arms.pull.scrapeTimeoutSeconds'),
          share: fig(0.625, 'ratio', 'p99 / timeout'),
        },
        {
          arm: 'statsd',
          kind: 'udp-queue-of-buffer',
          label: "the collector socket's peak receive queue of its buffer",
          used: fig(40_000, 'bytes', 'rx_queue'),
          limit: fig(212_992, 'bytes', 'SO_RCVBUF'),
          share: fig(40_000 / 212_992, 'ratio', 'rx_queue / SO_RCVBUF'),
        },
      ],
    }),
    answer: 'the-same',
    says: [/pull came closest to a limit: scrape p99 of the 4 s timeout at 63% \(2\.5 s of 4 s\)/],
  },
  {
    name: 'a saturated machine is machine-limited: a pull failure then is not read as pull failing',
    in: input({
      arms: { pull: pullArm({ upZero: 37, overTimeout: 37 }), statsd: statsdArm() },
      signals: pullDown(25),
      rig: rigHealth({
        machine: {
          window: 'phase open',
          cpuBusy: fig(0.98, 'ratio', '/proc/stat'),
          cpuPressure: fig(0.4, 'ratio', '/proc/pressure/cpu'),
          limited: true,
          reason: 'the machine was saturated in phase open (CPU 98% busy)',
        },
      }),
    }),
    answer: 'inconclusive',
    says: [
      /the machine was saturated in phase open \(CPU 98% busy\): machine-limited, the arms competed for CPU/,
    ],
  },
];

describe('decideVerdict', () => {
  for (const row of rows) {
    test(row.name, () => {
      const v = decideVerdict(row.in);
      assert.equal(v.answer, row.answer, v.sentence);
      if (row.perPushArm) assert.deepEqual(v.perPushArm, row.perPushArm);
      for (const re of row.says ?? []) assert.match(v.sentence + v.evidence.join('\n'), re, v.sentence);
      for (const re of row.saysNot ?? [])
        assert.doesNotMatch(v.sentence + v.evidence.join('\n'), re, v.sentence);
      assert.ok(v.sentence.endsWith('.'), 'the sentence ends with a full stop');
    });
  }

  test('firstFailure is the earliest failure signal, not a warning or a rig signal', () => {
    const v = decideVerdict(
      input({
        arms: { pull: pullArm({ upZero: 5, overTimeout: 5 }), statsd: statsdArm({ kernel: 1200 }) },
        signals: [
          signal('rig', 'rig-limited', 40),
          signal('pull', 'scrape-over-half-timeout', 3),
          ...pullDown(25),
          kernelDrop(20.6),
        ],
      }),
    );
    assert.equal(v.firstFailure?.kind, 'kernel-udp-drop');
    assert.equal(v.firstFailure?.offsetSeconds, 20.6);
  });

  test('every evidence line names its source', () => {
    const v = decideVerdict(
      input({
        arms: {
          pull: pullArm({ upZero: 5, overTimeout: 5 }),
          statsd: statsdArm({ kernel: 1200 }),
          otlp: otlpArm(),
        },
        signals: [kernelDrop(20.6), ...pullDown(25)],
        rig: rigHealth({ rigLimited: true }),
        missing: ['otlp latency: not kept'],
      }),
    );
    assert.ok(v.evidence.length > 10);
    for (const line of v.evidence) assert.match(line, /\(source: [^)]/, line);
  });

  test('a tie window can be widened to the scrape interval', () => {
    const v = decideVerdict(
      input({
        arms: { pull: pullArm({ upZero: 5, overTimeout: 5 }), statsd: statsdArm({ kernel: 1200 }) },
        signals: [kernelDrop(21), ...pullDown(25)],
        tieWindowSeconds: 5,
      }),
    );
    assert.equal(v.answer, 'the-same');
  });

  test('it is a pure function: the same input gives the same verdict', () => {
    const i = input({
      signals: [kernelDrop(20.6)],
      arms: { pull: pullArm(), statsd: statsdArm({ kernel: 9 }) },
    });
    assert.deepEqual(decideVerdict(i), decideVerdict(structuredClone(i)));
  });
});

describe('the recorded runs', () => {
  test('answer as the issue asks: no stress the same, small buffer push harder, scrape timeouts push easier, an interrupted run or a dead producer inconclusive', () => {
    assert.equal(loadCase('no-stress').verdict.answer, 'the-same');
    assert.equal(loadCase('small-buffer').verdict.answer, 'push-harder');
    assert.equal(loadCase('scrape-timeout').verdict.answer, 'push-easier');
    assert.equal(loadCase('interrupted').verdict.answer, 'inconclusive');
    assert.equal(loadCase('producer-killed').verdict.answer, 'inconclusive');
  });
});
