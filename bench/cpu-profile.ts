/**
 * Names the hot spots of a V8 CPU profile (`node --cpu-prof`, a `.cpuprofile` JSON): the functions with the
 * most self time, with their file and line, as shares of all samples. `pushpull bench emit --cpu-prof DIR`
 * profiles every worker and prints these per case, so a goal out of reach comes with its hot spot.
 * Pure (the caller reads the file); called by bench/emit.ts.
 */

/** The parts of a .cpuprofile this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's self time. */
export interface HotSpot {
  /** `function file:line`, the file shortened to its package path or repository path. */
  where: string;
  /** Share of all sampled time, in percent. */
  percent: number;
}

/** Shortens a script URL: `prom-client/lib/histogram.js`, `loadgen/generator.ts`, `node:dgram`. */
export function shortUrl(url: string): string {
  const pkg = url.lastIndexOf('node_modules/');
  if (pkg >= 0) return url.slice(pkg + 'node_modules/'.length);
  for (const top of ['/loadgen/', '/bench/', '/schedule/', '/spec/', '/measure/', '/local/']) {
    const i = url.lastIndexOf(top);
    if (i >= 0) return url.slice(i + 1);
  }
  return url;
}

/** The `n` functions with the most self time; idle time and the profiler's own nodes are left out. */
export function hotSpots(profile: CpuProfile, n: number): HotSpot[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : name;
    self.set(where, (self.get(where) ?? 0) + dt);
    total += dt;
  });
  if (total <= 0) return [];
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([where, t]) => ({ where, percent: (t / total) * 100 }));
}
