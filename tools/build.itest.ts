/**
 * tools/build.sh as a user sees it: one progress line per tool built, the go output kept in
 * <cache>/logs/<tool>.log, and on a failure that log's path and its last lines. Builds only
 * statsd_exporter, into a temp cache (never ~/.cache/pushpull/tools). The failure is a real one: go
 * with module lookups switched off (GOPROXY=off) and an empty module cache. The success builds offline
 * from the machine's Go module cache used as a file proxy, so it needs a machine where the tools were
 * built once (tools/setup.sh) and skips with that reason elsewhere.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../testing/temp-dir.ts';
import { parseVersionsEnv, VERSIONS_ENV_PATH } from './locate.ts';

const BUILD_SCRIPT = new URL('./build.sh', import.meta.url).pathname;
const VERSION = parseVersionsEnv(readFileSync(VERSIONS_ENV_PATH, 'utf8')).STATSD_EXPORTER_VERSION!;

function build(env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; lines: string[] }>((done) => {
    execFile(
      'bash',
      [BUILD_SCRIPT, 'statsd_exporter'],
      { env: { ...process.env, ...env }, timeout: 300_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, lines: stderr.split('\n').filter((l) => l !== '') });
      },
    );
  });
}

function goModCache(): string | undefined {
  try {
    return execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const modCache = goModCache();
const downloads = modCache && join(modCache, 'cache', 'download');
const offline =
  downloads && existsSync(join(downloads, 'github.com/prometheus/statsd_exporter/@v', `${VERSION}.zip`));

describe('tools/build.sh output', () => {
  it('a forced build failure prints the log’s path and its last lines', {
    skip: !modCache && 'no go',
  }, async () => {
    const cache = makeTempDir('tools-fail');
    const r = await build({
      PUSHPULL_TOOLS_DIR: cache,
      GOPROXY: 'off',
      GOMODCACHE: join(cache, 'empty-mod'),
    });
    assert.equal(r.code, 1);
    const logPath = join(cache, 'logs', 'statsd_exporter.log');
    const logLines = readFileSync(logPath, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(logLines.length > 0, 'the log holds go’s output');
    assert.match(
      r.lines[0]!,
      new RegExp(`^\\[tools [\\d:]+\\] building statsd_exporter ${VERSION} \\.\\.\\. FAILED after \\d+ s$`),
    );
    assert.equal(
      r.lines[1]?.replace(/^\[tools [\d:]+\] /, ''),
      `statsd_exporter: the build failed (exit 1); the full output is in ${logPath}, which ends with:`,
    );
    assert.deepEqual(
      r.lines.slice(2),
      logLines.slice(-15).map((l) => `    ${l}`),
    );
    assert.match(r.lines.at(-1)!, /GOPROXY=off/);
  });

  it('a build prints one line per tool, a cached tool one short line, and a rebuild its last time', {
    skip: !offline && 'statsd_exporter’s module is not in the Go module cache (run tools/setup.sh once)',
  }, async () => {
    const cache = makeTempDir('tools-ok');
    const env = { PUSHPULL_TOOLS_DIR: cache, GOPROXY: `file://${downloads}`, GOFLAGS: '-mod=mod' };
    const first = await build(env);
    assert.equal(first.code, 0, first.lines.join('\n'));
    assert.equal(first.stdout, '');
    assert.equal(first.lines.length, 2, first.lines.join('\n'));
    assert.match(
      first.lines[0]!,
      new RegExp(`building statsd_exporter ${VERSION} \\.\\.\\. done in \\d+ s$`),
    );
    assert.match(first.lines[1]!, new RegExp(`tools ready in ${cache}$`));
    assert.match(readFileSync(join(cache, 'logs', 'statsd_exporter.seconds'), 'utf8'), /^\d+\n$/);

    const again = await build(env);
    assert.equal(again.code, 0);
    assert.deepEqual(
      again.lines.map((l) => l.replace(/^\[tools [\d:]+\] /, '')),
      [`tools cached in ${cache}: statsd_exporter ${VERSION}`],
    );

    rmSync(join(cache, `statsd_exporter-${VERSION}`), { recursive: true });
    const rebuilt = await build(env);
    assert.equal(rebuilt.code, 0);
    assert.match(
      rebuilt.lines[0]!,
      /building statsd_exporter \S+ \(last build took \d+ s\) \.\.\. done in \d+ s$/,
    );
  });
});
