/**
 * A cron expression's ticks as instants, in an IANA time zone (through Intl, so no tz database of our
 * own): the next tick after an instant, and the ticks in a window. A tick is a UTC minute whose wall
 * clock in the zone matches; a local time a DST change skips never fires, a repeated one fires twice
 * (two instants). Pure; the schedule controller's plan (operator/schedule/plan.ts) calls it.
 */
import { type Cron, cronMatches, dayMatches, type WallClock } from './cron.ts';

const MINUTE_MS = 60_000;
/** How far ahead nextTick looks: a 29 February schedule fires within 8 years (1900-style gaps aside). */
const HORIZON_MS = 8 * 366 * 24 * 60 * MINUTE_MS;

/** Every zone the operator accepts: UTC and the IANA names this runtime's Intl knows. */
export function timeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}

/** Whether Intl can compute wall clocks in `zone`. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at instant `ms`. */
export function wallClock(ms: number, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(ms)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year!;
  const month = parts.month!;
  const day = parts.day!;
  return {
    year,
    month,
    day,
    hour: parts.hour!,
    minute: parts.minute!,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** The first tick strictly after `afterMs`, or null when none comes within the horizon (e.g. 30 Feb). */
export function nextTick(cron: Cron, zone: string, afterMs: number): number | null {
  let t = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const end = afterMs + HORIZON_MS;
  // Whole hours are skipped while the day or hour does not match, so a yearly schedule takes about
  // 9,000 steps; offsets are whole minutes in every zone Intl knows today, so minute steps stay aligned.
  for (let steps = 0; t <= end && steps < 200_000; steps++) {
    const w = wallClock(t, zone);
    if (!dayMatches(cron, w) || !cron.hours.has(w.hour)) {
      t += (60 - w.minute) * MINUTE_MS;
      continue;
    }
    if (cronMatches(cron, w)) return t;
    t += MINUTE_MS;
  }
  return null;
}

/** The ticks in (fromMs, toMs], oldest first, at most `limit` of them (the newest kept). */
export function ticksBetween(
  cron: Cron,
  zone: string,
  fromMs: number,
  toMs: number,
  limit: number,
): number[] {
  const out: number[] = [];
  // Ticks are at least a minute apart, so the window bounds the loop; the step cap bounds it again.
  let t = nextTick(cron, zone, fromMs);
  for (let steps = 0; t !== null && t <= toMs && steps < 1_000_000; steps++) {
    out.push(t);
    if (out.length > limit) out.shift();
    t = nextTick(cron, zone, t);
  }
  return out;
}
