/**
 * The client's connection pool: one keep-alive node:https (or node:http) Agent to the API server, a
 * request that returns the whole body, and a streaming GET for watches. Built on Node's own HTTP
 * client rather than undici: with undici the operator's RSS was ~115 MB higher (28 MB at import, the
 * rest V8's young generation growing under its allocations; docs/benchmarks.md, "operator"), against
 * a 150 MB budget. kube/client.ts and kube/watch.ts use it.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { TlsOptions } from './credentials.ts';

/**
 * A client certificate for one request (from an exec plugin, which may rotate it). The agent keeps a
 * separate set of sockets per certificate, so a new one is used from the next connection on.
 */
export interface ClientCertificate {
  cert: Buffer;
  key: Buffer;
}

/** One request and its whole answer. */
export interface PoolRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  clientCertificate?: ClientCertificate;
}

/** A streaming GET (a watch): resolves when the headers arrived. */
export interface PoolStream {
  url: URL;
  headers: Record<string, string>;
  /** No response headers by then: fails. */
  headersTimeoutMs: number;
  /** No byte for this long once streaming: the response is destroyed with an error. */
  idleTimeoutMs: number;
  /** Aborting destroys the request and the response. */
  signal: AbortSignal;
  clientCertificate?: ClientCertificate;
}

export interface HttpPool {
  request(r: PoolRequest): Promise<{ status: number; text: string }>;
  stream(s: PoolStream): Promise<http.IncomingMessage>;
  /** Destroys every socket: requests in flight fail, streams end. */
  close(): void;
}

/** Free keep-alive sockets close after this long (below the API server's own idle timeout). */
const FREE_SOCKET_TIMEOUT_MS = 30_000;

/** A pool for `server` (https:// with `tls`, or http://), at most `maxSockets` connections. */
export function createHttpPool(server: string, tls: TlsOptions, maxSockets = 16): HttpPool {
  const secure = new URL(server).protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets, timeout: FREE_SOCKET_TIMEOUT_MS, ...tls })
    : new http.Agent({ keepAlive: true, maxSockets, timeout: FREE_SOCKET_TIMEOUT_MS });
  const send = secure ? https.request : http.request;
  const identity = (c: ClientCertificate | undefined) => (secure && c ? { cert: c.cert, key: c.key } : {});

  return {
    request(r) {
      return new Promise((resolve, reject) => {
        const headers = { ...r.headers };
        if (r.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(r.body));
        const req = send(r.url, { method: r.method, headers, agent, ...identity(r.clientCertificate) });
        let settled = false;
        const settle = (err: Error | undefined, value?: { status: number; text: string }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) {
            req.destroy();
            reject(err);
          } else resolve(value!);
        };
        const timer = setTimeout(
          () => settle(new Error(`no complete answer within ${r.timeoutMs} ms`)),
          r.timeoutMs,
        );
        req.on('error', (err) => settle(err));
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            settle(undefined, { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          // The connection broke mid-answer.
          res.on('error', (err) => settle(err));
          res.on('close', () => settle(new Error('the connection closed before the answer was complete')));
        });
        req.end(r.body);
      });
    },
    stream(s) {
      return new Promise((resolve, reject) => {
        const req = send(s.url, {
          method: 'GET',
          headers: s.headers,
          agent,
          signal: s.signal,
          ...identity(s.clientCertificate),
        });
        req.setTimeout(s.headersTimeoutMs, () =>
          req.destroy(new Error(`no response headers within ${s.headersTimeoutMs} ms`)),
        );
        req.on('error', reject);
        req.on('response', (res) => {
          // Destroying the response (not the request) makes its reader see this error.
          req.setTimeout(s.idleTimeoutMs, () =>
            res.destroy(new Error(`no data for ${s.idleTimeoutMs / 1000} s (idle timeout)`)),
          );
          resolve(res);
        });
        req.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}
