/**
 * The producer's rig endpoint, separate from the /metrics under test so the rig's books never mix with the
 * subject's data and survive a subject overwhelmed by the burst:
 *   GET  /healthz  -> 200 {"ok":true, "armed":..., "stage":..., "phase":...}
 *   GET  /ledger   -> 200 the ledger document (loadgen/ledger.ts)
 *   POST /start    {"startAt":"<RFC 3339>"} -> 200 {"startAt":...}; 400 on a bad body; 409 when already armed
 *                  with another instant (the same instant again is a no-op, so a runner may retry).
 *   POST /hang     {"seconds":N} -> 202, then the producer's event loop blocks for N seconds (a game day's
 *                  hung producer; loadgen/hang.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HostPort } from './address.ts';
import { closeServer, listen, readBody, sendJson } from './http-server.ts';
import type { LedgerDocument } from './ledger.ts';

/** What the rig server asks of the producer. */
export interface RigHandlers {
  health(): { armed: boolean; stage: string; phase: string | null };
  ledger(): LedgerDocument;
  /** Arms the schedule; returns the armed instant (ISO) or throws RangeError (400) / a conflict (409). */
  start(startAt: string): string;
  /** Blocks the producer's event loop for `seconds`, after the answer is sent. */
  hang(seconds: number): void;
}

/** Thrown by `start` when the producer is armed with a different instant. */
export class StartConflictError extends Error {}

/** A started rig server. */
export interface RigServer {
  port: number;
  close(): Promise<void>;
}

async function handle(h: RigHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true, ...h.health() });
  if (req.method === 'GET' && path === '/ledger') return sendJson(res, 200, h.ledger());
  if (req.method === 'POST' && path === '/start') {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, { error: 'body: not JSON; expected {"startAt":"<RFC 3339 instant>"}' });
    }
    const startAt = (body as { startAt?: unknown } | null)?.startAt;
    if (typeof startAt !== 'string') {
      return sendJson(res, 400, {
        error: `startAt: ${JSON.stringify(startAt)} is not allowed; expected an RFC 3339 string`,
      });
    }
    try {
      return sendJson(res, 200, { startAt: h.start(startAt) });
    } catch (err) {
      if (err instanceof StartConflictError) return sendJson(res, 409, { error: err.message });
      if (err instanceof RangeError) return sendJson(res, 400, { error: err.message });
      throw err;
    }
  }
  if (req.method === 'POST' && path === '/hang') {
    let seconds: unknown;
    try {
      seconds = (JSON.parse(await readBody(req)) as { seconds?: unknown } | null)?.seconds;
    } catch {
      seconds = undefined;
    }
    if (typeof seconds !== 'number' || !(seconds > 0) || seconds > 86_400) {
      return sendJson(res, 400, {
        error: `seconds: ${JSON.stringify(seconds)} is not allowed; expected a number of seconds, more than 0 and at most 86400`,
      });
    }
    sendJson(res, 202, { hangingForSeconds: seconds });
    h.hang(seconds);
    return;
  }
  return sendJson(res, 404, {
    error: `no route ${req.method} ${path}; try GET /healthz, GET /ledger, POST /start, POST /hang`,
  });
}

/** Starts the rig server on `address` (--rig-listen). */
export async function startRigServer(address: HostPort, handlers: RigHandlers): Promise<RigServer> {
  const server: Server = createServer((req, res) => {
    handle(handlers, req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: err.message });
      else res.destroy(err);
    });
  });
  const port = await listen(server, address);
  return { port, close: () => closeServer(server) };
}
