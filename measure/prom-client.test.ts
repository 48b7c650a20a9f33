import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failFast, type PromClient, PromUnreachableError } from './prom-api.ts';

test('failFast: after the server did not answer once, later queries fail at once', async () => {
  let calls = 0;
  const client: PromClient = {
    source: 'rig',
    async query(q) {
      calls++;
      if (q === 'bad') throw new Error('parse error');
      throw new PromUnreachableError('connection refused');
    },
  };
  const wrapped = failFast(client);
  await assert.rejects(wrapped.query('bad', 0), /parse error/);
  await assert.rejects(wrapped.query('up', 0), /connection refused/);
  await assert.rejects(wrapped.query('up', 0), /did not answer earlier \(connection refused\)/);
  assert.equal(calls, 2, 'a PromQL error does not trip it; an unreachable server does');
});
