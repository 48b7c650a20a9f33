import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainSystemError } from './system-error.ts';

/** An error shaped like the ones Node's fs, net and child_process raise. */
function sysErr(fields: { code: string; syscall?: string; path?: string; address?: string; port?: number }) {
  return Object.assign(new Error(`${fields.code}: raw message`), fields);
}

describe('explainSystemError', () => {
  it('says which file stands where an output directory is wanted', () => {
    const err = sysErr({ code: 'ENOTDIR', syscall: 'mkdir', path: 'out/run.txt/ledgers' });
    assert.equal(
      explainSystemError(err, { path: 'out/run.txt', option: '--out', blockingFile: '/w/out/run.txt' }),
      'out/run.txt (--out) cannot be used as a directory: /w/out/run.txt is a file, not a directory. Name a new or existing directory instead, or move that file away.',
    );
  });

  it('treats mkdir of an existing file like a file in the way', () => {
    const err = sysErr({ code: 'EEXIST', syscall: 'mkdir', path: 'report.json' });
    assert.equal(
      explainSystemError(err, { option: '--out' }),
      'report.json (--out) cannot be used as a directory: report.json is a file, not a directory. Name a new or existing directory instead, or move that file away.',
    );
  });

  it('names the directory this user may not write in', () => {
    const err = sysErr({ code: 'EACCES', syscall: 'mkdir', path: '/srv/out/x' });
    assert.equal(
      explainSystemError(err, { path: '/srv/out/x', option: '--out', nearestDirectory: '/srv/out' }),
      '/srv/out/x (--out) cannot be created: this user may not write in /srv/out. Choose a directory you can write to, or give this user write access to it (chown or chmod).',
    );
  });

  it('says the disk is full, which file was being written, and how to see the free space', () => {
    const err = sysErr({ code: 'ENOSPC', syscall: 'write', path: 'out/q/report.json' });
    assert.equal(
      explainSystemError(err, { path: 'out/q' }),
      'the disk holding out/q is full (no space left on device) while writing out/q/report.json. Free some space (`df -h out/q` shows how much is left) or choose a directory on another disk.',
    );
  });

  it('says a port is taken and how to find by whom', () => {
    const err = sysErr({ code: 'EADDRINUSE', syscall: 'listen', address: '127.0.0.1', port: 9477 });
    assert.equal(
      explainSystemError(err, { option: '--listen' }),
      "127.0.0.1:9477 (--listen) is already taken by another program. Stop that program (`ss -ltnup 'sport = :9477'` shows which one) or choose another port.",
    );
  });

  it('names the Debian package of a program that is not installed, with sudo when not root', () => {
    const err = sysErr({ code: 'ENOENT', syscall: 'spawn unshare', path: 'unshare' });
    assert.equal(
      explainSystemError(err),
      'the program unshare is not installed: it comes with the Debian package util-linux; run `sudo apt-get install -y util-linux`, then try again.',
    );
    assert.match(explainSystemError(err, { isRoot: true }) ?? '', /run `apt-get install -y util-linux`/);
  });

  it('leaves errors it cannot explain to the caller', () => {
    assert.equal(explainSystemError(new Error('plain')), undefined);
    assert.equal(explainSystemError(sysErr({ code: 'ENOENT', syscall: 'open', path: 'x' })), undefined);
    assert.equal(explainSystemError(sysErr({ code: 'ENOSPC', syscall: 'write' })), undefined);
    assert.equal(explainSystemError('ENOSPC'), undefined);
  });
});
