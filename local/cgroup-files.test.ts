import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cfsQuotaUs, parseProcCgroup, readingV1, readingV2, usageBetween } from './cgroup-files.ts';

describe('cgroup files', () => {
  it('finds each v1 controller and the v2 path in /proc/self/cgroup', () => {
    const own = parseProcCgroup(
      '9:name=systemd:/\n4:memory:/process_api/f9\n2:cpuacct:/\n1:cpu,cpuacct:/x\n0::/\n',
    );
    assert.equal(own.v1.memory, '/process_api/f9');
    assert.equal(own.v1.cpu, '/x');
    assert.equal(own.v1.cpuacct, '/x');
    assert.equal(own.v2, '/');
  });

  it('reads v1 files: nanoseconds to seconds, the peak and the OOM kills', () => {
    const r = readingV1({
      'cpu.stat': 'nr_periods 15\nnr_throttled 14\nthrottled_time 1289718838\nnr_bursts 0\n',
      'cpuacct.usage': '152061330\n',
      'memory.max_usage_in_bytes': '100663296\n',
      'memory.usage_in_bytes': '4096\n',
      'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n',
    });
    assert.deepEqual(r, {
      cpuSeconds: 0.15206133,
      periods: 15,
      throttledPeriods: 14,
      throttledSeconds: 1.289718838,
      memoryPeakBytes: 100663296,
      memoryBytes: 4096,
      oomKills: 1,
    });
  });

  it('reads v2 files: microseconds to seconds; a missing file is null, never 0', () => {
    const r = readingV2({
      'cpu.stat': 'usage_usec 2000000\nnr_periods 10\nnr_throttled 3\nthrottled_usec 500000\n',
      'memory.events': 'low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n',
    });
    assert.equal(r.cpuSeconds, 2);
    assert.equal(r.throttledSeconds, 0.5);
    assert.equal(r.oomKills, 1);
    assert.equal(r.memoryPeakBytes, null);
  });

  it('takes the use between the baseline and the cut-off, keeping the peak and the kills as read last', () => {
    const from = readingV1({
      'cpu.stat': 'nr_periods 5\nnr_throttled 1\nthrottled_time 100\n',
      'cpuacct.usage': '1000000000',
    });
    const to = readingV1({
      'cpu.stat': 'nr_periods 25\nnr_throttled 11\nthrottled_time 2000000100\n',
      'cpuacct.usage': '3500000000',
      'memory.max_usage_in_bytes': '42',
      'memory.oom_control': 'oom_kill 0\n',
    });
    assert.deepEqual(usageBetween(from, to), {
      cpuSeconds: 2.5,
      periods: 20,
      throttledPeriods: 10,
      throttledSeconds: 2,
      memoryPeakBytes: 42,
      oomKills: 0,
    });
  });

  it('turns millicores into a CFS quota over the default 100 ms period, at least the kernel floor', () => {
    assert.equal(cfsQuotaUs(500), 50_000);
    assert.equal(cfsQuotaUs(2000), 200_000);
    assert.equal(cfsQuotaUs(1), 1000);
  });
});
