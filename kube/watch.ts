/**
 * One watch stream over the client's keep-alive pool (http.ts): a streaming GET (`?watch=true`, built
 * by client.ts), decoded line by line (watch-events.ts) into callbacks. client.ts calls it for
 * every watch of the API; the operator's manager re-lists and watches again whenever a watch ends.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, apiErrorOf, apiErrorOfStatus } from './api-error.ts';
import type { ClientCertificate, HttpPool } from './http.ts';
import type { KubeObject } from './objects.ts';
import { decodeWatchEvent, LineSplitter, type WatchEventType } from './watch-events.ts';

export interface StreamWatchOptions {
  pool: HttpPool;
  /** The full watch URL, query included. */
  url: URL;
  headers: Record<string, string>;
  clientCertificate?: ClientCertificate;
  /** No response headers by then: the watch fails to start. */
  headersTimeoutMs: number;
  /**
   * No bytes for this long: the connection is presumed dead and the watch ends with an error. The API
   * server sends a BOOKMARK about every minute to a watch that allows them, so a healthy quiet watch
   * never gets here.
   */
  idleTimeoutMs: number;
  /** ADDED, MODIFIED, DELETED, BOOKMARK. An ERROR event is not passed here: it ends the watch. */
  onEvent(type: WatchEventType, obj: KubeObject): void;
  /**
   * Called once when the watch ends: undefined when the server closed it or `stop()` was called;
   * an ApiError for an ERROR event (410 Expired: the resourceVersion is too old, list again); the
   * network or decoding error otherwise.
   */
  onDone(err: unknown): void;
}

/**
 * Opens the watch. Resolves once the server answered 200 (then events flow until `stop()` or the
 * end); rejects with an ApiError when the server refuses it (status and message) or cannot be reached.
 */
export async function streamWatch(o: StreamWatchOptions): Promise<{ stop(): void }> {
  const controller = new AbortController();
  const what = `WATCH ${o.url.pathname}`;
  let res: IncomingMessage;
  try {
    res = await o.pool.stream({
      url: o.url,
      headers: o.headers,
      headersTimeoutMs: o.headersTimeoutMs,
      idleTimeoutMs: o.idleTimeoutMs,
      signal: controller.signal,
      ...(o.clientCertificate ? { clientCertificate: o.clientCertificate } : {}),
    });
  } catch (err) {
    throw new ApiError(0, 'NetworkError', `${what}: ${(err as Error).message}`);
  }
  if (res.statusCode !== 200) {
    const chunks: Buffer[] = [];
    try {
      for await (const c of res) chunks.push(c as Buffer);
    } catch {
      // keep what arrived
    }
    throw apiErrorOf(what, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
  }

  let ended = false;
  let stopped = false;
  const end = (err: unknown) => {
    if (ended) return;
    ended = true;
    controller.abort();
    o.onDone(err);
  };
  void (async () => {
    const lines = new LineSplitter();
    const handle = (line: string): boolean => {
      if (line.trim() === '') return true;
      const e = decodeWatchEvent(line);
      if (e.type === 'ERROR') {
        end(apiErrorOfStatus(`${what}: ERROR event`, e.object as { code?: unknown }));
        return false;
      }
      o.onEvent(e.type, e.object);
      return true;
    };
    try {
      for await (const chunk of res) {
        for (const line of lines.push(chunk as Buffer)) if (!handle(line)) return;
        if (ended) return;
      }
      for (const line of lines.end()) if (!handle(line)) return;
      end(undefined);
    } catch (err) {
      end(stopped ? undefined : err);
    }
  })();
  return {
    stop() {
      stopped = true;
      end(undefined);
    },
  };
}
