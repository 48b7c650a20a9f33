import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { parseSpecText } from './load.ts';
import { formatSpecError } from './validate.ts';
import { validateAnyDocument, validateScheduleDocument } from './validate-schedule.ts';

const dir = new URL('../../examples/schedules/', import.meta.url);
const example = () =>
  parse(readFileSync(new URL('nightly.yaml', dir), 'utf8')) as { spec: Record<string, unknown> };
const messages = (value: unknown) => {
  const r = validateScheduleDocument(value);
  return r.ok ? [] : r.errors.map(formatSpecError);
};

describe('validateScheduleDocument', () => {
  test('every example schedule validates and gets its defaults', () => {
    const files = readdirSync(dir).filter((n) => n.endsWith('.yaml'));
    assert.ok(files.length > 0);
    for (const name of files) {
      const r = validateScheduleDocument(parse(readFileSync(new URL(name, dir), 'utf8')));
      assert.ok(r.ok, r.ok ? '' : r.errors.map(formatSpecError).join('\n'));
      assert.equal(r.document.spec.startingDeadlineSeconds, 300);
      assert.equal(r.document.spec.template.spec.series.regions, 3);
    }
  });

  test('the template is validated as an experiment, paths under spec.template.spec', () => {
    const doc = example();
    const t = (doc.spec.template as { spec: Record<string, unknown> }).spec;
    t.scale = 3;
    (t.arms as { pull: Record<string, unknown> }).pull.scrapeTimeoutSeconds = 9;
    assert.deepEqual(messages(doc), [
      'spec.template.spec.scale: 3 is too large; allowed: a number greater than 0 and at most 1',
      'spec.template.spec.arms.pull.scrapeTimeoutSeconds: 9 exceeds scrapeIntervalSeconds (5); allowed: at most scrapeIntervalSeconds (Prometheus rejects a longer scrape_timeout)',
    ]);
  });

  test('a bad cron, a backwards range, an unknown zone and a date that never comes are named', () => {
    const with_ = (over: Record<string, unknown>) => {
      const doc = example();
      Object.assign(doc.spec, over);
      return messages(doc);
    };
    assert.match(
      with_({ schedule: '61 * * * *' })[0]!,
      /^spec\.schedule: "61 \* \* \* \*" is not allowed; allowed: /,
    );
    assert.deepEqual(with_({ schedule: '30-10 * * * *' }), [
      'spec.schedule: field 1 (minute) "30-10": the range 30-10 runs backwards',
    ]);
    assert.match(
      with_({ timeZone: 'Europe/Lodnon' })[0]!,
      /spec\.timeZone: "Europe\/Lodnon" is not allowed; .*\(did you mean Europe\/London\?\)/,
    );
    assert.deepEqual(with_({ schedule: '0 0 30 2 *' }), [
      'spec.schedule: "0 0 30 2 *" never fires (no such date); allowed: an expression that matches a real day',
    ]);
  });

  test('the schedule name leaves room for the tick suffix', () => {
    const doc = example() as { metadata: { name: string } };
    doc.metadata.name = 'a'.repeat(40);
    assert.match(messages(doc)[0]!, /^metadata\.name: "a{40}" is 40 characters long; allowed: /);
  });
});

describe('schedule files through the spec loader (pushpull validate)', () => {
  test('errors carry file positions, and a long enumeration is summed up', () => {
    const text = readFileSync(new URL('nightly.yaml', dir), 'utf8')
      .replace('"0 2 * * mon-fri"', '"30-10 2 * * mon-fri"')
      .replace('America/New_York', 'America/New_Yrok');
    const r = parseSpecText(text, 'nightly.yaml', validateAnyDocument);
    assert.equal(r.ok, false);
    assert.deepEqual(r.ok ? [] : r.errors.map(formatSpecError), [
      'nightly.yaml:8:13: spec.schedule: field 1 (minute) "30-10": the range 30-10 runs backwards',
      'nightly.yaml:9:13: spec.timeZone: "America/New_Yrok" is not allowed; allowed: one of 419 values such as UTC, Africa/Abidjan, Africa/Accra (did you mean America/New_York?)',
    ]);
  });

  test('an experiment file still validates as an experiment', () => {
    const text = readFileSync(new URL('../../examples/quick.yaml', import.meta.url), 'utf8');
    const r = parseSpecText(text, 'quick.yaml', validateAnyDocument);
    assert.ok(r.ok && r.document.kind === 'PushPullExperiment');
  });
});
