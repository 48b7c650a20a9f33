import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CHARTS } from './chart-ids.ts';
import { axisUnit, renderHtml, timeAxis } from './render-html.ts';
import { assertGolden, CASES, loadCase } from './testdata/golden.ts';

describe('renderHtml', () => {
  for (const name of CASES) {
    test(`renders the ${name} run (recorded input through assembleReport) as its golden file`, () => {
      assertGolden(`${name}.golden.html`, renderHtml(loadCase(name)));
    });
  }

  test('is self-contained: no external URL, no script', () => {
    for (const name of CASES) {
      const html = renderHtml(loadCase(name));
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /\b(src|href)=/i);
      // The only URL allowed is the SVG namespace, which is an identifier, not a request, beside the
      // provenance text of the run's own collectors (loopback, or its private namespaces' 10.x addresses).
      const ownCollector = /^http:\/\/(127\.0\.0\.1|10\.\d+\.\d+\.\d+):\d+$/;
      const urls = (html.match(/https?:\/\/[^\s"'<]+/g) ?? []).filter((u) => !ownCollector.test(u));
      assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg']);
    }
  });

  test('draws every chart of the arms in the run, each with a polyline', () => {
    const html = renderHtml(loadCase('no-stress'));
    for (const c of CHARTS.filter((c) => c.needs !== 'optional')) {
      const svg = html.match(new RegExp(`<svg id="chart-${c.key}"[\\s\\S]*?</svg>`))?.[0];
      assert.ok(svg, `chart ${c.key} is drawn`);
      assert.match(svg, /<polyline /, `chart ${c.key} has a line`);
    }
  });

  test('draws every chart of a run over one x range: the load window', () => {
    for (const name of CASES) {
      const report = loadCase(name);
      const html = renderHtml(report);
      const ranges = [
        ...html.matchAll(/<svg id="chart-[^"]+" class="chart" data-x-min="([^"]+)" data-x-max="([^"]+)"/g),
      ];
      assert.equal(
        ranges.length,
        (html.match(/<svg id="chart-/g) ?? []).length,
        `${name}: every chart has a range`,
      );
      const domain = timeAxis(report);
      assert.ok(domain, `${name} has a load window`);
      for (const m of ranges) assert.deepEqual([Number(m[1]), Number(m[2])], domain, name);
    }
  });

  test('a seconds or bytes axis names its unit once, and its ticks are bare numbers in it', () => {
    const html = renderHtml(loadCase('no-stress'));
    const svg = html.match(/<svg id="chart-scrape-duration"[\s\S]*?<\/svg>/)![0];
    assert.match(svg, /class="axis-y"[^>]*>scrape duration \(ms\)</);
    const ticks = [...svg.matchAll(/class="tick-y"[^>]*>([^<]*)</g)].map((m) => m[1]);
    assert.ok(ticks.length >= 2);
    for (const t of ticks) assert.match(t!, /^-?[\d,]+(\.\d+)?$/);
  });

  test('axisUnit picks the largest unit that keeps the largest value at 1 or more', () => {
    assert.equal(axisUnit('seconds', 0.0301).name, 'ms');
    assert.equal(axisUnit('seconds', 0.0004).name, 'µs');
    assert.equal(axisUnit('seconds', 2.5).name, 's');
    assert.equal(axisUnit('seconds', 0).name, 'µs');
    assert.equal(axisUnit('bytes', 245_760).name, 'KiB');
    assert.equal(axisUnit('bytes', 1.5 * 1024 * 1024).name, 'KiB');
    assert.equal(axisUnit('bytes', 3 * 1024 * 1024).name, 'MiB');
  });

  test('leaves out the charts of arms that are not in the run', () => {
    const html = renderHtml(loadCase('small-buffer'));
    assert.doesNotMatch(html, /id="chart-otlp-points"/);
    assert.match(html, /id="chart-statsd-drops"/);
  });

  test('shows "no data: <reason>" for a required series that is empty or absent', () => {
    const r = loadCase('small-buffer');
    r.charts = r.charts.filter((s) => s.id !== 'kernel-drops');
    r.charts.push({
      id: 'kernel-drops',
      arm: 'statsd',
      label: 'kernel drops',
      unit: 'datagrams',
      source: '/proc/net/snmp',
      points: [],
      missing: 'the netns reader could not start',
    });
    r.charts = r.charts.filter((s) => s.id !== 'targets-down');
    const html = renderHtml(r);
    const drops = html.match(/<svg id="chart-statsd-drops"[\s\S]*?<\/svg>/)?.[0] ?? '';
    assert.match(drops, /no data: the netns reader could not start/);
    const down = html.match(/<svg id="chart-targets-down"[\s\S]*?<\/svg>/)?.[0] ?? '';
    assert.match(down, /no data: the report has no &quot;targets-down&quot; series/);
  });

  test('escapes every text from the report', () => {
    const r = loadCase('scrape-timeout');
    r.experiment.name = '<img src=x onerror=alert(1)>';
    r.signals[0]!.detail = '"><script>alert(1)</script>';
    r.charts[0]!.label = '<b>x</b>';
    const html = renderHtml(r);
    assert.doesNotMatch(html, /<img|<script|<b>x/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  test('puts the verdict first, with its answer as a class', () => {
    const html = renderHtml(loadCase('scrape-timeout'));
    const verdictAt = html.indexOf('<section id="verdict" class="verdict verdict-push-easier">');
    assert.ok(verdictAt > 0 && verdictAt < html.indexOf('id="evidence"'));
  });
});
