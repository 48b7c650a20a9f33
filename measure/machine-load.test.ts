import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PhaseWindow } from '../report/types.ts';
import { type MachineSample, machineLoad, parseCpuPressure, parseProcStat } from './machine-load.ts';

const PHASES: PhaseWindow[] = [
  {
    name: 'pre-open',
    startAt: '2026-12-01T09:14:40.000Z',
    endAt: '2026-12-01T09:15:00.000Z',
    eventsPerSecond: 40,
  },
  {
    name: 'open',
    startAt: '2026-12-01T09:15:00.000Z',
    endAt: '2026-12-01T09:15:40.000Z',
    eventsPerSecond: 3800,
  },
];
const T = Date.parse('2026-12-01T09:15:00.000Z') / 1000;
const sample = (dt: number, busy: number, total: number, psi: number | null): MachineSample => ({
  atSeconds: T + dt,
  busyTicks: busy,
  totalTicks: total,
  pressureSomeUs: psi,
});

describe('machine load', () => {
  it('parses /proc/stat (busy = all − idle − iowait) and the PSI some total', () => {
    assert.deepEqual(parseProcStat('cpu  100 5 50 800 45 0 0 0 0 0\ncpu0 1 2 3 4\n'), {
      busyTicks: 155,
      totalTicks: 1000,
    });
    assert.equal(
      parseCpuPressure(
        'some avg10=24.43 avg60=52.15 avg300=57.40 total=691948270\nfull avg10=0.00 total=0\n',
      ),
      691948270,
    );
    assert.equal(parseProcStat('nothing'), null);
  });

  it('marks a burst with every core busy as machine-limited, with the reason', () => {
    const load = machineLoad(
      [sample(-5, 0, 0, 0), sample(1, 100, 1000, 0), sample(31, 2070, 3000, 6_000_000)],
      PHASES,
    );
    assert.equal(load.window, 'phase open');
    assert.ok(Math.abs(load.cpuBusy.value! - 0.985) < 1e-9);
    assert.equal(load.cpuPressure.value, 0.2);
    assert.equal(load.limited, true);
    assert.equal(
      load.reason,
      'the machine was saturated in phase open (CPU 99% busy, tasks waited for a CPU 20% of the time)',
    );
  });

  it('is not limited with spare CPU, however high the host-wide pressure', () => {
    const shared = machineLoad([sample(1, 0, 0, 0), sample(31, 2280, 3000, 29_000_000)], PHASES);
    assert.equal(shared.cpuPressure.value, 29 / 30);
    assert.equal(shared.limited, false);
  });

  it('says what is missing without samples or PSI', () => {
    const calm = machineLoad([sample(1, 0, 0, null), sample(31, 500, 3000, null)], PHASES);
    assert.equal(calm.limited, false);
    assert.equal(calm.cpuPressure.missing, 'this kernel has no /proc/pressure/cpu');
    const none = machineLoad([sample(1, 0, 0, 0)], PHASES);
    assert.equal(none.cpuBusy.value, null);
    assert.match(none.cpuBusy.missing!, /fewer than two machine samples in phase open/);
  });
});
