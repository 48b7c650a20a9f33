/**
 * The run's cgroups against the real kernel (v1 on these machines): a CPU-limited busy loop is throttled
 * and uses about its quota, a memory-limited allocator is OOM-killed and the reading says so, the
 * process really sits in the cgroup, and `remove` leaves nothing behind. Every child is bounded in time.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Supervisor } from '../process/supervisor.ts';
import { makeTempDir } from '../testing/temp-dir.ts';
import { usageBetween } from './cgroup-files.ts';
import { joinCgroupAtStart, RunCgroups } from './cgroups.ts';

const opened = RunCgroups.open();
const supervisor = new Supervisor({ signals: 'none', graceMs: 1000 });
after(async () => {
  await supervisor.stopAll();
  if (opened.ok) opened.cgroups.remove();
});

test('a CPU-limited busy loop is throttled to about its quota', {
  skip: opened.ok ? false : (opened as { reason: string }).reason,
}, async () => {
  assert.ok(opened.ok);
  const cgroups = opened.cgroups;
  const dir = makeTempDir('cgroups');
  const cg = cgroups.create('busy', { cpuMillicores: 100, memoryBytes: null });
  const before = cgroups.read(cg);
  const child = await supervisor.start(
    joinCgroupAtStart(
      {
        name: 'busy',
        // A bounded busy loop: 1.5 s of wall time, then exit.
        command: process.execPath,
        args: ['-e', 'const end = Date.now() + 1500; while (Date.now() < end) {}'],
        logFile: join(dir, 'busy.log'),
      },
      cgroups.procsFiles(cg),
    ),
  );
  // The shell joins, then execs the program under the same pid: wait (bounded) until it has joined.
  const procsFile = join(cg.dirs.cpu ?? cg.dirs.unified!, 'cgroup.procs');
  const joined = new RegExp(`^${child.pid}$`, 'm');
  for (let i = 0; i < 100 && !joined.test(readFileSync(procsFile, 'utf8')); i++) await sleep(10);
  assert.match(readFileSync(procsFile, 'utf8'), joined, 'the child is in its cgroup');
  await child.exited;
  const used = usageBetween(before, cgroups.read(cg));
  assert.ok(used.throttledPeriods !== null && used.throttledPeriods > 0, JSON.stringify(used));
  assert.ok(used.throttledSeconds !== null && used.throttledSeconds > 0);
  // 100m over ~1.5 s is ~0.15 CPU s; unlimited it would be ~1.5 s.
  assert.ok(used.cpuSeconds !== null && used.cpuSeconds < 0.6, `cpu ${used.cpuSeconds}`);
});

test('a memory-limited allocator is OOM-killed and the reading counts it', {
  skip: opened.ok ? false : (opened as { reason: string }).reason,
}, async () => {
  assert.ok(opened.ok);
  const cgroups = opened.cgroups;
  const dir = makeTempDir('cgroups');
  const cg = cgroups.create('hog', { cpuMillicores: null, memoryBytes: 96 * 2 ** 20 });
  const child = await supervisor.start(
    joinCgroupAtStart(
      {
        name: 'hog',
        // Touches 16 MiB at a time up to 512 MiB (bounded), far over its 96 MiB.
        command: process.execPath,
        args: [
          '-e',
          'const keep = []; for (let i = 0; i < 32; i++) keep.push(Buffer.alloc(16 * 2 ** 20, 1));',
        ],
        logFile: join(dir, 'hog.log'),
      },
      cgroups.procsFiles(cg),
    ),
  );
  const exit = await child.exited;
  assert.equal(exit.signal, 'SIGKILL');
  const reading = cgroups.read(cg);
  assert.equal(reading.oomKills, 1);
  assert.ok(reading.memoryPeakBytes !== null && reading.memoryPeakBytes <= 96 * 2 ** 20 + 2 ** 20);
});

test('the next run removes the cgroups a crashed run left behind', {
  skip: opened.ok ? false : (opened as { reason: string }).reason,
}, async () => {
  assert.ok(opened.ok);
  const dir = makeTempDir('cgroups');
  // A pid that certainly ended: a child that has exited.
  const gone = await supervisor.start({
    name: 'gone',
    command: process.execPath,
    args: ['-e', ''],
    logFile: join(dir, 'gone.log'),
  });
  await gone.exited;
  const own = opened.cgroups.collectors();
  assert.ok(own.length >= 0);
  const probe = opened.cgroups.create('probe', { cpuMillicores: null, memoryBytes: null });
  const parents = Object.values(probe.dirs).map((d) => join(d, '..', '..'));
  const stale = parents.map((p) => join(p, `run-${gone.pid}-1`));
  for (const s of stale) mkdirSync(join(s, 'prometheus'), { recursive: true });
  const next = RunCgroups.open();
  assert.ok(next.ok);
  assert.deepEqual([...next.cgroups.staleRemoved].sort(), [...stale].sort());
  assert.ok(stale.every((s) => !existsSync(s)));
  assert.deepEqual(next.cgroups.remove(), []);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('remove leaves no cgroup of the run behind', {
  skip: opened.ok ? false : (opened as { reason: string }).reason,
}, async () => {
  assert.ok(opened.ok);
  const cg = opened.cgroups.create('empty', { cpuMillicores: null, memoryBytes: null });
  const dirs = Object.values(cg.dirs);
  assert.ok(dirs.every((d) => existsSync(d)));
  await supervisor.stopAll();
  assert.deepEqual(opened.cgroups.remove(), []);
  assert.ok(dirs.every((d) => !existsSync(d)));
  assert.ok(
    dirs.every((d) => !existsSync(join(d, '..'))),
    'the run dir is gone too',
  );
});
