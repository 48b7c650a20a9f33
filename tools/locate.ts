/**
 * Where the real programs live: the binaries tools/build.sh builds from the versions pinned in
 * tools/versions.env, cached under `${PUSHPULL_TOOLS_DIR:-$HOME/.cache/pushpull/tools}/<tool>-<version>/`.
 * The local runtime (local/collectors.ts), the integration tests and `pushpull tools` call it; reports
 * record `toolVersions()`. Nothing here builds anything: a missing binary is an error that says how to build it.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Which set of tools: the collectors the local runtime needs, or the test control plane. */
export type ToolGroup = 'collectors' | 'control-plane';

/** Every program the project builds, by the name of its binary. */
export const COLLECTOR_TOOLS = [
  'prometheus',
  'promtool',
  'statsd_exporter',
  'pushgateway',
  'otelcol',
] as const;
export const CONTROL_PLANE_TOOLS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'helm',
] as const;
export type CollectorToolName = (typeof COLLECTOR_TOOLS)[number];
export type ControlPlaneToolName = (typeof CONTROL_PLANE_TOOLS)[number];
export type ToolName = CollectorToolName | ControlPlaneToolName;

interface ToolRecipe {
  /** The variable in tools/versions.env that pins it. */
  versionKey: string;
  /** The cache folder's name before `-<version>` (tools/build.sh's layout). */
  folder: string;
  /** Arguments that make it print its version (helm has no `--version`). */
  versionArgs: string[];
}

const RECIPES: Record<ToolName, ToolRecipe> = {
  prometheus: { versionKey: 'PROMETHEUS_VERSION', folder: 'prometheus', versionArgs: ['--version'] },
  promtool: { versionKey: 'PROMETHEUS_VERSION', folder: 'prometheus', versionArgs: ['--version'] },
  statsd_exporter: {
    versionKey: 'STATSD_EXPORTER_VERSION',
    folder: 'statsd_exporter',
    versionArgs: ['--version'],
  },
  pushgateway: { versionKey: 'PUSHGATEWAY_VERSION', folder: 'pushgateway', versionArgs: ['--version'] },
  otelcol: { versionKey: 'OTELCOL_CORE_VERSION', folder: 'otelcol', versionArgs: ['--version'] },
  etcd: { versionKey: 'ETCD_VERSION', folder: 'etcd', versionArgs: ['--version'] },
  'kube-apiserver': { versionKey: 'KUBERNETES_VERSION', folder: 'kubernetes', versionArgs: ['--version'] },
  'kube-controller-manager': {
    versionKey: 'KUBERNETES_VERSION',
    folder: 'kubernetes',
    versionArgs: ['--version'],
  },
  'kube-scheduler': { versionKey: 'KUBERNETES_VERSION', folder: 'kubernetes', versionArgs: ['--version'] },
  kwok: { versionKey: 'KWOK_VERSION', folder: 'kwok', versionArgs: ['--version'] },
  helm: { versionKey: 'HELM_VERSION', folder: 'helm', versionArgs: ['version', '--short'] },
};

/** One program: its pinned version, where its binary is expected, and whether it is there. */
export interface ToolStatus {
  name: ToolName;
  /** The pinned version from tools/versions.env, e.g. `v0.316.0`. */
  pinned: string;
  path: string;
  present: boolean;
  versionArgs: string[];
}

/** A program that is present: its absolute path and pinned version. */
export interface ToolLocation {
  path: string;
  pinned: string;
}

/** The collectors' binaries, as the local runtime needs them. */
export type CollectorTools = Record<CollectorToolName, ToolLocation>;

/** A pinned program is not built (or not executable) where tools/build.sh puts it. */
export class ToolMissingError extends Error {
  readonly missing: ToolStatus[];
  constructor(missing: ToolStatus[]) {
    const lines = missing.map(
      (t) => `${t.name} ${t.pinned} is not built: run \`npm run tools\` (expected ${t.path})`,
    );
    super(lines.join('\n'));
    this.name = 'ToolMissingError';
    this.missing = missing;
  }
}

/** The repository's tools/versions.env (this module sits next to it). */
export const VERSIONS_ENV_PATH = new URL('./versions.env', import.meta.url).pathname;

/**
 * Parses tools/versions.env: `KEY=value` lines, `#` comments and blank lines ignored.
 * A malformed line is an error naming its line number, because build.sh would `source` it.
 */
export function parseVersionsEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*)=(\S+)$/.exec(line);
    if (!m) {
      throw new Error(
        `tools/versions.env line ${i + 1}: "${line}" is not KEY=value (an upper-case name, '=', a version without spaces)`,
      );
    }
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** The cache folder tools/build.sh writes to: `$PUSHPULL_TOOLS_DIR`, else `~/.cache/pushpull/tools`. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const fromEnv = env.PUSHPULL_TOOLS_DIR;
  return fromEnv && fromEnv !== '' ? fromEnv : join(home, '.cache', 'pushpull', 'tools');
}

/** The tool names of a group (both groups when `groups` lists both). */
export function toolNames(groups: readonly ToolGroup[]): ToolName[] {
  const names: ToolName[] = [];
  if (groups.includes('collectors')) names.push(...COLLECTOR_TOOLS);
  if (groups.includes('control-plane')) names.push(...CONTROL_PLANE_TOOLS);
  return names;
}

/**
 * Pure: where each named tool should be, given the pinned versions and the cache folder, and whether
 * `isExecutable` says it is there. Unit tests pass a fake `isExecutable`.
 */
export function planTools(
  names: readonly ToolName[],
  versions: Record<string, string>,
  dir: string,
  isExecutable: (path: string) => boolean,
): ToolStatus[] {
  return names.map((name) => {
    const recipe = RECIPES[name];
    const pinned = versions[recipe.versionKey];
    if (pinned === undefined) {
      throw new Error(`tools/versions.env has no ${recipe.versionKey} (needed for ${name})`);
    }
    const path = join(dir, `${recipe.folder}-${pinned}`, name);
    return { name, pinned, path, present: isExecutable(path), versionArgs: recipe.versionArgs };
  });
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Options shared by the lookups; the defaults read the real versions.env and cache folder. */
export interface LocateOptions {
  groups?: readonly ToolGroup[];
  versionsText?: string;
  dir?: string;
  isExecutable?: (path: string) => boolean;
}

/** Every tool of the groups (default: collectors) with its expected path and whether it is present. */
export function inspectTools(options: LocateOptions = {}): ToolStatus[] {
  const versions = parseVersionsEnv(options.versionsText ?? readFileSync(VERSIONS_ENV_PATH, 'utf8'));
  return planTools(
    toolNames(options.groups ?? ['collectors']),
    versions,
    options.dir ?? toolsDir(),
    options.isExecutable ?? isExecutableFile,
  );
}

/**
 * The collectors' binaries. Throws `ToolMissingError` (its message says to run `npm run tools`)
 * when any is not built.
 */
export function locateTools(options: Omit<LocateOptions, 'groups'> = {}): CollectorTools {
  const statuses = inspectTools({ ...options, groups: ['collectors'] });
  const missing = statuses.filter((s) => !s.present);
  if (missing.length > 0) throw new ToolMissingError(missing);
  const out: Partial<CollectorTools> = {};
  for (const s of statuses) out[s.name as CollectorToolName] = { path: s.path, pinned: s.pinned };
  return out as CollectorTools;
}

/** What a binary says about its version, for reports. */
export interface ToolVersion {
  name: ToolName;
  pinned: string;
  path: string;
  /** The version number the binary prints (e.g. `3.16.0`), or null when it printed none. */
  reported: string | null;
  /** The first line of its version output, verbatim. */
  banner: string;
}

/** Pulls the first `X.Y.Z` (optionally `v`-prefixed, with a pre-release/build tail) out of version output. */
export function parseReportedVersion(output: string): string | null {
  const m = /\bv?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)/.exec(output);
  return m ? m[1]! : null;
}

function runVersion(path: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, args, { timeout: 15_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path} ${args.join(' ')} failed: ${err.message}`));
      // Prometheus-family tools print their version on stdout; some older ones use stderr.
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/** Runs each present tool's version command (in order, at most 15 s each) and returns what it printed. */
export async function toolVersions(statuses: readonly ToolStatus[]): Promise<ToolVersion[]> {
  const out: ToolVersion[] = [];
  for (const s of statuses) {
    if (!s.present) continue;
    const text = await runVersion(s.path, s.versionArgs);
    const banner = text.split('\n').find((l) => l.trim() !== '') ?? '';
    out.push({ name: s.name, pinned: s.pinned, path: s.path, reported: parseReportedVersion(text), banner });
  }
  return out;
}
