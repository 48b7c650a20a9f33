/**
 * report.html in a real browser: Debian's chromium driven by playwright-core renders each recorded case's
 * report from a file:// URL with no console errors and no network requests, the verdict is visible,
 * every chart has a line, all charts share one x range (the run's time axis, the same ticks at the same
 * places), and each y axis names the unit its tick labels are in (checked against the report's own
 * numbers, so a "seconds" axis over "10 ms" ticks fails). A full-page screenshot of each is left in a temp dir for a human look.
 * Needs /usr/bin/chromium (tools/setup.sh installs it); skips with the reason where it is missing,
 * except under CI, where a missing browser is a failure.
 */

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { makeTempDir } from '../testing/temp-dir.ts';
import { CHARTS } from './chart-ids.ts';
import { renderHtml } from './render-html.ts';
import { CASES, loadCase } from './testdata/golden.ts';
import { verdictScope } from './verdict-scope.ts';

const CHROMIUM = process.env.PUSHPULL_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The size of each unit a y axis may name, in seconds or bytes. */
const UNIT_SIZES: Record<string, number> = {
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};
const BARE_NUMBER = /^-?[\d,]+(\.\d+)?$/;

const missing = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} is missing: run \`bash tools/setup.sh all\` as root`;
if (missing && process.env.CI) throw new Error(missing);

describe('report.html in headless chromium', { skip: missing ?? false, timeout: 180_000 }, () => {
  let context: BrowserContext | undefined;
  let userDataDir = '';
  let workDir = '';

  before(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'pushpull-chromium-profile-'));
    workDir = makeTempDir('report-html');
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1100, height: 900 },
      timeout: 60_000,
    });
  });

  after(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  for (const name of CASES) {
    test(`${name}: renders with its verdict visible, charts drawn on one time axis with units matching their ticks, no errors and no requests`, async (t) => {
      const report = loadCase(name);
      const file = join(workDir, `${name}.html`);
      await writeFile(file, renderHtml(report));
      const page = await context!.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      const failed: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
      try {
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 30_000 });

        const verdict = page.locator('#verdict .sentence');
        assert.ok(await verdict.isVisible(), 'the verdict sentence is visible');
        assert.equal((await verdict.textContent())?.trim(), report.verdict.sentence);
        const scope = page.locator('#verdict .scope');
        assert.ok(await scope.isVisible(), 'the banner says what the verdict answers for');
        assert.equal((await scope.textContent())?.trim(), verdictScope(report));
        const box = await verdict.boundingBox();
        assert.ok(box && box.y < 400, `the verdict is near the top (y=${box?.y})`);

        const charts = await page.$$eval('svg.chart', (svgs) =>
          svgs.map((svg) => ({
            id: svg.id,
            visible: svg.getBoundingClientRect().width > 0,
            points: [...svg.querySelectorAll('polyline')].map(
              (p) => (p.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length,
            ),
          })),
        );
        // Every report draws the rig's charts and at least two of each arm's (a one-arm game day has four).
        assert.ok(charts.length >= 4, `at least 4 charts (got ${charts.length})`);
        for (const c of charts) {
          assert.ok(c.visible, `${c.id} is laid out`);
          assert.ok(
            c.points.some((n) => n > 1),
            `${c.id} has a polyline with more than one point (${c.points.join(',')})`,
          );
        }

        const axes = await page.$$eval('svg.chart', (svgs) =>
          svgs.map((svg) => ({
            id: svg.id,
            xMin: Number(svg.getAttribute('data-x-min')),
            xMax: Number(svg.getAttribute('data-x-max')),
            xTicks: [...svg.querySelectorAll('text.tick-x')].map((t) => ({
              text: t.textContent ?? '',
              left: Math.round(t.getBoundingClientRect().left),
            })),
            yLabel: svg.querySelector('text.axis-y')?.textContent ?? '',
            yTicks: [...svg.querySelectorAll('text.tick-y')].map((t) => t.textContent ?? ''),
          })),
        );
        const [first, ...rest] = axes;
        assert.ok(
          first && Number.isFinite(first.xMin) && first.xMax > first.xMin,
          'the first chart has an x range',
        );
        for (const a of rest) {
          assert.deepEqual([a.xMin, a.xMax], [first.xMin, first.xMax], `${a.id} spans the same x range`);
          assert.deepEqual(a.xTicks, first.xTicks, `${a.id} has the same x ticks at the same places`);
        }
        for (const spec of CHARTS) {
          const a = axes.find((x) => x.id === `chart-${spec.key}`);
          if (!a) continue;
          if (spec.yFormat === 'number') {
            for (const t of a.yTicks)
              assert.match(t, /^-?[\d,.]+[kMG]?$/, `${a.id}: tick "${t}" carries no unit`);
            continue;
          }
          const unit = /\(([^)]+)\)$/.exec(a.yLabel)?.[1];
          assert.ok(unit && UNIT_SIZES[unit], `${a.id}: the axis "${a.yLabel}" names a unit`);
          for (const t of a.yTicks)
            assert.match(t, BARE_NUMBER, `${a.id}: tick "${t}" is a bare number in ${unit}`);
          const ids = new Set(spec.series.map((x) => x.id));
          const values = report.charts
            .filter((c) => ids.has(c.id))
            .flatMap((c) => c.points.filter(([x]) => x >= a.xMin && x <= a.xMax).map(([, y]) => Math.abs(y)));
          const dataMax = Math.max(0, ...values);
          const topTick = Math.max(...a.yTicks.map((t) => Number(t.replace(/,/g, '')))) * UNIT_SIZES[unit]!;
          if (dataMax > 0) {
            assert.ok(
              topTick >= dataMax && topTick < dataMax * 10,
              `${a.id}: the top tick ${a.yTicks.at(-1)} ${unit} covers the largest value, ${dataMax}, within one order of magnitude`,
            );
          }
        }

        const shot = join(workDir, `${name}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        t.diagnostic(`screenshot: ${shot}`);

        assert.deepEqual(errors, [], 'no console errors');
        assert.deepEqual(failed, [], 'no failed requests');
        assert.deepEqual(requests, [], 'no network requests');
      } finally {
        await page.close();
      }
    });
  }
});
