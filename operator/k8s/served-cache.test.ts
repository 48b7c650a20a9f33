/**
 * The discovery cache: an answer is kept for its TTL, asked again after it, and a failed discovery is not
 * remembered (the next pass asks again).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeKube } from '../testing/fake-kube.ts';
import { servedCache } from './served-cache.ts';

test('an answer is kept for the TTL, then asked again; a failure is not kept', async () => {
  const kube = new FakeKube();
  let asked = 0;
  let fail = false;
  const inner = kube.served.bind(kube);
  kube.served = async (apiVersion: string, kind: string) => {
    asked++;
    if (fail) throw new Error('discovery failed');
    return inner(apiVersion, kind);
  };
  let now = 0;
  const cache = servedCache({ now: () => now }, 60_000);
  const ask = () => cache.served(kube, 'chaos-mesh.org/v1alpha1', 'NetworkChaos');
  assert.equal(await ask(), false);
  kube.servedKinds.add('chaos-mesh.org/v1alpha1/NetworkChaos');
  now = 59_999;
  assert.equal(await ask(), false, 'still the cached answer');
  assert.equal(asked, 1);
  now = 60_000;
  assert.equal(await ask(), true, 'asked again after the TTL');
  assert.equal(asked, 2);
  now = 120_000;
  fail = true;
  await assert.rejects(ask(), /discovery failed/);
  fail = false;
  assert.equal(await ask(), true);
  assert.equal(asked, 4, 'the failure was not remembered');
});
