/**
 * Writes the three golden input reports (report/testdata/*.json) from the builders: a run with no
 * stress (the same), a small-buffer StatsD run with kernel drops (push harder) and a pull run whose
 * scrapes time out (push easier). Run it after changing the builders or the verdict:
 *   npx node report/testdata/make-fixtures.ts && UPDATE_GOLDEN=1 npx node --test report/*.test.ts
 */
import { writeFileSync } from 'node:fs';
import type { Expectation } from '../../api/v1alpha1/schema.ts';
import { evaluateExpectations } from '../expectations.ts';
import type { Report } from '../types.ts';
import { charts, otlpArm, pullArm, report, signal, statsdArm } from './builders.ts';

const pullSpec = { scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 4, sampleLimit: 0, bodySizeLimitBytes: 0 };
const statsdSpec = {
  mode: 'perEvent' as const,
  maxBufferBytes: 1432,
  flushIntervalMs: 1000,
  flushJitter: true,
  receiveBufferBytes: 212_992,
};
const otlpSpec = { protocol: 'grpc' as const, exportIntervalMs: 1000, temporality: 'cumulative' as const };

/** Name → report; the file is report/testdata/<name>.json. */
export function fixtures(): Record<string, Report> {
  return {
    'no-stress': report({
      name: 'quick',
      specArms: { pull: pullSpec, statsd: statsdSpec, otlp: otlpSpec },
      arms: { pull: pullArm(), statsd: statsdArm(), otlp: otlpArm() },
      signals: [],
      charts: charts({ scale: 0.02, arms: ['pull', 'statsd', 'otlp'] }),
    }),
    'statsd-small-buffer': report({
      name: 'small-buffer',
      specArms: { pull: pullSpec, statsd: { ...statsdSpec, receiveBufferBytes: 4096 } },
      arms: { pull: pullArm(), statsd: statsdArm({ kernel: 24_984 }) },
      signals: [
        signal(
          'statsd',
          'kernel-udp-drop',
          20.6,
          'RcvbufErrors +96 in 100 ms at 15,200 datagrams/s (SO_RCVBUF 4,096 → 8,192 bytes effective)',
        ),
      ],
      charts: charts({ scale: 0.02, arms: ['pull', 'statsd'], dropFraction: 0.0548, kernelTotal: 24_984 }),
    }),
    'pull-timeouts': withExpectations(
      report({
        name: 'tight-timeout',
        specArms: {
          pull: { ...pullSpec, scrapeTimeoutSeconds: 0.5 },
          statsd: statsdSpec,
          otlp: otlpSpec,
        },
        arms: {
          pull: pullArm({ upZero: 37, overTimeout: 37, overHalf: 61, p50: 0.212, p99: 0.5, max: 0.5 }),
          statsd: statsdArm(),
          otlp: otlpArm({ latencyP99: null }),
        },
        signals: [
          signal(
            'pull',
            'scrape-over-half-timeout',
            20.9,
            'producer-07: scrape took 0.31 s of a 0.5 s timeout',
          ),
          signal('pull', 'scrape-timeout', 25.0, 'producer-11: scrape hit the 0.5 s timeout (body 231 KiB)'),
          signal('pull', 'target-down', 25.0, '9 of 28 targets up == 0'),
        ],
        charts: charts({
          scale: 0.02,
          arms: ['pull', 'statsd', 'otlp'],
          scrapeOpen: [0.212, 0.5, 0.5],
          downOpen: 9,
        }),
        missing: ['otlp export latency p99: the producers keep no latency histogram past 10,000 exports'],
      }),
      [
        { figure: 'pull.scrapeP99OverTimeout', op: '<=', threshold: 0.5 },
        { figure: 'otlp.pointsRefused', op: '==', threshold: 0 },
        { figure: 'otlp.exportLatencySeconds.p99', op: '<=', threshold: 0.25 },
      ],
    ),
  };
}

/** The report with `expect` in its spec and the expectations evaluated, as measure/assemble.ts does. */
function withExpectations(r: Report, expect: Expectation[]): Report {
  const withSpec: Report = { ...r, experiment: { ...r.experiment, spec: { ...r.experiment.spec, expect } } };
  return { ...withSpec, expectations: evaluateExpectations(withSpec, expect) };
}

if (import.meta.main) {
  for (const [name, r] of Object.entries(fixtures())) {
    const path = new URL(`./${name}.json`, import.meta.url).pathname;
    writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
    process.stdout.write(`wrote ${path}: ${r.verdict.answer}\n`);
  }
}
