/**
 * The connection pool against a scripted HTTP server on 127.0.0.1: whole answers, request bodies,
 * keep-alive reuse and the request timeout.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpPool, type HttpPool } from './http.ts';

let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
let server: Server;
let base: string;
let pool: HttpPool;
let connections = 0;

before(async () => {
  server = createServer((req, res) => handler(req, res));
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = createHttpPool(base, { rejectUnauthorized: true });
});

after(async () => {
  pool.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('createHttpPool', () => {
  it('sends the body with its length and returns the whole answer', async () => {
    handler = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            method: req.method,
            length: req.headers['content-length'],
            type: req.headers['content-type'],
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
    };
    const body = JSON.stringify({ name: 'Zürich' });
    const res = await pool.request({
      method: 'PATCH',
      url: new URL(`${base}/x`),
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body,
      timeoutMs: 5000,
    });
    assert.equal(res.status, 201);
    assert.deepEqual(JSON.parse(res.text), {
      method: 'PATCH',
      length: String(Buffer.byteLength(body)),
      type: 'application/merge-patch+json',
      body,
    });
  });

  it('reuses one keep-alive connection for requests in sequence', async () => {
    handler = (_req, res) => res.end('ok');
    const before = connections;
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await pool.request({ method: 'GET', url: new URL(`${base}/k`), headers: {}, timeoutMs: 5000 })).text,
        'ok',
      );
    assert.ok(connections - before <= 1, `${connections - before} new connections`);
  });

  it('fails a request whose connection breaks mid-answer', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial');
      setTimeout(() => req.socket.destroy(), 20);
    };
    await assert.rejects(
      pool.request({ method: 'GET', url: new URL(`${base}/broken`), headers: {}, timeoutMs: 5000 }),
    );
  });

  it('fails a request that gets no complete answer in time', async () => {
    handler = (_req, res) => res.writeHead(200); // headers, never a body end
    await assert.rejects(
      pool.request({ method: 'GET', url: new URL(`${base}/slow`), headers: {}, timeoutMs: 200 }),
      /no complete answer within 200 ms/,
    );
  });
});
