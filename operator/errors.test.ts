import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../kube/api-error.ts';
import { classify, TerminalError, TransientError } from './errors.ts';

test('classify: bad input is terminal, everything else is retried', () => {
  assert.equal(classify(new TerminalError('InvalidSpec', 'x')), 'terminal');
  assert.equal(classify(new ApiError(422, 'Invalid', 'x')), 'terminal');
  assert.equal(classify(new ApiError(400, 'BadRequest', 'x')), 'terminal');
  assert.equal(classify(new ApiError(409, 'Conflict', 'x')), 'transient');
  assert.equal(classify(new ApiError(503, 'ServiceUnavailable', 'x')), 'transient');
  assert.equal(classify(new ApiError(0, 'NetworkError', 'x')), 'transient');
  assert.equal(classify(new TransientError('x')), 'transient');
  assert.equal(classify(new Error('unexpected')), 'transient');
});
