/**
 * The README's first commands, run the way a new user runs them: the machine's own `npx` and `npm`
 * (Node 20 here, not the project's Node 24), from the repo root, with a fresh npm cache. They must print
 * their own output and nothing else: npm 11 warns EBADENGINE when a package declares `engines` the Node running npm does not
 * meet, so the project declares its dev machine in `devEngines` and the Node 24 check lives in
 * bin/pushpull.js (see docs/architecture.md, tools/).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../testing/temp-dir.ts';

const repo = resolve(new URL('..', import.meta.url).pathname);

/** PATH without the project's own bin folders (npm puts node_modules/.bin, with Node 24, first). */
function machinePath(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(
      (dir) =>
        dir !== '' && !dir.includes(`${join('node_modules', '.bin')}`) && !dir.includes('node-gyp-bin'),
    )
    .join(delimiter);
}

/** The first executable NAME on the machine's PATH, or undefined. */
function machineBinary(name: string): string | undefined {
  for (const dir of machinePath().split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** A clean environment: no npm_* variables inherited from `npm test`, a fresh npm cache, no network. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') && key !== 'NODE_OPTIONS') env[key] = value;
  }
  env.PATH = machinePath();
  env.npm_config_cache = makeTempDir('npx-cache');
  env.npm_config_offline = 'true';
  env.npm_config_update_notifier = 'false';
  return env;
}

function run(file: string, args: string[], cwd = repo) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(file, args, { cwd, env: userEnv(), timeout: 120_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the README commands on the machine’s own npx and npm', () => {
  const npx = machineBinary('npx');

  it('npx --no-install pushpull --help prints only the help', {
    skip: !npx && 'no npx on PATH',
  }, async () => {
    const r = await run(npx!, ['--no-install', 'pushpull', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^pushpull: rehearse a market-open metrics burst/);
    assert.match(r.stdout, /\nCommands:\n/);
    assert.doesNotMatch(r.stdout, /npm (warn|notice|error)/);
  });

  const npm = machineBinary('npm');
  it('npm ci warns about no engine', { skip: !npm && 'no npm on PATH' }, async () => {
    // A dry run in a copy of the manifest and lockfile: the repo's node_modules is left alone.
    const copy = makeTempDir('npm-ci');
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(repo, f), join(copy, f));
    const r = await run(npm!, ['ci', '--dry-run', '--ignore-scripts'], copy);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /EBAD(DEV)?ENGINE|npm warn/);
  });

  const node = machineBinary('node');
  it('the CLI still refuses to run on the machine’s Node when it is older than 24', async (t) => {
    const probe = await run(node!, ['-p', 'process.versions.node']);
    const major = Number(probe.stdout.split('.')[0]);
    if (major >= 24) return t.skip(`the machine's Node is ${probe.stdout.trim()}`);
    const r = await run(node!, [join(repo, 'bin', 'pushpull.js'), '--help']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^pushpull needs Node\.js 24 or newer \(this is v\d+/);
  });
});
