import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const BIN = new URL('../bin/pushpull.js', import.meta.url).pathname;

/** Resolves with what the process printed on stdout once `pattern` appears; rejects on exit or after `ms`. */
function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${ms / 1000}s; stderr:\n${err}`)),
      ms,
    );
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${pattern}; stderr:\n${err}`));
    });
  });
}

describe('pushpull dev-cluster', () => {
  let up: ChildProcess | undefined;
  let base = '';

  after(async () => {
    if (up && up.exitCode === null) up.kill('SIGKILL');
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('`up` prints the kubeconfig and keeps running; `down` from another process stops it and removes the dir', async () => {
    base = await mkdtemp(join(tmpdir(), 'pushpull-devcluster-cli-'));
    const dir = join(base, 'cluster');
    up = spawn(process.execPath, [BIN, 'dev-cluster', 'up', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => up!.once('exit', (code) => resolve(code)));
    const out = await waitForOutput(up, /export KUBECONFIG=\S+/, 180_000);
    assert.match(out, /Kubernetes v1\.36\.3 at https:\/\/127\.0\.0\.1:\d+, 2 kwok nodes/);
    assert.ok(out.includes(`export KUBECONFIG=${join(dir, 'kubeconfig')}`));
    assert.ok(existsSync(join(dir, 'kubeconfig')));

    const down = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'dev-cluster', 'down', '--dir', dir],
        { timeout: 90_000 },
        (err, _o, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    assert.equal(down.code, 0, down.stderr);
    assert.equal(await exited, 0, '`up` exits 0 after a requested stop');
    assert.equal(existsSync(dir), false);
  });

  it('`up` refuses a folder that is not empty and not a dev-cluster folder', async () => {
    const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'dev-cluster', 'up', '--dir', tmpdir()],
        { timeout: 60_000 },
        (err, _o, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /refusing to use .* it is not empty and has no \.pushpull-devcluster file/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
  });
});
