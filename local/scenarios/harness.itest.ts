/**
 * The scenarios' leftover check must be able to fail: a process of the run still running, holding
 * a port the run wrote down, is caught by assertNothingLeft (by pid, and by the output directory in
 * its argv when the watch missed it); once it is gone the check passes.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertNothingLeft, portsOfRun, scenarioOutDir, watchDescendants } from './harness.ts';

describe('assertNothingLeft', () => {
  const outDir = scenarioOutDir('harness');
  let child: ChildProcess | undefined;
  after(() => {
    child?.kill('SIGKILL');
    rmSync(outDir, { recursive: true, force: true });
  });

  it('catches a leftover process and its port, and passes once they are gone', async () => {
    const watch = watchDescendants(process.pid, 50);
    // A stand-in collector: listens on 127.0.0.1, names outDir in its argv, leads its own group.
    const proc = spawn(
      process.execPath,
      [
        '-e',
        "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port));setTimeout(()=>{},60000)",
        outDir,
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    child = proc;
    const port = await new Promise<number>((resolve, reject) => {
      proc.stdout?.setEncoding('utf8').once('data', (s: string) => resolve(Number(s.trim())));
      proc.once('exit', () => reject(new Error('the stand-in exited early')));
    });
    mkdirSync(join(outDir, 'collectors'), { recursive: true });
    writeFileSync(join(outDir, 'collectors', 'stand-in.yml'), `target: 127.0.0.1:${port}\n`);
    assert.deepEqual(portsOfRun(outDir).tcp, [port]);
    await new Promise((r) => setTimeout(r, 200));
    const started = watch.stop();
    assert.ok(started.some((p) => p.pid === proc.pid));

    assert.throws(() => assertNothingLeft(outDir, started), new RegExp(`still running:\\n  ${proc.pid} `));
    // Even a process the watch missed is caught when it names the output directory.
    assert.throws(
      () => assertNothingLeft(outDir, []),
      new RegExp(`still name ${outDir} in their argv:\\n  ${proc.pid} `),
    );
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    assertNothingLeft(outDir, started);
  });
});
