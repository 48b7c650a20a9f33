import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCron } from './cron.ts';
import { isTimeZone, nextTick, ticksBetween, timeZones, wallClock } from './cron-zone.ts';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe('nextTick', () => {
  test('every minute: the next whole minute, strictly after', () => {
    const c = parseCron('* * * * *');
    assert.equal(iso(nextTick(c, 'UTC', ms('2026-12-01T09:15:00Z'))), '2026-12-01T09:16:00.000Z');
    assert.equal(iso(nextTick(c, 'UTC', ms('2026-12-01T09:15:59.999Z'))), '2026-12-01T09:16:00.000Z');
  });

  test('market open on weekdays in New York, across a weekend', () => {
    const c = parseCron('15 9 * * 1-5');
    // Friday 4 December 2026, after the open: the next is Monday 7 December, 09:15 EST = 14:15 UTC.
    assert.equal(
      iso(nextTick(c, 'America/New_York', ms('2026-12-04T15:00:00Z'))),
      '2026-12-07T14:15:00.000Z',
    );
  });

  test('follows daylight saving time: 09:15 local is 13:15 UTC in summer, 14:15 in winter', () => {
    const c = parseCron('15 9 * * *');
    assert.equal(
      iso(nextTick(c, 'America/New_York', ms('2026-07-01T00:00:00Z'))),
      '2026-07-01T13:15:00.000Z',
    );
    assert.equal(
      iso(nextTick(c, 'America/New_York', ms('2026-11-02T00:00:00Z'))),
      '2026-11-02T14:15:00.000Z',
    );
  });

  test('a local time the spring change skips does not fire that day', () => {
    // 8 March 2026 in New York: 02:00 jumps to 03:00, so 02:30 does not exist.
    const c = parseCron('30 2 * * *');
    assert.equal(
      iso(nextTick(c, 'America/New_York', ms('2026-03-08T00:00:00Z'))),
      '2026-03-09T06:30:00.000Z',
    );
  });

  test('a yearly leap-day schedule is found years ahead; an impossible date never fires', () => {
    assert.equal(
      iso(nextTick(parseCron('0 0 29 2 *'), 'UTC', ms('2026-01-01T00:00:00Z'))),
      '2028-02-29T00:00:00.000Z',
    );
    assert.equal(nextTick(parseCron('0 0 30 2 *'), 'UTC', ms('2026-01-01T00:00:00Z')), null);
  });
});

describe('ticksBetween', () => {
  test('lists the ticks in (from, to], keeping the newest when there are more than the limit', () => {
    const c = parseCron('*/10 * * * *');
    const from = ms('2026-12-01T09:00:00Z');
    const to = ms('2026-12-01T10:00:00Z');
    assert.deepEqual(ticksBetween(c, 'UTC', from, to, 100).map(iso), [
      '2026-12-01T09:10:00.000Z',
      '2026-12-01T09:20:00.000Z',
      '2026-12-01T09:30:00.000Z',
      '2026-12-01T09:40:00.000Z',
      '2026-12-01T09:50:00.000Z',
      '2026-12-01T10:00:00.000Z',
    ]);
    assert.deepEqual(ticksBetween(c, 'UTC', from, to, 2).map(iso), [
      '2026-12-01T09:50:00.000Z',
      '2026-12-01T10:00:00.000Z',
    ]);
  });
});

describe('time zones', () => {
  test('UTC and the IANA names are accepted; anything else is not', () => {
    assert.ok(timeZones().includes('UTC') && timeZones().includes('Europe/London'));
    assert.equal(isTimeZone('Europe/London'), true);
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
  });

  test('wallClock gives the local fields and the weekday', () => {
    assert.deepEqual(wallClock(ms('2026-12-01T23:30:00Z'), 'Asia/Kolkata'), {
      year: 2026,
      month: 12,
      day: 2,
      hour: 5,
      minute: 0,
      weekday: 3,
    });
  });
});
