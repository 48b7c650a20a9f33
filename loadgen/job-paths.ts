/**
 * How a short-lived job reports its events, one reporter per path of `spec.jobs[].path`; loadgen/job.ts
 * drives them. Every path carries the one counter `pushpull_job_events_total{batch}` (StatsD:
 * `pushpull_job_events`, OTLP: the counter `pushpull_job_events`), with the job's instance beside it, so
 * the report reads every path with the same query:
 * - pull-direct: a prom-client registry served at `/metrics` while the job lives (the subject
 *   Prometheus lists the job's address as a target; the job is scraped only if a scrape falls in its life);
 * - pushgateway: the same registry PUT to `/metrics/job/<job>/instance/<instance>` on exit (a stable
 *   grouping key: a job run again replaces its own group), scraped with honor_labels;
 * - statsd: a hot-shots client (buffered), flushed and closed on exit;
 * - otlp: a MeterProvider whose shutdown() makes the final export.
 */
import { createServer, type Server } from 'node:http';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExperimentSpec, JobPath } from '../api/v1alpha1/schema.ts';
import type { HostPort } from './address.ts';
import { closeServer, listen } from './http-server.ts';
import type { JobLedger } from './job-ledger.ts';

/** The counter every path reports (StatsD and OTLP without the `_total`, which their collectors add). */
export const JOB_EVENTS_METRIC = 'pushpull_job_events';
/** `service.name` of the OTLP jobs: the `job` label their series get from otelcol's exporter. */
export const OTLP_JOB_SERVICE = 'pushpull-job';

/** Where the job's path goes. */
export interface JobTargets {
  /** pull-direct: where to serve /metrics. */
  metricsListen?: HostPort;
  /** pushgateway: its base URL, e.g. http://127.0.0.1:9091. */
  pushgatewayUrl?: string;
  /** statsd: statsd_exporter's UDP address. */
  statsd?: HostPort;
  /** otlp: the collector URL (gRPC or HTTP per spec.arms.otlp.protocol). */
  otlpEndpoint?: string;
}

/** One job's path. */
export interface JobReporter {
  /** Records `n` events. */
  record(n: number): void;
  /** Opens what the path needs to be live (pull-direct: the server). Resolves to the metrics port, if any. */
  start(): Promise<number | null>;
  /** Ends the job's life on this path: serve no more / push / flush / final export. Never throws. */
  finish(): Promise<void>;
}

interface ReporterContext {
  spec: ExperimentSpec;
  path: JobPath;
  batch: string;
  jobName: string;
  instance: string;
  ledger: JobLedger;
  targets: JobTargets;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Builds the reporter of the job's path; throws a RangeError naming the missing flag. */
export async function createJobReporter(ctx: ReporterContext): Promise<JobReporter> {
  switch (ctx.path) {
    case 'pull-direct':
    case 'pushgateway':
      return promReporter(ctx);
    case 'statsd':
      return statsdReporter(ctx);
    case 'otlp':
      return otlpReporter(ctx);
  }
}

async function promReporter(ctx: ReporterContext): Promise<JobReporter> {
  const { Counter, Registry } = await import('prom-client');
  const registry = new Registry();
  const counter = new Counter({
    name: `${JOB_EVENTS_METRIC}_total`,
    help: 'Events a short-lived job generated.',
    labelNames: ['batch', 'job_instance'],
    registers: [registry],
  });
  const labels = { batch: ctx.batch, job_instance: ctx.instance };
  counter.inc(labels, 0);
  const { ledger } = ctx;
  if (ctx.path === 'pull-direct') {
    const listenAt = ctx.targets.metricsListen;
    if (!listenAt)
      throw new RangeError('--metrics-listen: required with path pull-direct; expected HOST:PORT');
    let server: Server | undefined;
    return {
      record: (n) => counter.inc(labels, n),
      async start() {
        server = createServer((req, res) => {
          if ((req.url ?? '/').split('?')[0] !== '/metrics') {
            res.writeHead(404).end();
            return;
          }
          void registry.metrics().then((body) => {
            ledger.scrapesServed++;
            res.writeHead(200, { 'content-type': registry.contentType });
            res.end(body);
          });
        });
        return listen(server, listenAt);
      },
      async finish() {
        if (server) await closeServer(server).catch((err) => ledger.errors.push(`close: ${message(err)}`));
      },
    };
  }
  const base = ctx.targets.pushgatewayUrl;
  if (!base) throw new RangeError('--pushgateway: required with path pushgateway; expected a URL');
  const url = `${base.replace(/\/$/, '')}/metrics/job/${encodeURIComponent(ctx.jobName)}/instance/${encodeURIComponent(ctx.instance)}`;
  return {
    record: (n) => counter.inc(labels, n),
    async start() {
      return null;
    },
    async finish() {
      try {
        // PUT replaces the whole group: the grouping key (job, instance) is stable, so a job run again
        // overwrites its own group and never adds to another's.
        const res = await fetch(url, {
          method: 'PUT',
          headers: { 'content-type': registry.contentType },
          body: await registry.metrics(),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.status >= 200 && res.status < 300) ledger.pushesOk++;
        else {
          ledger.pushesFailed++;
          ledger.errors.push(`PUT ${url}: HTTP ${res.status} ${(await res.text()).trim().slice(0, 200)}`);
        }
        await res.body?.cancel();
      } catch (err) {
        ledger.pushesFailed++;
        ledger.errors.push(`PUT ${url}: ${message(err)}`);
      }
    },
  };
}

async function statsdReporter(ctx: ReporterContext): Promise<JobReporter> {
  const target = ctx.targets.statsd;
  if (!target) throw new RangeError('--statsd: required with path statsd; expected HOST:PORT');
  const settings = ctx.spec.arms.statsd;
  const { default: StatsDClient } = await import('hot-shots');
  const { ledger } = ctx;
  const client = new StatsDClient({
    host: target.host,
    port: target.port,
    protocol: 'udp',
    maxBufferSize: settings?.maxBufferBytes ?? 1432,
    bufferFlushInterval: settings?.flushIntervalMs ?? 1000,
    closingFlushInterval: 50,
    errorHandler: () => {},
  });
  // Count at the transport, as the statsd arm does: a datagram is sent when the kernel accepted it.
  const transport = (
    client as unknown as { socket?: { send(b: Buffer, cb: (e?: Error | null) => void): void } }
  ).socket;
  let inFlight = 0;
  if (transport) {
    const send = transport.send.bind(transport);
    transport.send = (buf, cb) => {
      inFlight++;
      send(buf, (err) => {
        inFlight--;
        if (err) ledger.sendErrors++;
        else ledger.datagramsSent++;
        cb(err);
      });
    };
  } else ledger.errors.push('statsd: hot-shots created no UDP socket; datagrams are not counted');
  const tags = [`batch:${ctx.batch}`, `job_instance:${ctx.instance}`];
  return {
    record: (n) => client.increment(JOB_EVENTS_METRIC, n, tags),
    async start() {
      return null;
    },
    async finish() {
      await new Promise<void>((resolve) => client.close(() => resolve()));
      for (let i = 0; i < 500 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
      if (inFlight > 0) ledger.errors.push(`statsd: ${inFlight} datagrams had not reported back after 5 s`);
    },
  };
}

async function otlpReporter(ctx: ReporterContext): Promise<JobReporter> {
  const endpoint = ctx.targets.otlpEndpoint;
  if (!endpoint) throw new RangeError('--otlp-endpoint: required with path otlp; expected a URL');
  const settings = ctx.spec.arms.otlp;
  const protocol = settings?.protocol ?? 'grpc';
  const [{ otlpExporterUrl, countPoints }, sdk, { resourceFromAttributes }] = await Promise.all([
    import('./arms/otlp.ts'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/resources'),
  ]);
  const url = otlpExporterUrl(endpoint, protocol);
  const temporalityPreference =
    settings?.temporality === 'delta'
      ? sdk.AggregationTemporality.DELTA
      : sdk.AggregationTemporality.CUMULATIVE;
  const inner =
    protocol === 'grpc'
      ? new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter({
          url,
          temporalityPreference,
        })
      : new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter({
          url,
          temporalityPreference,
        });
  const { ledger } = ctx;
  const exporter: PushMetricExporter = {
    export(metrics: ResourceMetrics, done: Parameters<PushMetricExporter['export']>[1]) {
      const points = countPoints(metrics);
      inner.export(metrics, (result) => {
        if (result.code === 0) {
          ledger.exportsOk++;
          ledger.pointsExported += points;
        } else {
          ledger.exportsFailed++;
          ledger.errors.push(`export: ${result.error?.message ?? 'failed'}`);
        }
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    selectAggregationTemporality: inner.selectAggregationTemporality?.bind(inner),
  };
  const interval = settings?.exportIntervalMs ?? 5000;
  const provider = new sdk.MeterProvider({
    resource: resourceFromAttributes({
      'service.name': OTLP_JOB_SERVICE,
      'service.instance.id': ctx.instance,
    }),
    readers: [
      new sdk.PeriodicExportingMetricReader({
        exporter,
        exportIntervalMillis: interval,
        exportTimeoutMillis: Math.min(interval, 10_000),
      }),
    ],
  });
  const counter = provider.getMeter('pushpull-job').createCounter(JOB_EVENTS_METRIC, {
    description: 'Events a short-lived job generated.',
  });
  const attributes = { batch: ctx.batch, job_instance: ctx.instance };
  return {
    record: (n) => counter.add(n, attributes),
    async start() {
      return null;
    },
    async finish() {
      // shutdown() collects and exports one last time: the SDK's flush at exit.
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000).unref());
      const result = await Promise.race([provider.shutdown().then(() => 'ok' as const), timeout]).catch(
        (err) => {
          ledger.errors.push(`shutdown: ${message(err)}`);
          return 'error' as const;
        },
      );
      if (result === 'timeout') ledger.errors.push('shutdown: the final export did not finish within 15 s');
    },
  };
}
