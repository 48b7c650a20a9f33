/** `pushpull tools check` through the real CLI: the built collectors pass, an empty cache fails with the fix. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const bin = new URL('../../bin/pushpull.js', import.meta.url).pathname;

function pushpull(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('pushpull tools', () => {
  it('lists every collector with its version and OK when they are built', async () => {
    const r = await pushpull(['tools', 'check']);
    assert.equal(r.code, 0, r.stderr);
    for (const tool of ['prometheus', 'promtool', 'statsd_exporter', 'pushgateway', 'otelcol']) {
      assert.match(r.stdout, new RegExp(`^${tool}\\s+v[\\d.]+\\s+\\S+\\s+OK\\s+/`, 'm'));
    }
  });

  it('exits 1 and says how to build when the cache is empty', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pushpull-no-tools-'));
    try {
      const r = await pushpull(['tools'], { ...process.env, PUSHPULL_TOOLS_DIR: empty });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^prometheus\s+v0\.316\.0\s+-\s+missing/m);
      assert.match(r.stderr, /5 of 5 not usable .* run `npx pushpull tools build`/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects an unknown action with a usage error', async () => {
    const r = await pushpull(['tools', 'frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Invalid values/);
  });
});
