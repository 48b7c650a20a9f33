import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCase } from '../report/testdata/golden.ts';
import { REPORT_GZ_KEY, REPORT_KEY, reportDataPatch, reportTextFrom } from './report-configmap.ts';

describe('reportDataPatch', () => {
  test('a report that fits as text replaces report.json and removes a gzip copy', () => {
    const report = loadCase('small-buffer');
    const patch = reportDataPatch(report) as { data: Record<string, string>; binaryData: object };
    assert.deepEqual(patch.binaryData, { [REPORT_GZ_KEY]: null });
    assert.deepEqual(JSON.parse(reportTextFrom({ data: patch.data })!), report);
  });

  test('a report too large for text goes gzip-compressed and removes report.json', () => {
    const report = loadCase('small-buffer');
    report.run.missing = Array.from({ length: 20_000 }, (_, i) => `piece ${i} is missing for a reason`);
    const patch = reportDataPatch(report) as { data: object; binaryData: Record<string, string> };
    assert.deepEqual(patch.data, { [REPORT_KEY]: null });
    assert.deepEqual(JSON.parse(reportTextFrom({ binaryData: patch.binaryData })!), report);
  });
});
