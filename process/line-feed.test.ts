import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineFeed } from './line-feed.ts';

describe('LineFeed', () => {
  it('cuts chunks into lines, joining a line split across chunks', () => {
    const seen: string[] = [];
    const feed = new LineFeed((l) => seen.push(l));
    feed.push('{"a":1}\n{"b"');
    feed.push(':2}\npartial');
    assert.deepEqual(seen, ['{"a":1}', '{"b":2}']);
  });

  it('replays the lines printed before a listener came, then feeds it live ones', () => {
    const feed = new LineFeed();
    feed.push('early\n');
    const heard: string[] = [];
    const stop = feed.listen((l) => heard.push(l));
    feed.push('late\n');
    stop();
    feed.push('after\n');
    assert.deepEqual(heard, ['early', 'late']);
  });

  it('remembers nothing once told to forget (the child is ready)', () => {
    const feed = new LineFeed();
    feed.push('before\n');
    feed.forget();
    const heard: string[] = [];
    feed.listen((l) => heard.push(l));
    feed.push('live\n');
    assert.deepEqual(heard, ['live']);
  });
});
