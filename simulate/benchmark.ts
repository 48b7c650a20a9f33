/**
 * The simulator's benchmark (docs/benchmarks.md; not a test: tests never assert speed). Times
 * `simulate()` alone — the spec already loaded, the process warmed up by one untimed run — on
 * simulate/testdata/bench-60s.yaml (60 s, every arm) for fleets from 1,400 to 100,000 producers,
 * several repeats each, and prints the median and the spread of wall time and of this process's CPU
 * time (on a shared machine the wall time also counts the other tenants). Run: `npx node simulate/benchmark.ts`.
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadSpecFile } from '../api/v1alpha1/load.ts';
import { quantile } from './bins.ts';
import { simulate } from './model.ts';
import { DEFAULT_SIZING, defaultCalibration } from './sizing.ts';

const SPEC = fileURLToPath(new URL('./testdata/bench-60s.yaml', import.meta.url));
const SIZES = [1400, 10_000, 30_000, 100_000];
const REPEATS = Number(process.env.REPEATS ?? 7);

const loaded = await loadSpecFile(SPEC);
if (!loaded.ok) throw new Error(`${SPEC} does not validate`);
const spec = loaded.document.spec;
const startAtMs = Date.parse(spec.load.startAt ?? '');
const run = (producers: number) =>
  simulate({ spec, producers, startAtMs, sizing: DEFAULT_SIZING, calibration: defaultCalibration() });

run(1400);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log('producers  wall ms: median  min  max    CPU ms: median  min  max  (repeats)');
for (const producers of SIZES) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run(producers);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const f = (xs: number[]) =>
    [quantile(xs, 0.5), Math.min(...xs), Math.max(...xs)].map((x) => x.toFixed(0).padStart(5)).join(' ');
  console.log(`${String(producers).padStart(9)}  ${f(wall)}         ${f(cpu)}  (${REPEATS})`);
}
