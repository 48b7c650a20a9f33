import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadSpecFile, parseSpecText, SpecFileUnreadableError } from './load.ts';
import { formatSpecError } from './validate.ts';

const VALID = `apiVersion: pushpull.dev/v1alpha1
kind: PushPullExperiment
metadata:
  name: tiny
spec:
  fleet: {}
  load:
    phases:
      - { name: open, durationSeconds: 10, eventsPerSecond: 100, symbols: 1 }
  arms:
    pull: {}
`;

const dir = mkdtempSync(join(tmpdir(), 'pushpull-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a valid file comes back defaulted', async () => {
  const path = join(dir, 'tiny.yaml');
  writeFileSync(path, VALID);
  const result = await loadSpecFile(path);
  assert.ok(result.ok);
  assert.equal(result.document.metadata.name, 'tiny');
  assert.equal(result.document.spec.arms.pull?.scrapeIntervalSeconds, 5);
});

test('a YAML syntax error names the file, the line and the column', () => {
  const result = parseSpecText(
    'apiVersion: pushpull.dev/v1alpha1\nkind: [PushPullExperiment\nmetadata: {}\n',
    'broken.yaml',
  );
  assert.equal(result.ok, false);
  if (result.ok) return;
  const lines = result.errors.map(formatSpecError);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^broken\.yaml:3:1: YAML syntax error: /);
  assert.equal(result.errors[0]!.line, 3);
});

test('a validation error carries the line of the offending value', () => {
  const result = parseSpecText(VALID.replace('pull: {}', 'pull: { scrapeTimeoutSeconds: 9 }'), 'tiny.yaml');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.errors.map((e) => [e.line, e.column, e.path]),
    [[11, 35, 'spec.arms.pull.scrapeTimeoutSeconds']],
  );
});

test('errors come in file order', () => {
  const text = VALID.replace('name: tiny', 'name: Tiny').replace('fleet: {}', 'fleet: { producers: 0 }');
  const result = parseSpecText(text, 't.yaml');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.errors.map((e) => e.line),
    [4, 6],
  );
});

test('a second document is an error that points at it', () => {
  const result = parseSpecText(`${VALID}---\n${VALID}`, 'two.yaml');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0]!.message, /holds 2 YAML documents/);
  assert.equal(result.errors[0]!.line, 12, 'the second --- marker');
});

test('a leading document marker and a trailing empty document are fine', () => {
  assert.ok(parseSpecText(`---\n${VALID}---\n`, 'marked.yaml').ok);
});

test('an unreadable file rejects with a message naming it and the reason', async () => {
  await assert.rejects(loadSpecFile(join(dir, 'missing.yaml')), (err: unknown) => {
    assert.ok(err instanceof SpecFileUnreadableError);
    assert.equal(err.message, `cannot read ${join(dir, 'missing.yaml')}: no such file`);
    return true;
  });
  await assert.rejects(loadSpecFile(dir), /it is a directory; name a YAML file/);
});
