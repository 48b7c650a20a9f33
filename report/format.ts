/**
 * Text formatting shared by the verdict sentence, report.md, report.html and `pushpull compare`.
 * Deterministic on every machine (no locale, no clock), so golden files stay stable. A null figure is
 * always printed as "—" with its reason, never as 0.
 */
import type { ArmName } from '../api/v1alpha1/schema.ts';
import type { FailureSignal, Figure, PhaseWindow, VerdictAnswer } from './types.ts';

/** Display names of the arms, as the sentence and the tables use them. */
export const ARM_LABELS: Record<ArmName | 'rig', string> = {
  pull: 'pull',
  statsd: 'StatsD',
  otlp: 'OTLP',
  rig: 'the rig',
};

/** Integer part with thousands separators: 1234567 → "1,234,567"; keeps up to `decimals` decimals. */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : '';
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = '0', frac] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const trimmed = frac ? frac.replace(/0+$/, '') : '';
  return `${sign}${grouped}${trimmed ? `.${trimmed}` : ''}`;
}

/** A ratio as a percentage with three significant digits at most: 0.012345 → "1.23%". */
export function formatPercent(ratio: number): string {
  if (ratio === 0) return '0%';
  const pct = ratio * 100;
  const magnitude = Math.floor(Math.log10(Math.abs(pct)));
  const decimals = Math.min(6, Math.max(0, 2 - magnitude));
  return `${formatNumber(pct, decimals)}%`;
}

/** Seconds, shown in ms below one second: 0.0123 → "12.3 ms", 2.5 → "2.5 s". */
export function formatSeconds(seconds: number): string {
  if (seconds !== 0 && Math.abs(seconds) < 1) return `${formatNumber(seconds * 1000, 1)} ms`;
  return `${formatNumber(seconds, 2)} s`;
}

/** Bytes in binary units: 245760 → "240 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(v, i === 0 ? 0 : 1)} ${units[i]}`;
}

const UNIT_SUFFIX: Record<Figure['unit'], string> = {
  events: 'events',
  datagrams: 'datagrams',
  bytes: '',
  seconds: '',
  ratio: '',
  count: '',
  points: 'points',
  samples: 'samples',
  per100ms: 'per 100 ms',
  packets: 'packets',
  scrapes: 'scrapes',
};

/** A value in its unit, without provenance: "1,234 datagrams", "1.23%", "12.3 ms", "240 KiB". */
export function formatValue(value: number, unit: Figure['unit']): string {
  switch (unit) {
    case 'ratio':
      return formatPercent(value);
    case 'seconds':
      return formatSeconds(value);
    case 'bytes':
      return formatBytes(value);
    default: {
      const text = formatNumber(value, Number.isInteger(value) ? 0 : 2);
      const suffix = UNIT_SUFFIX[unit];
      return suffix ? `${text} ${suffix}` : text;
    }
  }
}

/** A figure's value for a table cell: the value, or "— (why it is missing)" when null. */
export function formatFigure(figure: Figure | undefined): string {
  if (!figure) return '— (not in this report)';
  if (figure.value === null) return `— (${figure.missing ?? 'no value, no reason given'})`;
  return formatValue(figure.value, figure.unit);
}

/** A figure inside a sentence: the value, or "an unknown number (why)". */
export function formatFigureInline(figure: Figure | undefined): string {
  if (!figure || figure.value === null) return `an unknown number (${figure?.missing ?? 'not measured'})`;
  return formatValue(figure.value, figure.unit);
}

/** Offset since load start for prose: "2.4 s after load start", "3 s before load start". */
export function formatOffset(offsetSeconds: number): string {
  const abs = formatNumber(Math.abs(offsetSeconds), 1);
  return offsetSeconds < 0 ? `${abs} s before load start` : `${abs} s after load start`;
}

/** Offset for a table cell: "+2.4 s", "-3 s". */
export function formatOffsetShort(offsetSeconds: number): string {
  return `${offsetSeconds < 0 ? '-' : '+'}${formatNumber(Math.abs(offsetSeconds), 1)} s`;
}

/** "2.4 s after load start, in phase open" for a signal. */
export function formatWhen(signal: Pick<FailureSignal, 'offsetSeconds' | 'phase'>): string {
  const phase = signal.phase
    ? `in phase ${signal.phase}`
    : signal.offsetSeconds < 0
      ? 'during warm-up'
      : 'outside every phase';
  return `${formatOffset(signal.offsetSeconds)}, ${phase}`;
}

/** Seconds between `iso` and the first phase's start; null without phases or on a bad time. */
export function offsetFromLoadStart(phases: PhaseWindow[], iso: string): number | null {
  const start = phases[0] ? Date.parse(phases[0].startAt) : Number.NaN;
  const at = Date.parse(iso);
  if (Number.isNaN(start) || Number.isNaN(at)) return null;
  return (at - start) / 1000;
}

/** Name of the phase in force at `iso`, or null outside every phase. */
export function phaseAt(phases: PhaseWindow[], iso: string): string | null {
  const at = Date.parse(iso);
  for (const p of phases) {
    if (at >= Date.parse(p.startAt) && at < Date.parse(p.endAt)) return p.name;
  }
  return null;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Escapes text for a Markdown table cell: pipes and newlines would break the row. */
export function escapeMdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Short names of the verdict answers, for headings and tables. */
export const ANSWER_LABELS: Record<VerdictAnswer, string> = {
  'push-easier': 'push easier',
  'push-harder': 'push harder',
  'the-same': 'the same',
  inconclusive: 'inconclusive',
};

/** Seconds between two ISO instants, or null when either is missing or bad. */
export function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Number.isNaN(a) || Number.isNaN(b) ? null : (b - a) / 1000;
}
