/**
 * The machine a bench ran on, as the report prints it: CPU model, cores, Node version, kernel, memory, and
 * the load average (a busy machine shows in the figures; say so next to them). Called by bench/emit.ts.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** What the bench records about the machine. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  memoryGiB: number;
  /** A virtual machine (the CPU reports the `hypervisor` flag): system calls and wake-ups cost more. */
  virtualized: boolean | null;
  /** 1-minute load average when the bench started and when it ended. */
  loadAverageStart: number;
  loadAverageEnd: number | null;
}

/** Reads the machine now (loadAverageEnd stays null until `finishMachine`). */
export function readMachine(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    platform: `${process.platform} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    virtualized: hypervisorFlag(),
    loadAverageStart: round2(loadavg()[0] ?? 0),
    loadAverageEnd: null,
  };
}

/** Records the load average at the end. */
export function finishMachine(m: MachineInfo): MachineInfo {
  return { ...m, loadAverageEnd: round2(loadavg()[0] ?? 0) };
}

function hypervisorFlag(): boolean | null {
  try {
    return /^flags\s*:.*\bhypervisor\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return null;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
