/**
 * Reads what this machine offers the rig — cores, available memory, how many more threads the kernel and
 * the limits allow — for the capacity check (capacity/estimate.ts). Called by `pushpull run` before it
 * starts anything and by `pushpull validate --machine`. A figure it cannot read is left out with a note.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, freemem, totalmem } from 'node:os';
import type { HostCapacity } from './estimate.ts';

/** The machine as /proc shows it now. */
export function readHostCapacity(): HostCapacity {
  const notes: string[] = [];
  const meminfo = readText('/proc/meminfo');
  const available = meminfo === null ? null : meminfoBytes(meminfo, 'MemAvailable');
  if (available === null) notes.push('MemAvailable unreadable: free memory used instead');
  return {
    cores: availableParallelism(),
    memoryTotalBytes: totalmem(),
    memoryAvailableBytes: available ?? freemem(),
    threadsAvailable: threadsAvailable(notes),
    notes,
  };
}

/** A `Key: N kB` line of /proc/meminfo in bytes, or null. */
export function meminfoBytes(text: string, key: string): number | null {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

/** The soft `Max processes` of /proc/self/limits, or null when unlimited or unreadable. */
export function maxProcessesLimit(limits: string): number | null {
  const m = /^Max processes\s+(\S+)/m.exec(limits);
  return m && m[1] !== 'unlimited' ? Number(m[1]) : null;
}

/** Scheduling entities running now: the denominator of /proc/loadavg's fourth field. */
export function runningThreads(loadavg: string): number | null {
  const m = /^\S+ \S+ \S+ \d+\/(\d+)/.exec(loadavg);
  return m ? Number(m[1]) : null;
}

function threadsAvailable(notes: string[]): number | null {
  const limits: number[] = [];
  for (const path of ['/proc/sys/kernel/pid_max', '/proc/sys/kernel/threads-max']) {
    const text = readText(path);
    if (text !== null && /^\d+\s*$/.test(text)) limits.push(Number(text.trim()));
  }
  const selfLimits = readText('/proc/self/limits');
  const nproc = selfLimits === null ? null : maxProcessesLimit(selfLimits);
  if (nproc !== null) limits.push(nproc);
  const loadavg = readText('/proc/loadavg');
  const running = loadavg === null ? null : runningThreads(loadavg);
  if (limits.length === 0 || running === null) {
    notes.push(
      'thread limits unreadable (/proc/sys/kernel/pid_max, threads-max, /proc/self/limits, /proc/loadavg)',
    );
    return null;
  }
  return Math.max(0, Math.min(...limits) - running);
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
