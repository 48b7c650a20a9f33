import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandLine } from './bench.ts';

test('the recorded command is the one typed, quoted only where a shell needs it', () => {
  assert.equal(
    commandLine(['bench', 'emit', '--arms', 'pull,statsd', '--seconds', '5']),
    'pushpull bench emit --arms pull,statsd --seconds 5',
  );
  assert.equal(
    commandLine(['bench', 'emit', '--spec', "my spec's.yaml"]),
    "pushpull bench emit --spec 'my spec'\\''s.yaml'",
  );
});
