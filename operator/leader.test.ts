import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaseDecision } from './leader.ts';

const T = Date.parse('2026-11-26T09:00:00Z');

test('leaseDecision: take a free or expired lease, renew our own, wait on a live one', () => {
  assert.equal(leaseDecision(undefined, 'a', T), 'acquire');
  assert.equal(leaseDecision({ holderIdentity: '' }, 'a', T), 'acquire');
  assert.equal(leaseDecision({ holderIdentity: 'a', renewTime: new Date(T).toISOString() }, 'a', T), 'renew');
  const held = { holderIdentity: 'b', leaseDurationSeconds: 15, renewTime: new Date(T).toISOString() };
  assert.equal(leaseDecision(held, 'a', T + 14_999), 'wait');
  assert.equal(leaseDecision(held, 'a', T + 15_000), 'acquire');
});
