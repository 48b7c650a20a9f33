import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiErrorOf, apiErrorOfStatus } from './api-error.ts';
import { decodeWatchEvent, LineSplitter, MAX_LINE_CHARS } from './watch-events.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('LineSplitter', () => {
  it('returns whole lines however the chunks split them', () => {
    const text = '{"a":1}\n{"b":2}\n{"c":3}\n';
    const all = bytes(text);
    for (let size = 1; size <= all.length; size++) {
      const s = new LineSplitter();
      const lines: string[] = [];
      for (let i = 0; i < all.length; i += size) lines.push(...s.push(all.subarray(i, i + size)));
      lines.push(...s.end());
      assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}'], `chunk size ${size}`);
    }
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const all = bytes('{"m":"Zürich €"}\n');
    const s = new LineSplitter();
    const lines: string[] = [];
    for (const b of all) lines.push(...s.push(Uint8Array.of(b)));
    assert.deepEqual(lines, ['{"m":"Zürich €"}']);
  });

  it('returns a last line without a newline at the end', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push(bytes('one\ntw')), ['one']);
    assert.deepEqual(s.end(), ['tw']);
    assert.deepEqual(s.end(), []);
  });

  it('refuses a line that never ends', () => {
    const s = new LineSplitter();
    const chunk = bytes('x'.repeat(1024 * 1024));
    assert.throws(() => {
      for (let i = 0; i <= MAX_LINE_CHARS / chunk.length; i++) s.push(chunk);
    }, /passed \d+ characters without a newline/);
  });
});

describe('decodeWatchEvent', () => {
  it('decodes an event', () => {
    const e = decodeWatchEvent('{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"p"}}}');
    assert.equal(e.type, 'MODIFIED');
    assert.equal(e.object.metadata.name, 'p');
  });

  it('throws on a line that is not an event', () => {
    assert.throws(() => decodeWatchEvent('{"type":'), /watch: an event is not JSON/);
    assert.throws(() => decodeWatchEvent('{"type":"UPSERT","object":{}}'), /unknown event type "UPSERT"/);
    assert.throws(() => decodeWatchEvent('{"type":"ADDED"}'), /a ADDED event has no object/);
  });
});

describe('apiErrorOf', () => {
  it('takes reason and message from a Status body', () => {
    const err = apiErrorOf(
      'GET /api/v1/pods',
      403,
      '{"kind":"Status","status":"Failure","message":"pods is forbidden","reason":"Forbidden","code":403}',
    );
    assert.equal(err.statusCode, 403);
    assert.equal(err.reason, 'Forbidden');
    assert.equal(err.message, 'GET /api/v1/pods: 403 Forbidden: pods is forbidden');
  });

  it('keeps a body that is not JSON', () => {
    const err = apiErrorOf('GET /x', 502, 'bad gateway');
    assert.equal(err.reason, 'Unknown');
    assert.equal(err.message, 'GET /x: 502 Unknown: bad gateway');
  });

  it('reads the code of a watch ERROR event', () => {
    const err = apiErrorOfStatus('WATCH /api/v1/pods', {
      code: 410,
      reason: 'Expired',
      message: 'too old resource version: 1 (42)',
    });
    assert.equal(err.statusCode, 410);
    assert.equal(err.reason, 'Expired');
  });
});
