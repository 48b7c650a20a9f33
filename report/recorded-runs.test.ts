import { describe, test } from 'node:test';
import { renderReport } from './render.ts';
import { assertGolden, CASES, loadCase } from './testdata/golden.ts';

describe('the recorded runs through assembleReport', () => {
  for (const name of CASES) {
    test(`${name}: report.json is its golden file, byte for byte what the run wrote`, () => {
      assertGolden(`${name}.golden.json`, renderReport(loadCase(name), 'json'));
    });
  }
});
