import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseReport, ReportFormatError } from './parse-report.ts';
import { renderReport } from './render.ts';
import { CASES, loadCase } from './testdata/golden.ts';

const text = renderReport(loadCase('no-stress'), 'json');

describe('parseReport', () => {
  test('reads every report.json the real assemble step writes, as written', () => {
    for (const name of CASES) {
      const written = renderReport(loadCase(name), 'json');
      assert.equal(renderReport(parseReport(written, `${name}.json`), 'json'), written);
    }
  });

  test('rejects text that is not JSON, naming the file', () => {
    assert.throws(
      () => parseReport('{', 'x/report.json'),
      (e: Error) => {
        assert.ok(e instanceof ReportFormatError);
        assert.match(e.message, /^x\/report\.json: not valid JSON/);
        return true;
      },
    );
  });

  test('rejects another schema version and says which one it reads', () => {
    const data = { ...JSON.parse(text), schemaVersion: 2 };
    assert.throws(
      () => parseReport(JSON.stringify(data), 'old.json'),
      /old\.json: schemaVersion 2 is not supported: this pushpull reads schemaVersion 1/,
    );
  });

  test('rejects a JSON file that is not a report', () => {
    assert.throws(
      () => parseReport('{"a":1}', 'f.json'),
      /field "schemaVersion" is missing: this is not a pushpull report\.json/,
    );
    assert.throws(() => parseReport('[1]', 'f.json'), /a report\.json is a JSON object, this is array/);
  });

  test('names the field path, the value and what is allowed', () => {
    const data = JSON.parse(text);
    delete data.verdict.sentence;
    assert.throws(
      () => parseReport(JSON.stringify(data), 'f.json'),
      /f\.json: verdict\.sentence: required field is missing; expected a string$/,
    );
    const bad = JSON.parse(text);
    bad.signals = 'none';
    assert.throws(
      () => parseReport(JSON.stringify(bad), 'f.json'),
      /f\.json: signals: "none" is a string; expected a list$/,
    );
    const answer = JSON.parse(text);
    answer.verdict.answer = 'maybe';
    assert.throws(
      () => parseReport(JSON.stringify(answer), 'f.json'),
      /verdict\.answer: "maybe" is not allowed; allowed: push-easier, push-harder, the-same, inconclusive$/,
    );
  });

  test('checks figures deep inside the report, null allowed only where the schema says', () => {
    const data = JSON.parse(text);
    data.arms.pull.scrapeDurationSeconds.p99.value = '0.04';
    data.arms.pull.scrapeDurationSeconds.p99.unit = 'second';
    data.charts[0].points[1] = [1];
    data.run.finishedAt = null;
    assert.throws(
      () => parseReport(JSON.stringify(data), 'f.json'),
      (e: Error) => {
        assert.deepEqual(e.message.split('\n'), [
          'f.json: run.finishedAt: null (an empty value) is not allowed; expected an RFC 3339 date-time such as 2026-11-26T09:15:00Z',
          'f.json: arms.pull.scrapeDurationSeconds.p99.value: "0.04" is a string; expected a number (write it without quotes) (or null)',
          'f.json: arms.pull.scrapeDurationSeconds.p99.unit: "second" is not allowed; allowed: events, datagrams, bytes, seconds, ratio, count, points, samples, per100ms, packets, scrapes (did you mean seconds?)',
          'f.json: charts[0].points[1]: a list of 1 items is not allowed; expected a list of 2 items: a number; a number',
        ]);
        return true;
      },
    );
  });

  test('rejects a field report.json does not have, naming the known ones', () => {
    const data = JSON.parse(text);
    data.rig.lagMax = 3;
    assert.throws(
      () => parseReport(JSON.stringify(data), 'f.json'),
      /f\.json: unknown field rig\.lagMax; known fields: scheduleLagMaxEvents, rigLimited, producersDied, machine, producersCpu$/,
    );
  });
});
