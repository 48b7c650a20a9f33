/**
 * What an early stop (Ctrl-C, a collector that died, an error) left unrun, as one run.missing line
 * of report.json: when it stopped, where on the timeline, which phases and how many seconds of load
 * and drain did not run. Pure; local/rehearsal.ts calls it when it writes a partial report.
 */
import { formatSeconds } from '../report/format.ts';
import type { Timeline } from '../schedule/timeline.ts';

/** The run.missing line for a run stopped at `atMs` for `reason`. */
export function describeEarlyStop(timeline: Timeline, atMs: number, reason: string): string {
  const at = new Date(atMs).toISOString();
  const loadSeconds = (timeline.loadEndMs - timeline.startAtMs) / 1000;
  const drainSeconds = (timeline.drainEndMs - timeline.loadEndMs) / 1000;
  const head = `the run stopped early at ${at} (${reason})`;
  const tail = 'nothing after that was measured';
  if (atMs < timeline.startAtMs) {
    return `${head}, ${formatSeconds((timeline.startAtMs - atMs) / 1000)} before the load was due: none of the ${formatSeconds(loadSeconds)} of load ran; ${tail}`;
  }
  if (atMs < timeline.loadEndMs) {
    const index = timeline.phases.findIndex((p) => atMs < p.endMs);
    const phase = timeline.phases[index];
    const into = formatSeconds((atMs - (phase?.startMs ?? timeline.startAtMs)) / 1000);
    const later = timeline.phases.slice(index + 1).map((p) => p.name);
    const rest = [`the rest of phase ${phase?.name ?? '?'}`];
    if (later.length > 0) rest.push(`phase${later.length > 1 ? 's' : ''} ${later.join(', ')}`);
    rest.push('the drain');
    const unrun = formatSeconds((timeline.loadEndMs - atMs) / 1000);
    return `${head}, ${into} into phase ${phase?.name ?? '?'}: ${unrun} of the ${formatSeconds(loadSeconds)} of load did not run (${joinAnd(rest)}); ${tail}`;
  }
  if (atMs < timeline.drainEndMs) {
    return `${head}, during the drain: its last ${formatSeconds((timeline.drainEndMs - atMs) / 1000)} of ${formatSeconds(drainSeconds)} did not run, so data still in flight may be missing; ${tail}`;
  }
  return `${head}, after the drain: the load and the drain ran in full; ${tail}`;
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
