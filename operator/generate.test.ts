/** Drift check: the chart's CRD is what api/v1alpha1/crd.ts renders now (`npm run generate` refreshes it). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CHART_CRD_PATH, CHART_SCHEDULE_CRD_PATH, chartCrdText, scheduleChartCrdText } from './generate.ts';

test('the chart’s CRD template matches api/v1alpha1/crd.ts (run `npm run generate` if not)', () => {
  assert.equal(
    readFileSync(CHART_CRD_PATH, 'utf8'),
    chartCrdText(),
    'charts/pushpull/templates/crd.yaml is stale: run `npm run generate`',
  );
});

test('the chart’s schedule CRD template matches api/v1alpha1/schedule-crd.ts (run `npm run generate` if not)', () => {
  assert.equal(
    readFileSync(CHART_SCHEDULE_CRD_PATH, 'utf8'),
    scheduleChartCrdText(),
    'charts/pushpull/templates/schedule-crd.yaml is stale: run `npm run generate`',
  );
});
