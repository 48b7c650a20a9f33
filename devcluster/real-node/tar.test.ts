/**
 * The tar writer against the system's tar: short and long (PAX) names, a symlink with a long target,
 * folders with their modes, and a file copied from disk all read back as written.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { paxRecord, TarWriter } from './tar.ts';

test('a PAX record counts its own length', () => {
  const r = paxRecord('path', 'x'.repeat(95));
  assert.equal(Buffer.byteLength(r), Number(r.split(' ')[0]));
});

test('entries read back with tar, long names and link targets included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushpull-tar-'));
  try {
    const long = `app/node_modules/${'deep/'.repeat(25)}index.js`;
    const src = join(dir, 'src.bin');
    writeFileSync(src, Buffer.alloc(70_000, 7));
    const w = new TarWriter(join(dir, 'a.tar'));
    w.add({ name: 'tmp/', type: 'dir', mode: 0o1777 });
    w.add({ name: 'etc/passwd', type: 'file', mode: 0o644 }, Buffer.from('root:x:0:0\n'));
    w.add({ name: long, type: 'file', mode: 0o600 }, Buffer.from('long'));
    w.add({ name: 'lnk', type: 'symlink', mode: 0o777, linkname: `/${'t'.repeat(120)}` });
    w.addFile({ name: 'bin/big', mode: 0o755 }, src, 70_000);
    w.close();
    const listing = execFileSync('tar', ['-tvf', join(dir, 'a.tar')], { encoding: 'utf8' });
    assert.match(listing, /^drwxrwxrwt .* tmp\/$/m);
    assert.match(listing, new RegExp(`${long.replaceAll('/', '\\/')}$`, 'm'));
    assert.match(listing, /lnk -> \/t{120}$/m);
    assert.match(listing, /^-rwxr-xr-x .* 70000 .* bin\/big$/m);
    execFileSync('tar', ['-xf', join(dir, 'a.tar'), '-C', dir]);
    assert.equal(readFileSync(join(dir, long), 'utf8'), 'long');
    assert.deepEqual(readFileSync(join(dir, 'bin/big')), readFileSync(src));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
