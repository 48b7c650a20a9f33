import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CronError, cronMatches, cronPattern, parseCron } from './cron.ts';

const sorted = (s: ReadonlySet<number>) => [...s].sort((a, b) => a - b);

describe('parseCron', () => {
  test('reads stars, values, ranges, steps and lists in each field', () => {
    const c = parseCron('*/15 9-17/4 1,15,31 * 1-5');
    assert.deepEqual(sorted(c.minutes), [0, 15, 30, 45]);
    assert.deepEqual(sorted(c.hours), [9, 13, 17]);
    assert.deepEqual(sorted(c.daysOfMonth), [1, 15, 31]);
    assert.equal(c.months.size, 12);
    assert.deepEqual(sorted(c.daysOfWeek), [1, 2, 3, 4, 5]);
    assert.equal(c.daysOfMonthAny, false);
  });

  test('a value with a step runs to the end of the field, as in Vixie cron', () => {
    assert.deepEqual(sorted(parseCron('50/5 * * * *').minutes), [50, 55]);
  });

  test('month and weekday names in any case, and 7 is Sunday', () => {
    const c = parseCron('0 0 * jan-MAR,Dec sun,7,Sat');
    assert.deepEqual(sorted(c.months), [1, 2, 3, 12]);
    assert.deepEqual(sorted(c.daysOfWeek), [0, 6]);
  });

  test('shorthands stand for their five fields', () => {
    assert.deepEqual(parseCron('@daily').hours, parseCron('0 0 * * *').hours);
    assert.deepEqual(sorted(parseCron('@hourly').hours).length, 24);
    assert.deepEqual(sorted(parseCron('@weekly').daysOfWeek), [0]);
  });

  test('errors name the field, the value and what is allowed', () => {
    const cases: Array<[string, RegExp]> = [
      ['* * * *', /has 4 field\(s\); expected 5: minute hour day-of-month month day-of-week/],
      ['60 * * * *', /^field 1 \(minute\) "60": 60 is out of range; allowed: 0 to 59$/],
      ['0 24 * * *', /^field 2 \(hour\) "24": 24 is out of range; allowed: 0 to 23$/],
      ['0 0 0 * *', /field 3 \(day of month\) "0": 0 is out of range; allowed: 1 to 31/],
      ['0 0 * foo *', /field 4 \(month\) "foo": "foo" is not a number from 1 to 12 or a name \(jan, feb/],
      ['0 0 * * 8', /field 5 \(day of week\) "8": 8 is out of range; allowed: 0 to 7/],
      ['30-10 * * * *', /field 1 \(minute\) "30-10": the range 30-10 runs backwards/],
      ['*/0 * * * *', /step "0" must be a whole number of at least 1/],
      ['1-2-3 * * * *', /"1-2-3" is malformed/],
      ['@fortnightly', /not a known shorthand; allowed: @yearly/],
    ];
    for (const [expr, message] of cases) {
      assert.throws(
        () => parseCron(expr),
        (err: unknown) => err instanceof CronError && message.test(err.message),
        expr,
      );
    }
  });
});

describe('cronMatches', () => {
  const at = (day: number, weekday: number) => ({ year: 2026, month: 12, day, hour: 9, minute: 15, weekday });

  test("with both day fields restricted, either may match (cron's rule)", () => {
    const c = parseCron('15 9 1 * mon');
    assert.equal(cronMatches(c, at(1, 2)), true, 'the 1st, a Tuesday');
    assert.equal(cronMatches(c, at(7, 1)), true, 'a Monday');
    assert.equal(cronMatches(c, at(8, 2)), false);
  });

  test('with one day field a star, only the other counts', () => {
    assert.equal(cronMatches(parseCron('15 9 * * mon'), at(1, 2)), false);
    assert.equal(cronMatches(parseCron('15 9 */2 * *'), at(2, 3)), false);
    assert.equal(cronMatches(parseCron('15 9 */2 * *'), at(3, 4)), true);
  });
});

describe('cronPattern (the CRD rejects what parseCron rejects, short of backwards ranges)', () => {
  const re = new RegExp(cronPattern(), 'u');
  test('accepts well-formed expressions', () => {
    for (const ok of [
      '* * * * *',
      '*/15 9-17/4 1,15,31 * 1-5',
      '0 0 * JAN-mar sun,7',
      '@daily',
      '5 4 * * SAT',
    ]) {
      assert.ok(re.test(ok), ok);
      assert.doesNotThrow(() => parseCron(ok));
    }
  });
  test('rejects values out of range, wrong field counts, bad names and zero steps', () => {
    for (const bad of [
      '60 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '* * * 13 *',
      '* * * * 8',
      '* * * *',
      '*/0 * * * *',
      '* * * foo *',
      '@often',
      '',
    ]) {
      assert.ok(!re.test(bad), bad);
      assert.throws(() => parseCron(bad));
    }
  });
});
