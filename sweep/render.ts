/**
 * capacity.md: the sweep's answer in one sentence, each arm's highest clean load and first failure, and
 * every step with its own report linked. Pure; local/sweep.ts writes it.
 */
import { ARM_LABELS } from '../report/format.ts';
import { KIND_LABELS } from '../report/signal-kinds.ts';
import type { CapacityReport } from './plan.ts';

const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** Renders the capacity report as Markdown. */
export function renderCapacityMarkdown(c: CapacityReport): string {
  const lines = [`# pushpull capacity: ${c.experiment}`, '', `**${c.sentence}**`, ''];
  lines.push(
    `Plan: from ${c.plan.start}× the spec's load, ×${c.plan.factor} per step, at most ${c.plan.maxSteps} steps; the collectors' sizing fixed. Ended: ${c.ended}.`,
    '',
  );
  lines.push('## Per arm', '', '| arm | highest clean load | first failure |', '| --- | --- | --- |');
  for (const a of c.arms) {
    const f = a.firstFailure;
    lines.push(
      `| ${ARM_LABELS[a.arm]} | ${a.highestClean === null ? '—' : `${a.highestClean}×`} | ${f ? `${KIND_LABELS[f.kind]} at ${f.multiplier}×, ${f.offsetSeconds} s after load start: ${f.detail}` : 'none'} |`,
    );
  }
  const armNames = c.steps[0]?.arms.map((a) => a.arm) ?? [];
  lines.push('', '## Steps', '');
  lines.push(
    `| load | outcome | rig or machine limit | ${armNames.map((a) => `${ARM_LABELS[a]} (closest headroom)`).join(' | ')} | report |`,
  );
  lines.push(`| --- | --- | --- | ${armNames.map(() => '---').join(' | ')} | --- |`);
  for (const s of c.steps) {
    const cells = armNames.map((arm) => {
      const a = s.arms.find((x) => x.arm === arm);
      if (!a) return '—';
      return `${a.failed && a.first ? `failed: ${KIND_LABELS[a.first.kind]}` : 'clean'} (${pct(a.closestShare)})`;
    });
    lines.push(
      `| ${s.multiplier}× | ${s.outcome} | ${s.rigLimit ?? 'no'} | ${cells.join(' | ')} | ${s.report ? `[report](${s.report})` : '—'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
