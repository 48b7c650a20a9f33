import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobIndexOf } from './job.ts';

test('the job index is --job-index, else the Indexed Job’s JOB_COMPLETION_INDEX', () => {
  assert.equal(jobIndexOf({ jobIndex: 2 }, { JOB_COMPLETION_INDEX: '5' }), 2);
  assert.equal(jobIndexOf({}, { JOB_COMPLETION_INDEX: '5' }), 5);
});

test('a missing or bad index is a usage error naming the flag', () => {
  assert.throws(() => jobIndexOf({}, {}), /--job-index: missing; expected an integer >= 0/);
  assert.throws(() => jobIndexOf({ jobIndex: -1 }, {}), /--job-index: -1/);
  assert.throws(() => jobIndexOf({}, { JOB_COMPLETION_INDEX: 'x' }), /--job-index: JOB_COMPLETION_INDEX="x"/);
});
