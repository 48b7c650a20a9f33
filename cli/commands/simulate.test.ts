import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../testing/temp-dir.ts';
import { type SimulateArgs, simulateMain } from './simulate.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MARKET_OPEN = join(root, 'examples/market-open.yaml');
const report = (n: string) => join(root, `simulate/testdata/${n}.report.json`);

async function run(args: SimulateArgs) {
  let out = '';
  let err = '';
  const code = await simulateMain(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('pushpull simulate', () => {
  it('asks for a spec, a report or the seed table', async () => {
    const r = await run({});
    assert.equal(r.code, 2);
    assert.match(r.err, /name a spec, --against a report, or --seed-table/);
  });
  it('names the flag, the value and what is allowed', async () => {
    assert.match(
      (await run({ spec: MARKET_OPEN, producers: 0 })).err,
      /--producers: 0 is not allowed; expected a whole number > 0/,
    );
    assert.match(
      (await run({ spec: MARKET_OPEN, producers: 200_000 })).err,
      /--producers: 200000 is not allowed; expected at most 100,000/,
    );
    assert.match(
      (await run({ spec: MARKET_OPEN, externalLabel: ['x'] })).err,
      /--external-label: "x" is not allowed; expected NAME=VALUE/,
    );
    assert.match(
      (await run({ spec: MARKET_OPEN, startAt: 'soon' })).err,
      /--start-at: "soon" is not allowed/,
    );
  });
  it('prints the whole model as JSON, sizing and calibration sources included', async () => {
    const r = await run({ spec: MARKET_OPEN, producers: 2000, json: true });
    assert.equal(r.code, 0);
    const s = JSON.parse(r.out);
    assert.equal(s.producers, 2000);
    assert.deepEqual(s.calibration.reports, []);
    assert.match(s.calibration.statsdDrainPerSecond.source, /^default: /);
    assert.ok(s.statsd && s.pull && s.otlp);
    assert.match(s.verdict, /^At 2,000 producers per arm the model/);
  });
  it("reruns the seed's table and says the mean its parameters give", async () => {
    const r = await run({ seedTable: true });
    assert.equal(r.code, 0);
    assert.match(r.out, /= 840 per 100 ms, not the seed's 14,232/);
  });
  it('predicts a recorded run and prints predicted vs measured', async () => {
    const r = await run({
      against: [report('small-buffer')],
      calibrate: ['small-buffer', 'scrape-timeout', 'no-stress'].map(report),
    });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /predicted vs measured/);
    assert.match(r.out, /first failure: predicted statsd\/kernel-udp-drop, measured statsd\/kernel-udp-drop/);
  });
  it("writes an HTML page drawn with the report's chart renderer", async () => {
    const file = join(makeTempDir('simulate-html'), 'sim.html');
    const r = await run({ spec: MARKET_OPEN, html: file });
    assert.equal(r.code, 0);
    const html = readFileSync(file, 'utf8');
    assert.match(html, /<svg id="sim-statsd" class="chart"/);
    assert.match(html, /<svg id="sim-pull-scrapes" class="chart"/);
  });
});

describe('pushpull simulate on a spec longer than the model takes', () => {
  it('names the field and the limit', async () => {
    const dir = makeTempDir('simulate-long');
    const file = join(dir, 'long.yaml');
    const text = readFileSync(MARKET_OPEN, 'utf8')
      .replace('durationSeconds: 120', 'durationSeconds: 7200')
      .replace(/maxDurationSeconds: \d+/, 'maxDurationSeconds: 86400');
    writeFileSync(file, text);
    const r = await run({ spec: file });
    assert.equal(r.code, 2, r.err);
    assert.match(
      r.err,
      /spec\.load\.phases: the phases and drain last \d+ s; pushpull simulate models at most 3600 s/,
    );
  });
});
