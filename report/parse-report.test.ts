import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseReport, ReportFormatError } from './parse-report.ts';

const text = readFileSync(new URL('./testdata/no-stress.json', import.meta.url), 'utf8');

describe('parseReport', () => {
  test('reads a report.json written by the rig', () => {
    assert.equal(parseReport(text, 'r.json').experiment.name, 'quick');
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

  test('names the field path of a missing or mistyped field', () => {
    const data = JSON.parse(text);
    delete data.verdict.sentence;
    assert.throws(() => parseReport(JSON.stringify(data), 'f.json'), /field "verdict\.sentence" is missing/);
    const bad = JSON.parse(text);
    bad.signals = 'none';
    assert.throws(
      () => parseReport(JSON.stringify(bad), 'f.json'),
      /field "signals" is string "none", expected array/,
    );
    const answer = JSON.parse(text);
    answer.verdict.answer = 'maybe';
    assert.throws(
      () => parseReport(JSON.stringify(answer), 'f.json'),
      /"verdict\.answer" is "maybe"; allowed: push-easier/,
    );
  });
});
