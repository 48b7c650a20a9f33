/**
 * Test fixture for process/supervisor.itest.ts: a parent that starts one long-running child under a
 * Supervisor (default signal policy), prints `{"child": <pid>}`, then waits — or, with `crash`, throws
 * an uncaught error so only the process 'exit' hook can clean up.
 */
import { Supervisor } from '../supervisor.ts';

const [logFile, mode] = process.argv.slice(2);
const supervisor = new Supervisor();
const child = await supervisor.start({
  name: 'sleeper',
  command: process.execPath,
  args: ['-e', 'console.log("{}"); setInterval(() => {}, 1000)'],
  logFile: logFile!,
  ready: { kind: 'stdout-json', match: () => true },
  readyTimeoutMs: 20_000,
});
process.stdout.write(`${JSON.stringify({ child: child.pid })}\n`);
if (mode === 'crash')
  setTimeout(() => {
    throw new Error('deliberate crash');
  }, 100);
else setInterval(() => {}, 1000);
