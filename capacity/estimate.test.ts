import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSpecText } from '../api/v1alpha1/load.ts';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { CPU_US_PER_EVENT, PRODUCER_PROCESS_RSS_BYTES } from './costs.ts';
import {
  checkCapacity,
  estimateNeeds,
  formatCapacity,
  type HostCapacity,
  peakEventsPerSecond,
} from './estimate.ts';
import { maxProcessesLimit, meminfoBytes, runningThreads } from './host.ts';

const GiB = 2 ** 30;
const THIS_KIND_OF_MACHINE: HostCapacity = {
  cores: 2,
  memoryTotalBytes: 24 * GiB,
  memoryAvailableBytes: 22 * GiB,
  threadsAvailable: 32_000,
  notes: [],
};

function example(name: string): ExperimentSpec {
  const path = new URL(`../examples/${name}`, import.meta.url);
  const result = parseSpecText(readFileSync(path, 'utf8'), name);
  if (!result.ok) throw new Error(`${name} is invalid`);
  return result.document.spec;
}

describe('capacity estimate', () => {
  it('counts the short-lived jobs alive at once like producer processes, and the Pushgateway', () => {
    const spec = example('game-day-liveness.yaml');
    const without = estimateNeeds({ ...spec, jobs: [] });
    const needs = estimateNeeds(spec);
    // Batches of maxConcurrent 4, 2, 4 (pull paths), 4 (statsd), 4 (otlp).
    const rss = PRODUCER_PROCESS_RSS_BYTES;
    assert.equal(
      needs.memoryBytes - without.memoryBytes,
      10 * rss.pull.value + 4 * rss.statsd.value + 4 * rss.otlp.value,
    );
    assert.equal(needs.collectorProcesses, without.collectorProcesses + 1);
    assert.ok(needs.notCounted.some((n) => n.includes('at most 18 at once')));
  });

  it('fits the quick example on a 2-core machine, from the measured costs', () => {
    const spec = example('quick.yaml');
    const needs = estimateNeeds(spec);
    assert.equal(needs.peakEventsPerSecond, 3800);
    assert.equal(needs.producerProcesses, 3);
    assert.equal(needs.collectorProcesses, 5);
    const statsd = needs.arms.find((a) => a.arm === 'statsd')!;
    assert.equal(statsd.path, 'statsd/buffered');
    assert.equal(statsd.cpuCores, (3800 * CPU_US_PER_EVENT['statsd/buffered'].value) / 1e6);
    assert.equal(
      needs.memoryBytes,
      PRODUCER_PROCESS_RSS_BYTES.pull.value +
        PRODUCER_PROCESS_RSS_BYTES.statsd.value +
        PRODUCER_PROCESS_RSS_BYTES.otlp.value,
    );
    const check = checkCapacity(needs, THIS_KIND_OF_MACHINE);
    assert.equal(check.fits, true);
    assert.deepEqual(check.warnings, []);
  });

  it('refuses 100,000 producers one per process, naming what they need and what the machine has', () => {
    const spec = example('quick.yaml');
    const huge: ExperimentSpec = { ...spec, scale: 1, fleet: { producers: 100_000, producersPerProcess: 1 } };
    const check = checkCapacity(estimateNeeds(huge), THIS_KIND_OF_MACHINE);
    assert.equal(check.fits, false);
    assert.deepEqual(
      check.shortfalls.map((s) => s.resource),
      ['memory', 'threads', 'cpu'],
    );
    const memory = check.shortfalls[0]!;
    assert.match(
      memory.sentence,
      /^memory: needs at least 33.3 TiB \(300,000 producer processes at 110–127 MiB each\)/,
    );
    assert.match(memory.sentence, /this machine has 22 GiB available of 24 GiB/);
    assert.match(
      check.shortfalls[1]!.sentence,
      /300,000 producer processes \(3,300,000 threads\).*allows 32,000 more/,
    );
    assert.match(
      check.shortfalls[2]!.sentence,
      /cpu: needs 4\.36 cores .*380,000 events\/s.*this machine has 2 cores/,
    );
    const text = formatCapacity(check).join('\n');
    assert.match(text, /^needs: 300,000 producer \+ 5 collector processes/);
    assert.match(text, /does not fit: memory/);
  });

  it('refuses the full-scale market-open burst on two cores for CPU alone', () => {
    const check = checkCapacity(estimateNeeds(example('market-open.yaml')), THIS_KIND_OF_MACHINE);
    assert.equal(check.fits, false);
    assert.deepEqual(
      check.shortfalls.map((s) => s.resource),
      ['cpu'],
    );
  });

  it('warns when the producers alone take over half the cores', () => {
    const spec: ExperimentSpec = { ...example('market-open.yaml'), scale: 0.3 };
    const check = checkCapacity(estimateNeeds(spec), THIS_KIND_OF_MACHINE);
    assert.equal(check.fits, true);
    assert.equal(check.warnings.length, 1);
    assert.match(check.warnings[0]!, /expect a machine-limited run/);
  });

  it('counts the collectors memory budgets when the spec sets them, and says so when it does not', () => {
    const spec = example('quick.yaml');
    const without = estimateNeeds(spec);
    const withBudgets = estimateNeeds({
      ...spec,
      collectors: { scaleWithFleet: false, prometheus: { memory: '768Mi' }, otelcol: { memory: '256Mi' } },
    });
    assert.equal(withBudgets.memoryBytes - without.memoryBytes, GiB);
    assert.ok(without.notCounted.some((n) => n.includes("collectors' memory")));
    assert.ok(!withBudgets.notCounted.some((n) => n.includes("collectors' memory")));
  });

  it('takes the peak after scale over every phase', () => {
    assert.equal(peakEventsPerSecond(example('market-open.yaml')), 380_000);
  });
});

describe('host readings', () => {
  it('reads MemAvailable, the process limit and the running threads', () => {
    assert.equal(
      meminfoBytes('MemTotal:  100 kB\nMemAvailable:   23578188 kB\n', 'MemAvailable'),
      23578188 * 1024,
    );
    assert.equal(meminfoBytes('MemTotal: 1 kB\n', 'MemAvailable'), null);
    assert.equal(
      maxProcessesLimit('Max processes             96364                96364                processes \n'),
      96364,
    );
    assert.equal(
      maxProcessesLimit('Max processes             unlimited            unlimited            processes\n'),
      null,
    );
    assert.equal(runningThreads('1.20 0.90 0.80 3/812 12345\n'), 812);
  });
});
