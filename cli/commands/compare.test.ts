import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderReport } from '../../report/render.ts';
import { CASES, type CaseName, loadCase } from '../../report/testdata/golden.ts';
import { compareMain, thresholdsFromArgs } from './compare.ts';
import type { CommandIo } from './report.ts';

function io(): CommandIo & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (t: string) => {
      o.out += t;
    },
    stderr: (t: string) => {
      o.err += t;
    },
  };
  return o;
}

describe('pushpull compare', () => {
  let dir = '';
  /** The report.json of a recorded case, as a run writes it. */
  const testdata = (name: CaseName) => join(dir, `${name}.json`);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushpull-compare-cmd-'));
    for (const name of CASES) await writeFile(testdata(name), renderReport(loadCase(name), 'json'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('prints a table and exits 0 when no threshold is breached', async () => {
    const o = io();
    const code = await compareMain({ a: testdata('no-stress'), b: testdata('small-buffer') }, o);
    assert.equal(code, 0, o.err);
    assert.match(o.out, /verdict +the same +push harder +changed/);
    assert.match(o.out, /No threshold breached\./);
  });

  test('exits 1 when B breaches a threshold (a nightly job fails)', async () => {
    const o = io();
    const code = await compareMain(
      {
        a: testdata('no-stress'),
        b: testdata('small-buffer'),
        maxLossRatioIncrease: 0.01,
        failOnVerdictChange: true,
      },
      o,
    );
    assert.equal(code, 1);
    assert.match(o.out, /2 threshold\(s\) breached:/);
  });

  test('--json prints rows and breaches', async () => {
    const o = io();
    const code = await compareMain(
      { a: testdata('no-stress'), b: testdata('scrape-timeout'), json: true, maxP99Increase: 0.2 },
      o,
    );
    assert.equal(code, 1);
    const out = JSON.parse(o.out);
    assert.deepEqual(out.thresholds, { maxP99Increase: 0.2 });
    assert.equal(out.breaches.length, 1);
    assert.ok(out.rows.some((r: { key: string }) => r.key === 'pull.scrapeDurationSeconds.p99'));
  });

  test('bad input exits 2: a missing file, another schemaVersion, a bad threshold, one report only', async () => {
    const v2 = join(dir, 'v2.json');
    await writeFile(v2, JSON.stringify({ ...loadCase('no-stress'), schemaVersion: 2 }));
    const cases: Array<[Parameters<typeof compareMain>[0], RegExp]> = [
      [
        { a: testdata('no-stress'), b: join(dir, 'missing.json') },
        /missing\.json: no such file or directory/,
      ],
      [
        { a: v2, b: testdata('no-stress') },
        /v2\.json: schemaVersion 2 is not supported: this pushpull reads schemaVersion 1/,
      ],
      [
        { a: testdata('no-stress'), b: testdata('no-stress'), maxP99Increase: Number.NaN },
        /--max-p99-increase: not a number; expected a number ≥ 0 \(e\.g\. 0\.2 for \+20%\)/,
      ],
      [{ a: testdata('no-stress') }, /name two reports/],
    ];
    for (const [args, re] of cases) {
      const o = io();
      assert.equal(await compareMain(args, o), 2, JSON.stringify(args));
      assert.match(o.err, re);
    }
  });

  test('turns flags into thresholds', () => {
    assert.deepEqual(thresholdsFromArgs({ maxFirstFailureEarlier: 5, failOnRigFault: true }), {
      maxFirstFailureEarlierSeconds: 5,
      failOnRigFault: true,
    });
    assert.throws(
      () => thresholdsFromArgs({ maxUpZeroIncrease: -1 }),
      /--max-up-zero-increase: -1 is not allowed/,
    );
  });
  test('a directory of run folders prints the trend, and exits 1 when the newest run regressed', async () => {
    const runs = join(dir, 'nightly');
    const nights: Array<[folder: string, fixture: CaseName, startedAt: string]> = [
      ['quick-20261201-020000', 'no-stress', '2026-12-01T02:00:00Z'],
      ['quick-20261202-020000', 'small-buffer', '2026-12-02T02:00:00Z'],
    ];
    for (const [folder, fixture, startedAt] of nights) {
      await mkdir(join(runs, folder), { recursive: true });
      const r = loadCase(fixture);
      r.run.startedAt = startedAt;
      await writeFile(join(runs, folder, 'report.json'), JSON.stringify(r));
    }
    await mkdir(join(runs, 'not-a-run'));
    const loose = io();
    assert.equal(await compareMain({ a: runs }, loose), 0, loose.err);
    assert.match(loose.out, /^run +started +verdict/);
    assert.match(loose.out, /quick-20261202-020000 +2026-12-02 02:00 +push harder/);
    const gate = io();
    assert.equal(await compareMain({ a: runs, maxLossRatioIncrease: 0.01 }, gate), 1);
    assert.match(
      gate.out,
      /quick-20261202-020000 regressed against the run before it:\n {2}- StatsD loss ratio rose/,
    );
  });
});
