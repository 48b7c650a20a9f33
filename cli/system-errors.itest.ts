/**
 * The raw system errors a new user can reach, through the real CLI and the real setup script: an
 * output path that is a file, a directory this user cannot write, a full disk, a port already taken, a
 * Debian package missing when not root. Each must answer with a sentence that says the fix, before
 * anything starts (errors/system-error.ts holds the sentences). The unwritable directory and the
 * missing package run as `nobody` when the tests run as root; the full disk is a tiny tmpfs in a private
 * mount namespace, so it needs root and unshare and skips with that reason otherwise.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../testing/temp-dir.ts';

const repo = new URL('..', import.meta.url).pathname;
const bin = join(repo, 'bin', 'pushpull.js');
const isRoot = process.getuid?.() === 0;
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const canDropToNobody = isRoot && spawnSync('setpriv', [...NOBODY, 'true']).status === 0;
const canMountTmpfs = isRoot && spawnSync('unshare', ['-m', 'true']).status === 0;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((done) => {
    execFile(file, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `pushpull ARGS` on this Node (the project's 24), as `nobody` when asked and possible. */
function pushpull(args: string[], options: { asNobody?: boolean } = {}): Promise<Result> {
  if (options.asNobody && isRoot) return exec('setpriv', [...NOBODY, process.execPath, bin, ...args]);
  return exec(process.execPath, [bin, ...args]);
}

/** A temp folder other users can enter (mkdtemp makes it 0700). */
function sharedTempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  chmodSync(dir, 0o755);
  return dir;
}

function assertRefusedBeforeStart(r: Result, sentence: string): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `pushpull: ${sentence} Nothing was started.\n`);
}

describe('pushpull run --out checks the output directory before anything starts', () => {
  it('says so when the path is an existing file, and leaves the file alone', async () => {
    const dir = makeTempDir('out-file');
    const file = join(dir, 'report.txt');
    writeFileSync(file, 'keep me\n');
    const r = await pushpull(['run', '--out', file]);
    assertRefusedBeforeStart(
      r,
      `${file} (--out) cannot be used as a directory: ${file} is a file, not a directory. Name a new or existing directory instead, or move that file away.`,
    );
    assert.equal(readFileSync(file, 'utf8'), 'keep me\n');
  });

  it('names the file when one stands on the path further up', async () => {
    const dir = makeTempDir('out-file-above');
    const file = join(dir, 'notes');
    writeFileSync(file, '');
    const r = await pushpull(['run', '--out', join(file, 'run1')]);
    assertRefusedBeforeStart(
      r,
      `${join(file, 'run1')} (--out) cannot be used as a directory: ${file} is a file, not a directory. Name a new or existing directory instead, or move that file away.`,
    );
  });

  it('says which directory this user may not write in', {
    skip: isRoot && !canDropToNobody && 'root, and setpriv cannot drop to nobody',
  }, async () => {
    const dir = sharedTempDir('out-readonly');
    const readOnly = join(dir, 'ro');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    const out = join(readOnly, 'run1');
    const r = await pushpull(['run', '--out', out], { asNobody: true });
    assertRefusedBeforeStart(
      r,
      `${out} (--out) cannot be created: this user may not write in ${readOnly}. Choose a directory you can write to, or give this user write access to it (chown or chmod).`,
    );
  });

  it('says the disk is full, with how to see the space left', {
    skip: !canMountTmpfs && 'needs root and unshare for a private tmpfs',
  }, async () => {
    const dir = makeTempDir('out-full');
    const mount = join(dir, 'tiny');
    mkdirSync(mount);
    const out = join(mount, 'run1');
    // A 8 KiB tmpfs filled to the last block, in a mount namespace only this command sees.
    const script = `mount -t tmpfs -o size=8k tmpfs "$1" && { dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null || true; } && exec "$2" "$3" run --out "$4"`;
    const r = await exec('unshare', ['-m', 'sh', '-c', script, 'sh', mount, process.execPath, bin, out]);
    assertRefusedBeforeStart(
      r,
      `the disk holding ${out} (--out) is full (no space left on device). Free some space (\`df -h ${out}\` shows how much is left) or choose a directory on another disk.`,
    );
  });
});

describe('a port already taken', () => {
  it('pushpull udp-counters --listen says who to stop and what to choose', async () => {
    const holder: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)),
    );
    try {
      const r = await pushpull(['udp-counters', '--listen', `127.0.0.1:${port}`]);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `pushpull udp-counters: 127.0.0.1:${port} (--listen) is already taken by another program. Stop that program (\`ss -ltnup 'sport = :${port}'\` shows which one) or choose another port.\n`,
      );
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

describe('tools/setup.sh when Debian packages are missing and this is not root', () => {
  it('names the packages and the sudo command, and stops before building', {
    skip: isRoot && !canDropToNobody && 'root, and setpriv cannot drop to nobody',
  }, async () => {
    // A PATH with only what the script itself needs, so openssl and chromium are "not installed".
    const pathDir = join(sharedTempDir('setup-path'), 'bin');
    mkdirSync(pathDir, { mode: 0o755 });
    for (const tool of ['dirname', 'id']) symlinkSync(`/usr/bin/${tool}`, join(pathDir, tool));
    const script = join(repo, 'tools', 'setup.sh');
    const env = { PATH: pathDir, HOME: '/nonexistent' };
    const args = ['/bin/bash', script, 'all'];
    const r = isRoot
      ? await exec('/usr/bin/setpriv', [...NOBODY, ...args], env)
      : await exec(args[0]!, args.slice(1), env);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      '[setup] pushpull needs the Debian packages openssl chromium, which are not installed, and only root can install them: run `sudo apt-get install -y openssl chromium` (or run this as root), then try again.\n',
    );
  });
});
