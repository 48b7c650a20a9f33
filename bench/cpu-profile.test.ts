import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CpuProfile, hotSpots, shortUrl } from './cpu-profile.ts';

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });

test('hot spots rank functions by self time, idle left out, as shares of the rest', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(idle)', '', -1) },
      {
        id: 2,
        callFrame: frame('setValue', 'file:///work/main/node_modules/prom-client/lib/counter.js', 137),
      },
      { id: 3, callFrame: frame('tick', 'file:///work/main/loadgen/generator.ts', 82) },
      { id: 4, callFrame: frame('', 'node:dgram', 833) },
    ],
    samples: [1, 2, 3, 2, 4, 1],
    timeDeltas: [500, 30, 10, 30, 30, 500],
  };
  assert.deepEqual(hotSpots(profile, 2), [
    { where: 'setValue prom-client/lib/counter.js:138', percent: 60 },
    { where: '(anonymous) node:dgram:834', percent: 30 },
  ]);
  assert.equal(hotSpots(profile, 10).length, 3);
  assert.deepEqual(hotSpots({ nodes: [], samples: [], timeDeltas: [] }, 5), []);
});

test('script URLs shorten to package or repository paths', () => {
  assert.equal(shortUrl('file:///x/node_modules/hot-shots/lib/helpers.js'), 'hot-shots/lib/helpers.js');
  assert.equal(shortUrl('file:///work/main/loadgen/arms/pull-target.ts'), 'loadgen/arms/pull-target.ts');
  assert.equal(shortUrl('node:dgram'), 'node:dgram');
});
