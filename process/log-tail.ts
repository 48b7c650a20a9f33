/**
 * The end of a child's log file, quoted in start failures and in the dev cluster's errors so the
 * reader sees why a program did not come up without opening the file. Used by process/errors.ts and
 * devcluster/cluster.ts.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** How much of the log to quote. */
export interface LogTailOptions {
  /** Default 20. */
  lines?: number;
  /** Read at most this many bytes from the end. Default 64 KiB. */
  maxBytes?: number;
}

/** The last lines of a log file (empty lines dropped); '' when it is missing or empty. */
export function logTail(path: string, options: LogTailOptions = {}): string {
  const maxLines = options.lines ?? 20;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  try {
    const size = statSync(path).size;
    const len = Math.min(size, maxBytes);
    if (len === 0) return '';
    const buf = Buffer.alloc(len);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, len, size - len);
    } finally {
      closeSync(fd);
    }
    return buf.toString('utf8').split('\n').filter(Boolean).slice(-maxLines).join('\n');
  } catch {
    return '';
  }
}
