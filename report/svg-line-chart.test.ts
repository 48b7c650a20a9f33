import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { niceTicks, renderLineChart } from './svg-line-chart.ts';

const base = { id: 'c', title: 'T', xLabel: 'x', yLabel: 'y', formatY: (v: number) => String(v) };

describe('renderLineChart', () => {
  test('draws one polyline per series with points inside the plot area', () => {
    const svg = renderLineChart({
      ...base,
      series: [
        {
          label: 'a',
          points: [
            [0, 0],
            [10, 5],
            [20, 10],
          ],
        },
        {
          label: 'b',
          points: [
            [0, 1],
            [20, 2],
          ],
        },
      ],
    });
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(' '));
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.length, 3);
    for (const p of lines.flat()) {
      const [x, y] = p.split(',').map(Number) as [number, number];
      assert.ok(x >= 72 && x <= 740 && y >= 24 && y <= 300, p);
    }
    assert.match(svg, /<text[^>]*>a<\/text>/);
  });

  test('with an x domain, spans exactly it, ticks inside it, and leaves out points outside it', () => {
    const svg = renderLineChart({
      ...base,
      xDomain: [0, 60],
      series: [
        {
          label: 'a',
          points: [
            [-10, 1],
            [0, 2],
            [30, 3],
            [60, 4],
            [70, 5],
          ],
        },
      ],
    });
    assert.match(svg, /data-x-min="0" data-x-max="60"/);
    const ticks = [...svg.matchAll(/class="tick-x"[^>]*>([^<]*)</g)].map((m) => Number(m[1]));
    assert.deepEqual(ticks, [0, 10, 20, 30, 40, 50, 60]);
    const points = svg.match(/<polyline [^>]*points="([^"]+)"/)![1]!.split(' ');
    assert.deepEqual(
      points.map((p) => Number(p.split(',')[0])),
      [72, 406, 740],
    );
  });

  test('an empty series gets a "no data" legend note; an empty chart a visible note', () => {
    const some = renderLineChart({
      ...base,
      series: [
        {
          label: 'a',
          points: [
            [0, 1],
            [1, 2],
          ],
        },
        { label: 'b', points: [], missing: 'reader down' },
      ],
    });
    assert.match(some, /b: no data: reader down/);
    const none = renderLineChart({ ...base, series: [{ label: 'b', points: [], missing: 'reader down' }] });
    assert.match(none, /class="no-data"[^>]*>no data: reader down</);
    assert.doesNotMatch(none, /<polyline/);
  });

  test('escapes labels and titles', () => {
    const svg = renderLineChart({
      ...base,
      title: '<t>',
      series: [
        {
          label: '"><x>',
          points: [
            [0, 1],
            [1, 1],
          ],
        },
      ],
    });
    assert.doesNotMatch(svg, /<t>|<x>/);
  });

  test('thins a long series and survives 200,000 points', () => {
    const points: Array<[number, number]> = Array.from({ length: 200_000 }, (_, i) => [i / 10, i % 7]);
    const svg = renderLineChart({ ...base, series: [{ label: 'long', points }] });
    const n = svg.match(/points="([^"]+)"/)![1]!.split(' ').length;
    assert.ok(n > 1 && n <= 4 * 700, `${n} points drawn`);
  });

  test('draws phase and failure markers inside the x range only', () => {
    const svg = renderLineChart({
      ...base,
      series: [
        {
          label: 'a',
          points: [
            [0, 1],
            [10, 2],
          ],
        },
      ],
      markers: [
        { x: 5, label: 'open', kind: 'phase' },
        { x: 6, label: 'first drop', kind: 'failure' },
        { x: 500, label: 'far', kind: 'phase' },
      ],
    });
    assert.match(svg, /marker-phase/);
    assert.match(svg, /<title>first drop<\/title>/);
    assert.doesNotMatch(svg, />far</);
  });
});

describe('niceTicks', () => {
  test('uses steps of 1, 2, 2.5 or 5 × 10^k covering the range', () => {
    assert.deepEqual(niceTicks(0, 7600, 5), [0, 2000, 4000, 6000, 8000]);
    assert.deepEqual(niceTicks(-10, 75, 10), [-10, 0, 10, 20, 30, 40, 50, 60, 70, 80]);
    assert.deepEqual(niceTicks(0, 0.063, 5), [0, 0.02, 0.04, 0.06, 0.08]);
  });

  test('gives a usable range for a flat series', () => {
    assert.deepEqual(niceTicks(0, 0, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    const t = niceTicks(5, 5, 5);
    assert.ok(t[0]! <= 5 && t[t.length - 1]! >= 5 && t.length > 1);
  });
});
