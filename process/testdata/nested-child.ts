/**
 * Test fixture for process/orphans.itest.ts: a supervised child that runs its own Supervisor (as a
 * producer that started a Prometheus would) with one grandchild in its own process group, prints
 * `{"event":"ready","grandchild":<pid>}`, then waits.
 */
import { Supervisor } from '../supervisor.ts';

const [logFile] = process.argv.slice(2);
const supervisor = new Supervisor();
const grandchild = await supervisor.start({
  name: 'deep',
  command: process.execPath,
  args: ['-e', 'console.log("{}"); setInterval(() => {}, 1000)'],
  logFile: logFile!,
  ready: { kind: 'stdout-json', match: () => true },
  readyTimeoutMs: 60_000,
});
process.stdout.write(`${JSON.stringify({ event: 'ready', grandchild: grandchild.pid })}\n`);
setInterval(() => {}, 1000);
