/**
 * Test fixture for process/orphans.itest.ts: a parent like `pushpull run`, starting under one
 * Supervisor a child with a grandchild in its group, a child with its own Supervisor and grandchild
 * (nested-child.ts), and a child that ignores SIGTERM. Usage: `rig-parent.ts DIR MODE`.
 * - `wait`: prints `{"event":"ready"}` once all are ready, then waits (the test SIGKILLs it).
 * - `slow`: also starts a child that never becomes ready and prints `{"event":"starting"}` while
 *   waiting for it; on SIGTERM the start must reject: it prints `{"event":"start-rejected",...}` with
 *   the error, checks that a new start is refused, stops everything and exits 1.
 */
import { join } from 'node:path';
import { Supervisor } from '../supervisor.ts';

const [dir, mode] = process.argv.slice(2) as [string, 'wait' | 'slow'];
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const node = process.execPath;
const sleeper = 'setInterval(() => {}, 1000)';
// Signals are the caller's, as in `pushpull run`: the supervisor aborts `stopping`, we stop.
const supervisor = new Supervisor({ signals: (signal) => say({ event: 'signal', signal }) });

const starts = [
  supervisor.start({
    name: 'with-grandchild',
    command: node,
    args: [
      '-e',
      `const g = require('node:child_process').spawn(process.execPath, ['-e', '${sleeper}'], { stdio: 'ignore' });
       console.log(JSON.stringify({ grandchild: g.pid })); ${sleeper}`,
    ],
    logFile: join(dir, 'with-grandchild.log'),
    ready: { kind: 'stdout-json', match: (l) => typeof l.grandchild === 'number' },
    readyTimeoutMs: 60_000,
  }),
  supervisor.start({
    name: 'nested',
    command: node,
    args: [new URL('./nested-child.ts', import.meta.url).pathname, join(dir, 'deep.log')],
    logFile: join(dir, 'nested.log'),
    ready: { kind: 'stdout-json', match: (l) => l.event === 'ready' },
    readyTimeoutMs: 60_000,
  }),
  supervisor.start({
    name: 'ignores-term',
    command: node,
    args: ['-e', `process.on('SIGTERM', () => {}); console.log('{}'); ${sleeper}`],
    logFile: join(dir, 'ignores-term.log'),
    ready: { kind: 'stdout-json', match: () => true },
    readyTimeoutMs: 60_000,
  }),
];
if (mode === 'slow') {
  starts.push(
    supervisor.start({
      name: 'slow',
      command: node,
      args: ['-e', `console.log(JSON.stringify({ event: 'waiting' })); ${sleeper}`],
      logFile: join(dir, 'slow.log'),
      ready: { kind: 'stdout-json', match: (l) => l.event === 'ready' },
      readyTimeoutMs: 120_000,
      onStdoutLine: (line) => {
        if (line.includes('waiting')) {
          // Once the other children are ready, so the test sees every process before it signals.
          void Promise.all(starts.slice(0, 3)).then(() => say({ event: 'starting' }));
        }
      },
    }),
  );
}
try {
  await Promise.all(starts);
  say({ event: 'ready' });
  setInterval(() => {}, 1000);
} catch (err) {
  const e = err as Error;
  const again = await supervisor
    .start({ name: 'late', command: node, args: ['-e', sleeper], logFile: join(dir, 'late.log') })
    .then(
      () => 'started',
      (late: Error) => `${late.name}: ${late.message}`,
    );
  say({ event: 'start-rejected', name: e.name, message: e.message, again });
  await supervisor.stopAll();
  process.exit(1);
}
