/**
 * streamWatch against a scripted HTTP server on 127.0.0.1: events split across writes, the end of the
 * stream, an ERROR event (410 Expired), a refused watch, stop() and a silent connection.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiError } from './api-error.ts';
import { createHttpPool, type HttpPool } from './http.ts';
import type { KubeObject } from './objects.ts';
import { streamWatch } from './watch.ts';
import type { WatchEventType } from './watch-events.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let server: Server;
let base: string;
let pool: HttpPool;
const closed: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    req.socket.once('close', () => closed.push(req.url ?? ''));
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = createHttpPool(base, { rejectUnauthorized: true });
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  pool.close();
});

const event = (type: string, name: string) =>
  `${JSON.stringify({ type, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, resourceVersion: '7' } } })}\n`;

/** Opens a watch on `path` and collects what it reports. */
async function watch(path: string, idleTimeoutMs = 10_000) {
  const events: Array<[WatchEventType, string]> = [];
  let resolveDone: (err: unknown) => void = () => {};
  const done = new Promise<unknown>((r) => {
    resolveDone = r;
  });
  let doneCalls = 0;
  const w = await streamWatch({
    pool,
    url: new URL(base + path),
    headers: { Accept: 'application/json' },
    headersTimeoutMs: 10_000,
    idleTimeoutMs,
    onEvent: (type, obj: KubeObject) => events.push([type, obj.metadata.name]),
    onDone: (err) => {
      doneCalls++;
      resolveDone(err);
    },
  });
  return { w, events, done, doneCalls: () => doneCalls };
}

describe('streamWatch', () => {
  it('delivers events split across writes, in order, then reports the end of the stream', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const text =
        event('ADDED', 'a') + event('MODIFIED', 'b') + event('BOOKMARK', '') + event('DELETED', 'a');
      // Write in 7-byte pieces so lines (and JSON) are cut everywhere.
      for (let i = 0; i < text.length; i += 7) res.write(text.slice(i, i + 7));
      res.end();
    };
    const { events, done, doneCalls } = await watch('/split');
    assert.equal(await done, undefined);
    assert.deepEqual(events, [
      ['ADDED', 'a'],
      ['MODIFIED', 'b'],
      ['BOOKMARK', ''],
      ['DELETED', 'a'],
    ]);
    assert.equal(doneCalls(), 1);
  });

  it('ends with the ERROR event as an ApiError (410 Expired: list again)', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(event('ADDED', 'a'));
      res.write(
        `${JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            status: 'Failure',
            message: 'too old resource version: 1 (9)',
            reason: 'Expired',
            code: 410,
          },
        })}\n`,
      );
      // Keeps the response open: the client, not the server, must end it.
    };
    const { events, done } = await watch('/expired');
    const err = await done;
    assert.ok(err instanceof ApiError);
    assert.equal(err.statusCode, 410);
    assert.equal(err.reason, 'Expired');
    assert.match(err.message, /too old resource version/);
    assert.deepEqual(events, [['ADDED', 'a']]);
  });

  it('rejects a refused watch with the status and message', async () => {
    handler = (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          message: 'pods is forbidden: User "x" cannot watch',
          reason: 'Forbidden',
          code: 403,
        }),
      );
    };
    await assert.rejects(watch('/forbidden'), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.statusCode, 403);
      assert.match(err.message, /^WATCH \/forbidden: 403 Forbidden: pods is forbidden/);
      return true;
    });
  });

  it('closes the connection on stop() and reports the end once', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(event('ADDED', 'a'));
    };
    const { w, done, doneCalls } = await watch('/stop');
    w.stop();
    w.stop();
    assert.equal(await done, undefined);
    assert.equal(doneCalls(), 1);
    for (let i = 0; i < 200 && !closed.includes('/stop'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(closed.includes('/stop'), 'the server saw the connection close');
  });

  it('ends a watch whose connection goes silent', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(event('ADDED', 'a'));
    };
    const { done } = await watch('/silent', 300);
    const err = await done;
    assert.ok(err instanceof Error);
    assert.match(err.message, /timeout/i);
  });

  it('ends with an error when the connection breaks mid-stream', async () => {
    handler = (req, res) => {
      res.writeHead(200);
      res.write(event('ADDED', 'a'));
      setTimeout(() => req.socket.destroy(), 20);
    };
    const { events, done } = await watch('/broken');
    assert.ok((await done) instanceof Error);
    assert.deepEqual(events, [['ADDED', 'a']]);
  });

  it('ends with an error on a line that is not an event', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('<html>proxy error</html>\n');
    };
    const { done } = await watch('/garbage');
    assert.match(String(await done), /watch: an event is not JSON/);
  });
});
