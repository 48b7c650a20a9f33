import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderMarkdown } from './render-markdown.ts';
import { assertGolden, FIXTURES, loadFixture } from './testdata/golden.ts';

describe('renderMarkdown', () => {
  for (const name of FIXTURES) {
    test(`renders the ${name} fixture as its golden file`, () => {
      assertGolden(`${name}.golden.md`, renderMarkdown(loadFixture(name)));
    });
  }

  test('puts the verdict sentence right under the title', () => {
    const r = loadFixture('statsd-small-buffer');
    const lines = renderMarkdown(r).split('\n');
    assert.match(lines[0]!, /^# pushpull report: small-buffer$/);
    assert.match(lines[2]!, /^\*\*Verdict: push harder\.\*\* Push would have made this burst harder/);
  });

  test('prints a null figure as a dash with its reason, never as 0', () => {
    const md = renderMarkdown(loadFixture('pull-timeouts'));
    assert.match(
      md,
      /\| export latency p99 \| — \(the producers keep no latency histogram past 10,000 exports\) \|/,
    );
  });

  test('says RIG FAULT with the unaccounted count when the books do not close', () => {
    const r = loadFixture('statsd-small-buffer');
    const books = r.arms.statsd!.books;
    books.unaccounted = { ...books.unaccounted, value: 1234 };
    books.closed = false;
    assert.match(renderMarkdown(r), /\*\*RIG FAULT: 1,234 unaccounted in StatsD's books: sent 491,200 = /);
  });

  test('keeps pipes and markup in report text from breaking the tables', () => {
    const r = loadFixture('pull-timeouts');
    r.signals[0]!.detail = 'a | b <script>';
    const md = renderMarkdown(r);
    assert.match(md, /a \\\| b \\<script\\>/);
  });

  test('says what is missing, or that nothing is', () => {
    assert.match(renderMarkdown(loadFixture('no-stress')), /Nothing: the rig obtained every figure\./);
    assert.match(
      renderMarkdown(loadFixture('pull-timeouts')),
      /- otlp export latency p99: the producers keep/,
    );
  });
});
