/**
 * report.html in a real browser: Debian's chromium driven by playwright-core renders each recorded case's
 * report from a file:// URL with no console errors and no network requests, the verdict is visible,
 * and every chart has a line. A full-page screenshot of each is left in a temp dir for a human look.
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
import { renderHtml } from './render-html.ts';
import { CASES, loadCase } from './testdata/golden.ts';

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
    test(`${name}: renders with its verdict visible, charts drawn, no errors and no requests`, async (t) => {
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
        assert.ok(charts.length >= 5, `at least 5 charts (got ${charts.length})`);
        for (const c of charts) {
          assert.ok(c.visible, `${c.id} is laid out`);
          assert.ok(
            c.points.some((n) => n > 1),
            `${c.id} has a polyline with more than one point (${c.points.join(',')})`,
          );
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
