import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseProcNetUdp } from './proc-net-udp.ts';

const fixture = readFileSync(new URL('./testdata/proc/net/udp', import.meta.url), 'utf8');

describe('parseProcNetUdp', () => {
  it('reads each socket port, receive queue and drops', () => {
    assert.deepEqual(parseProcNetUdp(fixture), [
      { localPort: 9125, rxQueueBytes: 212_992, drops: 1000 },
      { localPort: 44167, rxQueueBytes: 0, drops: 7 },
    ]);
  });

  it('returns nothing for a header-only table or an unknown layout', () => {
    assert.deepEqual(parseProcNetUdp(`${fixture.split('\n')[0]}\n`), []);
    assert.deepEqual(parseProcNetUdp('something else\n1 2 3\n'), []);
  });

  it('skips a truncated row instead of guessing', () => {
    const lines = fixture.split('\n');
    const truncated = `${lines[0]}\n${lines[1]!.slice(0, 40)}\n${lines[2]}\n`;
    assert.deepEqual(parseProcNetUdp(truncated), [{ localPort: 44167, rxQueueBytes: 0, drops: 7 }]);
  });
});
