import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderMarkdown } from './render-markdown.ts';
import { assertGolden, CASES, loadCase, withoutExportLatency } from './testdata/golden.ts';

describe('renderMarkdown', () => {
  for (const name of CASES) {
    test(`renders the ${name} run (recorded input through assembleReport) as its golden file`, () => {
      assertGolden(`${name}.golden.md`, renderMarkdown(loadCase(name)));
    });
  }

  test('puts the verdict sentence right under the title', () => {
    const lines = renderMarkdown(loadCase('small-buffer')).split('\n');
    assert.match(lines[0]!, /^# pushpull report: scenario-small-buffer$/);
    assert.match(lines[2]!, /^\*\*Verdict: push harder\.\*\* Push would have made this burst harder/);
  });

  test('prints a null figure as a dash with its reason, never as 0', () => {
    const md = renderMarkdown(loadCase('no-stress', withoutExportLatency));
    assert.match(md, /\| export latency p99 \| — \(the otlp producer left no final ledger\) \|/);
  });

  test('says RIG FAULT with the unaccounted count when the books do not close', () => {
    const r = loadCase('small-buffer', (input) => {
      input.ledgerFinal.statsd!.datagramsSent += 1234;
    });
    assert.equal(r.arms.statsd!.books.closed, false);
    assert.match(renderMarkdown(r), /\*\*RIG FAULT: 1,234 unaccounted in StatsD's books: sent 62,386 = /);
  });

  test('keeps pipes and markup in report text from breaking the tables', () => {
    const r = loadCase('scrape-timeout');
    r.signals[0]!.detail = 'a | b <script>';
    assert.match(renderMarkdown(r), /a \\\| b \\<script\\>/);
  });

  test('says what is missing, or that nothing is', () => {
    assert.match(renderMarkdown(loadCase('no-stress')), /Nothing: the rig obtained every figure\./);
    assert.match(
      renderMarkdown(loadCase('interrupted')),
      /- the run stopped early at .* \(SIGINT received\), 10\.1 s into phase steady/,
    );
  });
});
