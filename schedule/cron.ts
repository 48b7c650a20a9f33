/**
 * Cron expressions for PushPullSchedule (`minute hour day-of-month month day-of-week`, as CronJobs
 * write them): parsing with errors that name the field, the regular expression the CRD uses to reject
 * malformed ones at apply time (generated from the same field table), and matching a wall-clock time.
 * Pure; schedule/cron-zone.ts finds the ticks in a time zone, the operator's schedule controller and
 * api/v1alpha1/schedule-schema.ts call these.
 */

/** One of the five fields: its bounds and, for month and weekday, the names it accepts. */
interface FieldDef {
  name: 'minute' | 'hour' | 'day of month' | 'month' | 'day of week';
  min: number;
  max: number;
  /** Names for min, min+1, ... (case-insensitive). */
  names?: readonly string[];
  /** Regular expression of one value in range (for the CRD pattern). */
  valueRe: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A name as a case-insensitive regular expression without flags: jan → [Jj][Aa][Nn]. */
const anyCase = (word: string) => [...word].map((c) => `[${c.toUpperCase()}${c}]`).join('');

const FIELDS: readonly FieldDef[] = [
  { name: 'minute', min: 0, max: 59, valueRe: '[0-5]?[0-9]' },
  { name: 'hour', min: 0, max: 23, valueRe: '(?:[01]?[0-9]|2[0-3])' },
  { name: 'day of month', min: 1, max: 31, valueRe: '(?:0?[1-9]|[12][0-9]|3[01])' },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: MONTHS,
    valueRe: `(?:0?[1-9]|1[0-2]|${MONTHS.map(anyCase).join('|')})`,
  },
  // 7 is Sunday too, as in Vixie cron and CronJobs.
  {
    name: 'day of week',
    min: 0,
    max: 7,
    names: WEEKDAYS,
    valueRe: `(?:[0-7]|${WEEKDAYS.map(anyCase).join('|')})`,
  },
];

/** The shorthands CronJobs accept, as the five fields they stand for. */
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A parsed cron expression: the allowed values of each field. */
export interface Cron {
  /** The expression as written. */
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday ... 6 = Saturday (7 is folded into 0). */
  daysOfWeek: ReadonlySet<number>;
  /** Whether the day fields were `*`: cron matches either day field when both are restricted. */
  daysOfMonthAny: boolean;
  daysOfWeekAny: boolean;
}

/** A cron expression that cannot be parsed; the message names the field and what it allows. */
export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

/** The ECMAScript/RE2 pattern of a well-formed expression (values in range; order of ranges unchecked). */
export function cronPattern(): string {
  const item = (f: FieldDef) => `(?:\\*|${f.valueRe}(?:-${f.valueRe})?)(?:/[1-9][0-9]?)?`;
  const field = (f: FieldDef) => `${item(f)}(?:,${item(f)})*`;
  const macros = Object.keys(MACROS).map((m) => m.slice(1));
  return `^(?:@(?:${macros.join('|')})|${FIELDS.map(field).join(' +')})$`;
}

function parseValue(text: string, f: FieldDef, where: string): number {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return f.min + named;
  if (!/^\d+$/.test(text)) {
    const names = f.names ? ` or a name (${f.names.join(', ')})` : '';
    throw new CronError(
      `${where}: ${JSON.stringify(text)} is not a number from ${f.min} to ${f.max}${names}`,
    );
  }
  const n = Number(text);
  if (n < f.min || n > f.max) {
    throw new CronError(`${where}: ${n} is out of range; allowed: ${f.min} to ${f.max}`);
  }
  return n;
}

function parseField(text: string, f: FieldDef, index: number): { values: Set<number>; any: boolean } {
  const where = `field ${index + 1} (${f.name}) ${JSON.stringify(text)}`;
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', step, extra] = item.split('/');
    if (extra !== undefined || range === '')
      throw new CronError(`${where}: ${JSON.stringify(item)} is malformed`);
    let by = 1;
    if (step !== undefined) {
      if (!/^\d+$/.test(step) || Number(step) < 1) {
        throw new CronError(`${where}: step ${JSON.stringify(step)} must be a whole number of at least 1`);
      }
      by = Number(step);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = f.min;
      to = f.max;
    } else {
      const [a = '', b, more] = range.split('-');
      if (more !== undefined) throw new CronError(`${where}: ${JSON.stringify(range)} is malformed`);
      from = parseValue(a, f, where);
      // `a/n` means from a to the end, stepping n, as in Vixie cron.
      to = b !== undefined ? parseValue(b, f, where) : step !== undefined ? f.max : from;
      if (to < from) throw new CronError(`${where}: the range ${range} runs backwards`);
    }
    for (let v = from; v <= to; v += by) values.add(f.name === 'day of week' && v === 7 ? 0 : v);
  }
  return { values, any: text.startsWith('*') };
}

/** Parses a cron expression; throws CronError naming the field that is wrong. */
export function parseCron(expression: string): Cron {
  const source = expression.trim();
  const expanded = MACROS[source.toLowerCase()] ?? source;
  if (expanded.startsWith('@')) {
    throw new CronError(
      `${JSON.stringify(source)} is not a known shorthand; allowed: ${Object.keys(MACROS).join(', ')}`,
    );
  }
  const parts = expanded.split(/\s+/).filter(Boolean);
  if (parts.length !== FIELDS.length) {
    throw new CronError(
      `${JSON.stringify(source)} has ${parts.length} field(s); expected 5: minute hour day-of-month month day-of-week (e.g. "15 9 * * 1-5")`,
    );
  }
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]!, i)) as [
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
  ];
  return {
    source,
    minutes: minute.values,
    hours: hour.values,
    daysOfMonth: dom.values,
    months: month.values,
    daysOfWeek: dow.values,
    daysOfMonthAny: dom.any,
    daysOfWeekAny: dow.any,
  };
}

/** Wall-clock fields of one minute in some time zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday. */
  weekday: number;
}

/** Whether the day is allowed: when both day fields are restricted, either may match (cron's rule). */
export function dayMatches(cron: Cron, t: Pick<WallClock, 'month' | 'day' | 'weekday'>): boolean {
  if (!cron.months.has(t.month)) return false;
  const dom = cron.daysOfMonth.has(t.day);
  const dow = cron.daysOfWeek.has(t.weekday);
  // Vixie cron's rule: a day field written with a leading `*` (`*`, `*/2`) narrows the other one.
  if (cron.daysOfMonthAny || cron.daysOfWeekAny) return dom && dow;
  return dom || dow;
}

/** Whether the expression fires at this wall-clock minute. */
export function cronMatches(cron: Cron, t: WallClock): boolean {
  return dayMatches(cron, t) && cron.hours.has(t.hour) && cron.minutes.has(t.minute);
}
