/**
 * The one place that turns a raw system error a user can reach (ENOTDIR, EACCES, ENOSPC, EADDRINUSE, a
 * program that is not installed...) into a sentence that says what is wrong and how to fix it. The CLI
 * (cli/main.ts, cli/commands/run.ts, cli/output-dir.ts, cli/commands/udp-counters.ts) prints it instead of
 * Node's `ENOTDIR: not a directory, mkdir ...`. Pure: it reads only the error object it is given.
 */

/** The Debian package that provides each program the rig or its tests start (tools/setup.sh installs them). */
export const DEBIAN_PACKAGES: Readonly<Record<string, string>> = {
  openssl: 'openssl',
  chromium: 'chromium',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  setpriv: 'util-linux',
  ip: 'iproute2',
  tc: 'iproute2',
  nft: 'nftables',
  go: 'golang-go',
  git: 'git',
};

/** What the program was doing when the error happened, for the sentence's subject. */
export interface SystemErrorContext {
  /** The path the user named (e.g. `--out`), when the error's own path is a file inside it. */
  path?: string;
  /** The option that named that path or port, e.g. `--out` or `--listen`. */
  option?: string;
  /** For ENOTDIR / EEXIST: the file that stands where a directory is wanted, when the caller found it. */
  blockingFile?: string;
  /** The nearest existing directory at or above `path`, when the caller found it. */
  nearestDirectory?: string;
  /** Whether this process runs as root (decides `sudo` in an install command); default false. */
  isRoot?: boolean;
}

interface ErrnoLike {
  code?: unknown;
  path?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
}

function errno(err: unknown): ErrnoLike | undefined {
  return typeof err === 'object' && err !== null && typeof (err as ErrnoLike).code === 'string'
    ? (err as ErrnoLike)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `sudo apt-get install -y P` when not root, the bare command when root. */
function aptInstallCommand(packages: readonly string[], isRoot: boolean): string {
  return `${isRoot ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`;
}

/**
 * A sentence with the fix for a system error a user can cause or fix, or undefined when the error is
 * not one of those (the caller then prints it as it is).
 */
export function explainSystemError(err: unknown, context: SystemErrorContext = {}): string | undefined {
  const e = errno(err);
  if (!e) return undefined;
  const path = text(e.path);
  const syscall = text(e.syscall) ?? '';
  const named = context.path ?? path;
  const option = context.option ? ` (${context.option})` : '';
  switch (e.code) {
    case 'ENOTDIR':
    case 'EEXIST': {
      if (!named || (e.code === 'EEXIST' && syscall !== 'mkdir')) return undefined;
      const file = context.blockingFile ?? (e.code === 'EEXIST' ? path : undefined);
      const where = file ? `${file} is a file` : 'a folder on its path is a file';
      return `${named}${option} cannot be used as a directory: ${where}, not a directory. Name a new or existing directory instead, or move that file away.`;
    }
    case 'EACCES':
    case 'EPERM':
      if (syscall.startsWith('spawn')) {
        return `${path ?? 'a program'} cannot be run: permission denied (is it executable? \`chmod +x ${path ?? 'FILE'}\`).`;
      }
      if (syscall === 'listen' || syscall === 'bind') {
        return `this user may not listen on ${hostPort(e)}${option}: ports below 1024 need root. Choose a port from 1024 to 65535.`;
      }
      if (!named) return undefined;
      return context.nearestDirectory && context.nearestDirectory !== named
        ? `${named}${option} cannot be created: this user may not write in ${context.nearestDirectory}. Choose a directory you can write to, or give this user write access to it (chown or chmod).`
        : `${named}${option} is not writable by this user. Choose a directory you can write to, or give this user write access to it (chown or chmod).`;
    case 'EROFS':
      if (!named) return undefined;
      return `${named}${option} is on a read-only file system. Choose a directory on a writable disk.`;
    case 'ENOSPC':
    case 'EDQUOT':
      if (!named) return undefined;
      return `the disk holding ${named}${option} is full (${e.code === 'EDQUOT' ? 'disk quota exceeded' : 'no space left on device'})${path && path !== named ? ` while writing ${path}` : ''}. Free some space (\`df -h ${context.nearestDirectory ?? named}\` shows how much is left) or choose a directory on another disk.`;
    case 'EADDRINUSE':
      return `${hostPort(e)}${option} is already taken by another program. Stop that program (\`ss -ltnup 'sport = :${e.port ?? 'PORT'}'\` shows which one) or choose another port.`;
    case 'EADDRNOTAVAIL':
      return `${hostPort(e)}${option} is not an address of this machine. Listen on 127.0.0.1 or on an address \`ip addr\` lists.`;
    case 'ENOENT':
      if (syscall.startsWith('spawn')) {
        const program = path ?? syscall.slice('spawn '.length);
        const pkg = DEBIAN_PACKAGES[program];
        return pkg
          ? `the program ${program} is not installed: it comes with the Debian package ${pkg}; run \`${aptInstallCommand([pkg], context.isRoot ?? false)}\`, then try again.`
          : `the program ${program} is not installed or not on PATH. Install it, or put its folder on PATH.`;
      }
      return undefined;
    default:
      return undefined;
  }
}

function hostPort(e: ErrnoLike): string {
  const address = text(e.address);
  const port = e.port === undefined ? undefined : String(e.port);
  if (address && port) return `${address.includes(':') ? `[${address}]` : address}:${port}`;
  return port ? `port ${port}` : 'the address';
}
