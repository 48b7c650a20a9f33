/**
 * Reads the host's CPU counters (/proc/stat, /proc/pressure/cpu) for the machine-load figures of a local
 * rehearsal; local/rehearsal.ts takes one at every ledger poll. Parsing is measure/machine-load.ts.
 */
import { readFileSync } from 'node:fs';
import { type MachineSample, parseCpuPressure, parseProcStat } from '../measure/machine-load.ts';

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** One sample at unix second `atSeconds`, or null when /proc/stat cannot be read. */
export function sampleMachine(atSeconds: number): MachineSample | null {
  const stat = readText('/proc/stat');
  const ticks = stat === null ? null : parseProcStat(stat);
  if (!ticks) return null;
  const psi = readText('/proc/pressure/cpu');
  return { atSeconds, ...ticks, pressureSomeUs: psi === null ? null : parseCpuPressure(psi) };
}
