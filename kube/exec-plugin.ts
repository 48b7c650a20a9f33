/**
 * Runs a kubeconfig's exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin...)
 * and keeps what it returned until `status.expirationTimestamp`, as kubectl does: one run at a time, a
 * fresh run once the credential expired or the API server answered 401 to it. credentials.ts builds
 * one per client; the plugin's output is checked by exec-credential.ts.
 */
import { spawn } from 'node:child_process';
import type { ExecConfig } from './exec-config.ts';
import {
  type ExecClusterInfo,
  type ExecResult,
  execInfo,
  interactiveFor,
  isExpired,
  parseExecOutput,
} from './exec-credential.ts';
import { KubeconfigError } from './kubeconfig-error.ts';

/** A plugin that prints more than this on stdout is not printing an ExecCredential. */
const MAX_STDOUT_BYTES = 1024 * 1024;
/** What is kept of its stderr for an error message. */
const STDERR_TAIL_CHARS = 2000;

export interface ExecAuthenticatorOptions {
  config: ExecConfig;
  /** Given to the plugin when `provideClusterInfo` is set. */
  cluster?: ExecClusterInfo;
  /** Epoch milliseconds; default Date.now. */
  now?: () => number;
  /** Whether stdin is a terminal (interactive plugins); default process.stdin.isTTY. */
  stdinIsTTY?: boolean;
  /** The environment the plugin inherits; default process.env. */
  env?: Record<string, string | undefined>;
  /** A run that takes longer is killed; default 60 s, 5 min when interactive (a login prompt). */
  timeoutMs?: number;
}

/** The credential source of one exec user. */
export interface ExecAuthenticator {
  /** The cached credential while it is fresh; else runs the plugin (concurrent callers share one run). */
  credential(): Promise<ExecResult>;
  /** The API server refused `used` (401): the next `credential()` runs the plugin again. */
  invalidate(used: ExecResult): void;
}

/** An authenticator for `o.config`; the plugin first runs on the first `credential()`. */
export function execAuthenticator(o: ExecAuthenticatorOptions): ExecAuthenticator {
  const now = o.now ?? Date.now;
  let cached: ExecResult | undefined;
  let running: Promise<ExecResult> | undefined;
  return {
    credential() {
      if (cached && !isExpired(cached, now())) return Promise.resolve(cached);
      running ??= runPlugin(o).then(
        (r) => {
          cached = r;
          running = undefined;
          return r;
        },
        (err: unknown) => {
          running = undefined;
          throw err;
        },
      );
      return running;
    },
    invalidate(used) {
      if (cached === used) cached = undefined;
    },
  };
}

/** One run: KUBERNETES_EXEC_INFO in, an ExecCredential on stdout out. */
function runPlugin(o: ExecAuthenticatorOptions): Promise<ExecResult> {
  const c = o.config;
  const interactive = interactiveFor(c, o.stdinIsTTY ?? process.stdin.isTTY === true);
  const timeoutMs = o.timeoutMs ?? (interactive ? 300_000 : 60_000);
  const env: Record<string, string | undefined> = { ...(o.env ?? process.env) };
  for (const e of c.env) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = execInfo(c, { interactive, ...(o.cluster ? { cluster: o.cluster } : {}) });
  const who = `${c.field}: the plugin ${JSON.stringify(c.command)}`;
  return new Promise((resolve, reject) => {
    const child = spawn(c.command, c.args, {
      env,
      // Interactive: the plugin prompts on the terminal (stderr) and reads the answer from stdin.
      stdio: interactive ? ['inherit', 'pipe', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let errTail = '';
    let failure: KubeconfigError | undefined;
    const timer = setTimeout(() => {
      failure = new KubeconfigError(`${who} did not finish within ${timeoutMs / 1000} s and was killed`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout?.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > MAX_STDOUT_BYTES) {
        failure ??= new KubeconfigError(
          `${who} printed more than ${MAX_STDOUT_BYTES} bytes; expected one ExecCredential`,
        );
        child.kill('SIGKILL');
      } else out.push(b);
    });
    child.stderr?.on('data', (b: Buffer) => {
      errTail = (errTail + b.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ENOENT')
        reject(
          new KubeconfigError(
            `${c.field}.command: ${JSON.stringify(c.command)} was not found${c.command.includes('/') ? '' : ' on PATH'}; ` +
              (c.installHint ?? 'install the plugin, or point exec.command at it'),
          ),
        );
      else if (err.code === 'EACCES')
        reject(
          new KubeconfigError(
            `${c.field}.command: ${JSON.stringify(c.command)} is not executable (chmod +x it)`,
          ),
        );
      else reject(new KubeconfigError(`${who} could not start: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      const stderr = errTail.trim() === '' ? '' : `; it said: ${errTail.trim()}`;
      if (code !== 0)
        return reject(
          new KubeconfigError(
            `${who} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${stderr}`,
          ),
        );
      try {
        resolve(parseExecOutput(c, Buffer.concat(out).toString('utf8')));
      } catch (err) {
        if (err instanceof KubeconfigError) err.message += stderr;
        reject(err);
      }
    });
  });
}
