import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderReport } from '../../report/render.ts';
import { renderHtml } from '../../report/render-html.ts';
import { renderMarkdown } from '../../report/render-markdown.ts';
import type { ReportSourceResolver } from '../../report/source.ts';
import { loadCase } from '../../report/testdata/golden.ts';
import { type CommandIo, reportMain } from './report.ts';

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

describe('pushpull report', () => {
  let dir = '';
  let runDir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushpull-report-cmd-'));
    runDir = join(dir, 'run');
    await mkdir(runDir);
    await writeFile(join(runDir, 'report.json'), renderReport(loadCase('small-buffer'), 'json'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('re-renders report.md and report.html beside report.json of a run directory', async () => {
    const o = io();
    assert.equal(await reportMain({ path: runDir }, o), 0, o.err);
    assert.equal(o.out, `wrote ${join(runDir, 'report.md')}\nwrote ${join(runDir, 'report.html')}\n`);
    const report = loadCase('small-buffer');
    assert.equal(await readFile(join(runDir, 'report.md'), 'utf8'), renderMarkdown(report));
    assert.equal(await readFile(join(runDir, 'report.html'), 'utf8'), renderHtml(report));
  });

  test('prints one format to stdout with --format', async () => {
    const o = io();
    assert.equal(await reportMain({ path: join(runDir, 'report.json'), format: 'md' }, o), 0);
    assert.match(o.out, /^# pushpull report: scenario-small-buffer\n/);
    const j = io();
    assert.equal(await reportMain({ path: runDir, format: 'json' }, j), 0);
    assert.equal(JSON.parse(j.out).verdict.answer, 'push-harder');
  });

  test('writes --out in the format its extension names', async () => {
    const o = io();
    const out = join(dir, 'elsewhere', 'page.html');
    assert.equal(await reportMain({ path: runDir, out }, o), 0, o.err);
    assert.match(await readFile(out, 'utf8'), /^<!doctype html>/);
  });

  test('bad input exits 2 with a message that says what to do', async () => {
    const cases: Array<[Parameters<typeof reportMain>[0], RegExp]> = [
      [{}, /name a report\.json or a run output directory/],
      [
        { path: join(dir, 'nope') },
        /nope: no such file or directory \(name a report\.json or a run output directory\)/,
      ],
      [{ path: dir }, /this directory has no report\.json/],
      [{ path: runDir, format: 'pdf' }, /--format: "pdf" is not allowed; expected one of md, html, json/],
      [{ path: runDir, out: join(dir, 'x.txt') }, /--out: cannot tell the format of .*x\.txt/],
    ];
    for (const [args, re] of cases) {
      const o = io();
      assert.equal(await reportMain(args, o), 2, JSON.stringify(args));
      assert.match(o.err, re);
      assert.match(o.err, /^pushpull report: /);
    }
  });

  test('rejects another schemaVersion, saying which one this pushpull reads', async () => {
    const file = join(dir, 'v9.json');
    await writeFile(file, JSON.stringify({ ...loadCase('no-stress'), schemaVersion: 9 }));
    const o = io();
    assert.equal(await reportMain({ path: file, format: 'md' }, o), 2);
    assert.match(o.err, /v9\.json: schemaVersion 9 is not supported: this pushpull reads schemaVersion 1/);
  });

  test('takes another source through a resolver (how the ConfigMap source plugs in)', async () => {
    const fromCluster: ReportSourceResolver = async (arg) =>
      arg === 'quick'
        ? { label: 'ppx default/quick', defaultOutDir: null, load: async () => loadCase('no-stress') }
        : null;
    const o = io();
    assert.equal(await reportMain({ path: 'quick', format: 'md' }, o, [fromCluster]), 0);
    assert.match(o.out, /^# pushpull report: scenario-no-stress/);
    const p = io();
    assert.equal(await reportMain({ path: 'quick' }, p, [fromCluster]), 2);
    assert.match(p.err, /ppx default\/quick: has no directory to write into; add --out FILE or --format/);
  });
});
