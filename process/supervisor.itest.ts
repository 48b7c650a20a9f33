/**
 * The supervisor against real child processes (small Node scripts): readiness by HTTP, TCP and stdout
 * line, start failures that quote the log, group kill (grandchildren too), SIGKILL after the grace
 * period, the unexpected-exit callback, and a stop request cutting starts short.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from './ports.ts';
import { ChildStartError, type ExitInfo, StartAbortedError, Supervisor } from './supervisor.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pushpull-processes-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const node = process.execPath;

/** A script that serves 200 on 127.0.0.1:PORT and reports its pid and its own child's pid. */
const httpServer = (port: number) => `
const { spawn } = require('node:child_process');
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('node:http').createServer((_, res) => res.end('ok')).listen(${port}, '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'listening', grandchild: grandchild.pid }));
});`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Supervisor', () => {
  it('waits for HTTP and stdout readiness, then stops the whole process group', async () => {
    const sup = new Supervisor({ signals: 'none' });
    try {
      const port = await freePort();
      const child = await sup.start({
        name: 'web',
        command: node,
        args: ['-e', httpServer(port)],
        logFile: join(dir, 'web.log'),
        ready: [
          { kind: 'stdout-json', match: (l) => l.event === 'listening' },
          { kind: 'http', url: `http://127.0.0.1:${port}/` },
          { kind: 'tcp', host: '127.0.0.1', port },
        ],
        readyTimeoutMs: 20_000,
      });
      const grandchild = child.readyLine?.grandchild as number;
      assert.ok(alive(child.pid) && alive(grandchild));
      await sup.stopAll();
      assert.equal(child.isRunning(), false);
      // The grandchild was in the group: it got the signal too (bounded wait for the kernel to reap it).
      for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(alive(grandchild), false);
      const res = await fetch(`http://127.0.0.1:${port}/`).catch((e: Error) => e);
      assert.ok(res instanceof Error, 'the port is free after stopAll');
    } finally {
      await sup.stopAll();
    }
  });

  it('reports a child that exits before it is ready, with the end of its log', async () => {
    const sup = new Supervisor({ signals: 'none' });
    try {
      await assert.rejects(
        sup.start({
          name: 'broken',
          command: node,
          args: ['-e', 'console.error("bad flag --nope"); process.exit(3)'],
          logFile: join(dir, 'broken.log'),
          ready: { kind: 'http', url: 'http://127.0.0.1:1/' },
          readyTimeoutMs: 20_000,
        }),
        (err: unknown) => {
          assert.ok(err instanceof ChildStartError);
          assert.match(err.message, /^broken exited \(code 3\) before it was ready/);
          assert.match(err.message, /bad flag --nope/);
          return true;
        },
      );
    } finally {
      await sup.stopAll();
    }
  });

  it('names a program that cannot be started', async () => {
    const sup = new Supervisor({ signals: 'none' });
    try {
      await assert.rejects(
        sup.start({
          name: 'ghost',
          command: join(dir, 'no-such-binary'),
          args: [],
          logFile: join(dir, 'ghost.log'),
        }),
        /ghost could not be started: spawn .*no-such-binary ENOENT/,
      );
    } finally {
      await sup.stopAll();
    }
  });

  it('times out a child that never becomes ready and kills it', async () => {
    const sup = new Supervisor({ signals: 'none' });
    try {
      let pid = 0;
      await assert.rejects(
        sup.start({
          name: 'silent',
          command: node,
          args: ['-e', 'console.log("starting"); setInterval(() => {}, 1000)'],
          logFile: join(dir, 'silent.log'),
          ready: { kind: 'stdout-json', match: () => true },
          readyTimeoutMs: 500,
        }),
        (err: unknown) => {
          assert.ok(err instanceof ChildStartError);
          assert.match(err.message, /did not print its ready line on stdout within 0\.5s/);
          assert.match(err.message, /starting/);
          return true;
        },
      );
      pid = sup.children()[0]!.pid;
      assert.equal(sup.children()[0]!.isRunning(), false);
      assert.equal(alive(pid), false);
    } finally {
      await sup.stopAll();
    }
  });

  it('SIGKILLs a child that ignores SIGTERM after the grace period', async () => {
    const sup = new Supervisor({ signals: 'none', graceMs: 300 });
    try {
      const child = await sup.start({
        name: 'stubborn',
        command: node,
        args: [
          '-e',
          'process.on("SIGTERM", () => {}); console.log("{\\"ok\\":true}"); setInterval(() => {}, 1000)',
        ],
        logFile: join(dir, 'stubborn.log'),
        ready: { kind: 'stdout-json', match: (l) => l.ok === true },
        readyTimeoutMs: 20_000,
      });
      const exit = await sup.stop(child);
      assert.equal(exit.signal, 'SIGKILL');
    } finally {
      await sup.stopAll();
    }
  });

  it('calls onUnexpectedExit when a ready child dies on its own, and not when it is stopped', async () => {
    const exits: { name: string; exit: ExitInfo }[] = [];
    const sup = new Supervisor({
      signals: 'none',
      onUnexpectedExit: (c, exit) => exits.push({ name: c.name, exit }),
    });
    try {
      const dying = await sup.start({
        name: 'dying',
        command: node,
        args: ['-e', 'console.log("{}"); setTimeout(() => process.exit(7), 200)'],
        logFile: join(dir, 'dying.log'),
        ready: { kind: 'stdout-json', match: () => true },
        readyTimeoutMs: 20_000,
      });
      const calm = await sup.start({
        name: 'calm',
        command: node,
        args: ['-e', 'console.log("{}"); setInterval(() => {}, 1000)'],
        logFile: join(dir, 'calm.log'),
        ready: { kind: 'stdout-json', match: () => true },
        readyTimeoutMs: 20_000,
      });
      await dying.exited;
      await sup.stopAll();
      assert.equal(calm.isRunning(), false);
      assert.deepEqual(exits, [{ name: 'dying', exit: { code: 7, signal: null } }]);
    } finally {
      await sup.stopAll();
    }
  });

  for (const check of ['stdout-json', 'http'] as const) {
    it(`stops a child still waiting for its ${check} check when a stop is requested, and refuses later starts`, async () => {
      const sup = new Supervisor({ signals: 'none' });
      try {
        const port = await freePort();
        const starting = sup.start({
          name: `waiting-${check}`,
          command: node,
          args: ['-e', 'console.log("{}"); setInterval(() => {}, 1000)'],
          logFile: join(dir, `waiting-${check}.log`),
          ready:
            check === 'http'
              ? { kind: 'http', url: `http://127.0.0.1:${port}/` }
              : { kind: 'stdout-json', match: (l) => l.ready === true },
          readyTimeoutMs: 120_000,
          onStdoutLine: () => sup.requestStop('the test asked'),
        });
        await assert.rejects(starting, (err: unknown) => {
          assert.ok(err instanceof StartAbortedError);
          assert.equal(err.message, `waiting-${check} was stopped while it was starting: the test asked`);
          assert.equal(err.reason, 'the test asked');
          return true;
        });
        const child = sup.children()[0]!;
        assert.equal(child.isRunning(), false);
        assert.equal(alive(child.pid), false);
        assert.equal(sup.stopping.aborted, true);
        await assert.rejects(
          sup.start({ name: 'late', command: node, args: ['-e', ''], logFile: join(dir, 'late.log') }),
          {
            name: 'StartAbortedError',
            message: 'late was not started: the run is stopping (the test asked)',
          },
        );
        assert.equal(sup.children().length, 1, 'the refused start spawned nothing');
      } finally {
        await sup.stopAll();
      }
    });
  }

  for (const [how, act] of [
    ['on SIGINT (Ctrl-C)', 'SIGINT'],
    ['on SIGTERM', 'SIGTERM'],
    ['when the parent crashes', 'crash'],
  ] as const) {
    it(`leaves no child behind ${how}`, async () => {
      const sup = new Supervisor({ signals: 'none' });
      try {
        const fixture = new URL('./testdata/supervised-parent.ts', import.meta.url).pathname;
        const parent = await sup.start({
          name: `parent-${act}`,
          command: node,
          args: [fixture, join(dir, `sleeper-${act}.log`), act === 'crash' ? 'crash' : 'wait'],
          logFile: join(dir, `parent-${act}.log`),
          ready: { kind: 'stdout-json', match: (l) => typeof l.child === 'number' },
          readyTimeoutMs: 20_000,
        });
        const childPid = parent.readyLine?.child as number;
        assert.ok(alive(childPid));
        if (act !== 'crash') process.kill(parent.pid, act);
        const exit = await parent.exited;
        if (act === 'SIGINT') assert.equal(exit.code, 130);
        if (act === 'SIGTERM') assert.equal(exit.code, 143);
        if (act === 'crash') assert.equal(exit.code, 1);
        for (let i = 0; i < 50 && alive(childPid); i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal(alive(childPid), false, `child ${childPid} is gone`);
      } finally {
        await sup.stopAll();
      }
    });
  }
});
