/**
 * One line of live progress for `pushpull run`: where the timeline stands (waiting, phase, draining),
 * the event rate each arm generates now, targets up, and kernel UDP drops so far. Pure; the runner
 * prints it about once a second.
 */

import type { ArmName } from '../api/v1alpha1/schema.ts';
import type { LedgerPoint } from '../measure/inputs.ts';
import { type Timeline, timelineStateAt } from '../schedule/timeline.ts';

export interface ProgressInput {
  nowMs: number;
  timeline: Timeline;
  drainSeconds: number;
  series: Partial<Record<ArmName, LedgerPoint[]>>;
  targets: { up: number; total: number } | null;
  kernelDrops: number | null;
}

function rateNow(points: readonly LedgerPoint[] | undefined): number | null {
  if (!points || points.length < 2) return null;
  const [t0, a] = points[points.length - 2] as LedgerPoint;
  const [t1, b] = points[points.length - 1] as LedgerPoint;
  return t1 > t0 ? (b.eventsGenerated - a.eventsGenerated) / (t1 - t0) : null;
}

export function formatProgress(p: ProgressInput): string {
  const state = timelineStateAt(p.timeline, p.nowMs);
  const where =
    state.stage === 'waiting'
      ? `waiting ${(state.msUntilStart / 1000).toFixed(0)}s for startAt`
      : state.stage === 'load'
        ? `t+${state.secondsSinceStart.toFixed(0)}s phase ${state.phase.name}`
        : state.stage === 'draining'
          ? `draining ${(state.msUntilDrainEnd / 1000).toFixed(0)}s`
          : 'done';
  const parts = [where];
  for (const arm of Object.keys(p.series) as ArmName[]) {
    const r = rateNow(p.series[arm]);
    parts.push(`${arm} ${r === null ? '—' : Math.round(r).toLocaleString('en-US')} ev/s`);
  }
  if (p.targets) parts.push(`targets up ${p.targets.up}/${p.targets.total}`);
  if (p.kernelDrops !== null) parts.push(`kernel UDP drops ${p.kernelDrops.toLocaleString('en-US')}`);
  return parts.join(' · ');
}
