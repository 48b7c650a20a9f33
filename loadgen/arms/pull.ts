/**
 * Pull arm: each virtual producer is its own scrape target with its own prom-client Registry, all served by
 * ONE HTTP server per process at `/targets/<producerId>/metrics` (the Prometheus config lists one target per
 * producer with that metrics_path). `GET /targets` lists the paths. Bodies are uncompressed, as a plain
 * prom-client server sends them, so the body size Prometheus limits is the size on the wire. The ledger
 * counts scrapes served and body bytes per target.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HostPort } from '../address.ts';
import { closeServer, listen, sendJson } from '../http-server.ts';
import type { Arm, ArmContext, ArmEndpoints } from './arm.ts';
import { createPullTarget, type PullTarget, pullLabelTables } from './pull-target.ts';

/** The path a target is served at. */
export function targetPath(producerId: string): string {
  return `/targets/${producerId}/metrics`;
}

/** Creates the pull arm; `listenAt` is --metrics-listen. */
export function createPullArm(ctx: ArmContext, listenAt: HostPort): Arm {
  const series = ctx.spec.series;
  const tables = pullLabelTables(series, ctx.vocabulary);
  const targets: PullTarget[] = ctx.producerIds.map(() => createPullTarget(series, tables, ctx.buckets));
  const byPath = new Map<string, number>(ctx.producerIds.map((id, i) => [targetPath(id), i]));
  let server: Server | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'only GET' });
    if (path === '/targets') return sendJson(res, 200, { targets: ctx.producerIds.map(targetPath) });
    const i = byPath.get(path);
    if (i === undefined)
      return sendJson(res, 404, { error: `no target at ${path}; GET /targets lists them` });
    const target = targets[i]!;
    const body = await target.registry.metrics();
    const bytes = Buffer.byteLength(body);
    const ledger = ctx.ledgers[i]!;
    ledger.scrapesServed++;
    ledger.bytesSent += bytes;
    ledger.lastBodyBytes = bytes;
    res.writeHead(200, { 'content-type': target.registry.contentType, 'content-length': bytes });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return {
    sinks: targets.map((target, i) => {
      const ledger = ctx.ledgers[i]!;
      return {
        record(event) {
          target.record(event);
          ledger.metricUpdates += 2;
        },
      };
    }),
    mode: 'scrape',
    async start(): Promise<ArmEndpoints> {
      server = createServer((req, res) => {
        handle(req, res).catch((err: Error) => {
          if (!res.headersSent) sendJson(res, 500, { error: err.message });
          else res.destroy(err);
        });
      });
      // Scrapes of a 240 KB body on a busy producer can be slow; never let Node's defaults cut them short.
      server.requestTimeout = 0;
      server.keepAliveTimeout = 65_000;
      return { metricsPort: await listen(server, listenAt) };
    },
    declareSymbols(symbols) {
      for (const t of targets) t.declareSymbols(symbols);
    },
    async flush() {},
    async shutdown() {
      if (server) await closeServer(server);
    },
  };
}
