/**
 * Starts the real collectors of the local runtime on 127.0.0.1, for `pushpull run` (the runner) and the
 * integration tests: the subject Prometheus, statsd_exporter (statsd arm), otelcol (otlp arm), the kernel
 * UDP counter exporter (`pushpull udp-counters`, in this — the collectors' — network namespace) and the rig
 * Prometheus that records the rig's own signals apart from the subject.
 *
 * Pull targets are known only once the producers are up, so the subject Prometheus starts first with the
 * targets known so far (often none) and `setPullTargets()` re-renders its config and reloads it
 * (POST /-/reload; `--web.enable-lifecycle`), then waits until Prometheus lists exactly those targets.
 * Starting it early means a broken Prometheus fails before any load runs and its self metrics cover the
 * whole run. `--scrape.discovery-reload-interval=1s` (a hidden flag; default 5 s) only shortens how long a
 * changed target list takes to apply; it does not touch scrape timing.
 *
 * Layout under outDir: `collectors/*.yml|yaml` (rendered configs), `collectors/data/{subject,rig}/` (TSDBs),
 * `logs/<name>.log` (every collector's output, kept as evidence).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectorBudget, usesPushgateway } from '../api/v1alpha1/derived.ts';
import type { CollectorName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { SUBJECT_JOBS } from '../collectors/jobs.ts';
import { renderLivenessRules, renderStatsdMapping } from '../collectors/liveness.ts';
import { otelcolMemorySettings, renderOtelcolConfig } from '../collectors/otelcol-config.ts';
import { inNamespace } from '../netfault/plan.ts';
import { pollUntil, WaitError } from '../process/poll.ts';
import { freePorts, freeUdpPort } from '../process/ports.ts';
import { settleStarts } from '../process/settle-starts.ts';
import type { ChildHandle, StartSpec, Supervisor } from '../process/supervisor.ts';
import type { CollectorTools } from '../tools/locate.ts';
import { joinCgroupAtStart } from './cgroups.ts';
import {
  type JobTarget,
  type PullTarget,
  renderRigPrometheusConfig,
  renderSubjectPrometheusConfig,
} from './render-prometheus.ts';

const LOOPBACK = '127.0.0.1';
const PUSHPULL_BIN = new URL('../bin/pushpull.js', import.meta.url).pathname;

export interface StartCollectorsOptions {
  /** `metadata.name`: the `experiment` label. */
  experiment: string;
  /** The validated spec (defaults applied). */
  spec: ExperimentSpec;
  /** The run's output directory; configs, data and logs go under it. */
  outDir: string;
  /** From `locateTools()`. */
  tools: CollectorTools;
  /** Shared with the producers, so one `stopAll()` ends everything. */
  supervisor: Supervisor;
  /** Pull targets already known (e.g. when the runner chose the producers' ports). Default none. */
  pullTargets?: readonly PullTarget[];
  /** Per collector; default 60 000 ms (Prometheus replays a WAL at start, otelcol is slow on 2 cores). */
  readyTimeoutMs?: number;
  /** otelcol's memory_limiter; see collectors/otelcol-config.ts. */
  otelcolMemoryLimitMiB?: number;
  /**
   * The `cgroup.procs` files each collector under test joins before it execs (local/cgroups.ts); a
   * collector without any runs where the rig runs.
   */
  cgroupProcsFiles?: (collector: CollectorName) => readonly string[] | undefined;
  /** The short-lived jobs of path pull-direct, with the addresses they will serve on (local/short-lived-jobs.ts). */
  jobTargets?: readonly JobTarget[];
  /** Scrape interval of the rig Prometheus, seconds (default 1). */
  rigScrapeIntervalSeconds?: number;
  /**
   * The collectors' own network namespace (netfault/): every collector runs in it, listens on all of
   * its addresses, and the rig reaches it at `address`. Unset: loopback, in this namespace.
   */
  network?: { ns: string; address: string; ipPath: string };
}

/** Where everything listens. Addresses are `host:port`, URLs are `http://host:port`. */
export interface CollectorEndpoints {
  subjectPrometheusUrl: string;
  rigPrometheusUrl: string;
  /** The kernel UDP counters: Prometheus text at `${url}/metrics`, JSON at `${url}/counters`. */
  udpCountersUrl: string;
  /**
   * The /proc directory whose `net/` is the collectors' network namespace: `/proc` on loopback, the
   * UDP counter exporter's `/proc/<pid>` when the collectors have their own namespace.
   */
  kernelProcDir: string;
  statsd?: {
    /** Where producers send datagrams. */
    udpHost: string;
    udpPort: number;
    /** statsd_exporter's /metrics (pushed series and its own counters). */
    metricsUrl: string;
    /** What the spec asked for (`--statsd.read-buffer`) and the kernel's cap, net.core.rmem_max. */
    readBufferBytes: number;
    rmemMaxBytes: number | null;
  };
  otlp?: {
    /** gRPC endpoint `host:port` (the JS exporter wants `http://host:port`). */
    grpcEndpoint: string;
    /** OTLP/HTTP base URL; metrics go to `${httpUrl}/v1/metrics`. */
    httpUrl: string;
    /** The Prometheus exporter the subject scrapes. */
    exporterMetricsUrl: string;
    /** otelcol's own metrics (accepted/refused points), scraped by the rig. */
    telemetryMetricsUrl: string;
  };
  /** The Pushgateway's base URL (jobs push to `${url}/metrics/job/...`), when a batch of spec.jobs uses it. */
  pushgatewayUrl?: string;
}

/** Health of the subject Prometheus's pull targets, from /api/v1/targets. */
export interface PullTargetHealth {
  total: number;
  up: number;
  down: number;
  unknown: number;
  /** Targets whose last scrape failed, with Prometheus's error text. */
  failing: { producer: string; lastError: string }[];
}

/** The running collectors. */
export interface RunningCollectors {
  endpoints: CollectorEndpoints;
  /** Rendered configs and logs, by collector name. */
  files: { configs: Record<string, string>; logs: Record<string, string> };
  children: ChildHandle[];
  /**
   * Re-renders the subject config with these targets, reloads Prometheus and waits (up to `timeoutMs`,
   * default 30 s) until its `pull` pool lists exactly them. Throws when the reload is refused or the
   * targets do not appear.
   */
  setPullTargets(targets: readonly PullTarget[], timeoutMs?: number): Promise<void>;
  /** Up/down counts of the pull targets as the subject Prometheus sees them now. */
  pullTargetHealth(): Promise<PullTargetHealth>;
  /** Stops the collectors this call started (SIGTERM, then SIGKILL after the supervisor's grace). */
  stop(): Promise<void>;
}

function prometheusArgs(configFile: string, dataDir: string, listen: string, port: number): string[] {
  return [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=${listen}:${port}`,
    '--web.enable-lifecycle',
    '--scrape.discovery-reload-interval=1s',
    '--log.level=info',
  ];
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function readRmemMax(): number | null {
  try {
    const v = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Starts every collector the spec's arms need and resolves when all are ready. When the run is stopping
 * (`supervisor.stopping`), the starts in flight stop, the later stage is not started, what was started
 * is stopped, and it rejects with the supervisor's `StartAbortedError`.
 */
export async function startCollectors(options: StartCollectorsOptions): Promise<RunningCollectors> {
  const { spec, experiment, outDir, tools, supervisor } = options;
  const timeout = options.readyTimeoutMs ?? 60_000;
  const HOST = options.network?.address ?? LOOPBACK;
  const LISTEN = options.network ? '0.0.0.0' : LOOPBACK;
  const collectorsDir = join(outDir, 'collectors');
  const logsDir = join(outDir, 'logs');
  const subjectData = join(collectorsDir, 'data', 'subject');
  const rigData = join(collectorsDir, 'data', 'rig');
  for (const d of [collectorsDir, logsDir, subjectData, rigData]) mkdirSync(d, { recursive: true });

  const wantStatsd = spec.arms.statsd !== undefined;
  const wantOtlp = spec.arms.otlp !== undefined;
  const [subjectPort, rigPort, countersPort, statsdWebPort, grpcPort, httpPort, exporterPort, telemetryPort] =
    (await freePorts(8)) as [number, number, number, number, number, number, number, number];
  const statsdUdpPort = wantStatsd ? await freeUdpPort() : 0;
  const wantPushgateway = usesPushgateway(spec);
  const pushgatewayPort = wantPushgateway ? ((await freePorts(1))[0] as number) : 0;

  const endpoints: CollectorEndpoints = {
    subjectPrometheusUrl: `http://${HOST}:${subjectPort}`,
    rigPrometheusUrl: `http://${HOST}:${rigPort}`,
    udpCountersUrl: `http://${HOST}:${countersPort}`,
    kernelProcDir: '/proc',
  };
  if (spec.arms.statsd) {
    endpoints.statsd = {
      udpHost: HOST,
      udpPort: statsdUdpPort,
      metricsUrl: `http://${HOST}:${statsdWebPort}/metrics`,
      readBufferBytes: spec.arms.statsd.receiveBufferBytes,
      rmemMaxBytes: readRmemMax(),
    };
  }
  if (wantOtlp) {
    endpoints.otlp = {
      grpcEndpoint: `${HOST}:${grpcPort}`,
      httpUrl: `http://${HOST}:${httpPort}`,
      exporterMetricsUrl: `http://${HOST}:${exporterPort}/metrics`,
      telemetryMetricsUrl: `http://${HOST}:${telemetryPort}/metrics`,
    };
  }

  if (wantPushgateway) endpoints.pushgatewayUrl = `http://${HOST}:${pushgatewayPort}`;
  const configs: Record<string, string> = {
    'prometheus-subject': join(collectorsDir, 'prometheus-subject.yml'),
    'prometheus-rig': join(collectorsDir, 'prometheus-rig.yml'),
  };
  const logs: Record<string, string> = {};
  const rules = renderLivenessRules(experiment, spec);
  if (rules !== null) {
    configs['liveness-rules'] = join(collectorsDir, 'liveness-rules.yml');
    writeAtomically(configs['liveness-rules'], rules);
  }
  if (wantStatsd) {
    configs['statsd-mapping'] = join(collectorsDir, 'statsd-mapping.yml');
    writeAtomically(configs['statsd-mapping'], renderStatsdMapping(spec));
  }
  const subjectInput = (targets: readonly PullTarget[]) => ({
    experiment,
    ...(rules !== null
      ? {
          ruleFiles: [configs['liveness-rules']!],
          evaluationIntervalSeconds: spec.liveness.evaluationIntervalSeconds,
        }
      : {}),
    ...(spec.arms.pull ? { pull: spec.arms.pull } : {}),
    pullTargets: targets,
    ...(wantStatsd ? { statsdExporter: `${HOST}:${statsdWebPort}` } : {}),
    ...(wantOtlp ? { otelcolExporter: `${HOST}:${exporterPort}` } : {}),
    ...(wantPushgateway ? { pushgateway: `${HOST}:${pushgatewayPort}` } : {}),
    ...(options.jobTargets?.length ? { jobTargets: options.jobTargets } : {}),
  });
  writeAtomically(
    configs['prometheus-subject']!,
    renderSubjectPrometheusConfig(subjectInput(options.pullTargets ?? [])),
  );
  writeAtomically(
    configs['prometheus-rig']!,
    renderRigPrometheusConfig({
      experiment,
      ...(options.rigScrapeIntervalSeconds !== undefined
        ? { scrapeIntervalSeconds: options.rigScrapeIntervalSeconds }
        : {}),
      subjectPrometheus: `${HOST}:${subjectPort}`,
      ...(wantStatsd ? { statsdExporter: `${HOST}:${statsdWebPort}` } : {}),
      ...(wantOtlp ? { otelcolTelemetry: `${HOST}:${telemetryPort}` } : {}),
      udpCounters: [`${HOST}:${countersPort}`],
    }),
  );
  // A memory budget sets otelcol's memory_limiter and GOMEMLIMIT (collectors/otelcol-config.ts).
  const otelcolBudget = collectorBudget(spec, 'otelcol').memoryBytes;
  const otelcolMemory = wantOtlp && otelcolBudget !== null ? otelcolMemorySettings(otelcolBudget) : null;
  if (wantOtlp) {
    configs.otelcol = join(collectorsDir, 'otelcol.yaml');
    writeAtomically(
      configs.otelcol,
      renderOtelcolConfig({
        experiment,
        ...(options.network ? { host: LISTEN } : {}),
        ...(spec.arms.otlp ? { metricExpirationSeconds: spec.arms.otlp.seriesExpirationSeconds } : {}),
        grpcPort,
        httpPort,
        exporterPort,
        telemetryPort,
        ...(otelcolMemory
          ? {
              memoryLimitMiB: otelcolMemory.memoryLimitMiB,
              memorySpikeLimitMiB: otelcolMemory.memorySpikeLimitMiB,
            }
          : options.otelcolMemoryLimitMiB !== undefined
            ? { memoryLimitMiB: options.otelcolMemoryLimitMiB }
            : {}),
      }),
    );
  }

  const started: ChildHandle[] = [];
  const start = async (spec: Omit<StartSpec, 'logFile' | 'readyTimeoutMs'>, collector?: CollectorName) => {
    const logFile = join(logsDir, `${spec.name}.log`);
    logs[spec.name] = logFile;
    const procs = collector ? options.cgroupProcsFiles?.(collector) : undefined;
    // The namespace inside the cgroup: `ip netns exec` remounts /sys, so the join must come first.
    const netted = options.network ? inNamespace(spec, options.network.ns, options.network.ipPath) : spec;
    const placed = procs && procs.length > 0 ? joinCgroupAtStart(netted, procs) : netted;
    const child = await supervisor.start({ ...placed, logFile, readyTimeoutMs: timeout });
    started.push(child);
    return child;
  };
  const stop = async () => {
    await Promise.all([...started].reverse().map((c) => supervisor.stop(c)));
  };

  try {
    // The pushed-to collectors first (in parallel), then the two Prometheus servers that scrape them.
    const first: Promise<ChildHandle>[] = [
      start({
        name: 'udp-counters',
        command: process.execPath,
        args: [
          PUSHPULL_BIN,
          'udp-counters',
          `--listen=${LISTEN}:${countersPort}`,
          ...(wantStatsd ? [`--watch-port=${statsdUdpPort}`] : []),
        ],
        ready: { kind: 'http', url: `${endpoints.udpCountersUrl}/metrics` },
      }),
    ];
    if (spec.arms.statsd) {
      first.push(
        start(
          {
            name: 'statsd_exporter',
            command: tools.statsd_exporter.path,
            args: [
              `--statsd.listen-udp=${LISTEN}:${statsdUdpPort}`,
              '--statsd.listen-tcp=',
              `--web.listen-address=${LISTEN}:${statsdWebPort}`,
              `--statsd.read-buffer=${spec.arms.statsd.receiveBufferBytes}`,
              `--statsd.mapping-config=${configs['statsd-mapping']}`,
              '--log.level=info',
            ],
            ready: { kind: 'http', url: `http://${HOST}:${statsdWebPort}/metrics` },
          },
          'statsd',
        ),
      );
    }
    if (wantOtlp) {
      first.push(
        start(
          {
            name: 'otelcol',
            command: tools.otelcol.path,
            args: [`--config=${configs.otelcol}`],
            ...(otelcolMemory ? { env: { GOMEMLIMIT: otelcolMemory.goMemLimit } } : {}),
            // Receivers start last in the collector: wait for them, not only for the telemetry server.
            ready: [
              { kind: 'http', url: `http://${HOST}:${telemetryPort}/metrics` },
              { kind: 'http', url: `http://${HOST}:${exporterPort}/metrics` },
              { kind: 'tcp', host: HOST, port: grpcPort },
              { kind: 'tcp', host: HOST, port: httpPort },
            ],
          },
          'otelcol',
        ),
      );
    }
    if (wantPushgateway) {
      first.push(
        start(
          {
            name: 'pushgateway',
            command: tools.pushgateway.path,
            // No persistence file: a group lives as long as the Pushgateway (it has no TTL by design).
            args: [`--web.listen-address=${HOST}:${pushgatewayPort}`, '--log.level=info'],
            ready: { kind: 'http', url: `${endpoints.pushgatewayUrl}/-/ready` },
          },
          'pushgateway',
        ),
      );
    }
    await settleStarts(supervisor, first);
    const [counters] = await settleStarts(supervisor, first);
    // In its own namespace, the exporter's /proc/<pid>/net is the collectors' namespace.
    if (options.network && counters) endpoints.kernelProcDir = `/proc/${counters.pid}`;
    await settleStarts(supervisor, [
      start(
        {
          name: 'prometheus-subject',
          command: tools.prometheus.path,
          args: prometheusArgs(configs['prometheus-subject']!, subjectData, LISTEN, subjectPort),
          ready: { kind: 'http', url: `${endpoints.subjectPrometheusUrl}/-/ready` },
        },
        'prometheus',
      ),
      start({
        name: 'prometheus-rig',
        command: tools.prometheus.path,
        args: prometheusArgs(configs['prometheus-rig']!, rigData, LISTEN, rigPort),
        ready: { kind: 'http', url: `${endpoints.rigPrometheusUrl}/-/ready` },
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }

  const pullTargetHealth = async (): Promise<PullTargetHealth> => {
    const url = `${endpoints.subjectPrometheusUrl}/api/v1/targets?state=active&scrapePool=${SUBJECT_JOBS.pull}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`GET ${url} answered HTTP ${res.status}`);
    const body = (await res.json()) as {
      data?: { activeTargets?: { labels?: Record<string, string>; health?: string; lastError?: string }[] };
    };
    const active = body.data?.activeTargets ?? [];
    const health: PullTargetHealth = { total: active.length, up: 0, down: 0, unknown: 0, failing: [] };
    for (const t of active) {
      if (t.health === 'up') health.up++;
      else if (t.health === 'down') {
        health.down++;
        health.failing.push({ producer: t.labels?.producer ?? '?', lastError: t.lastError ?? '' });
      } else health.unknown++;
    }
    return health;
  };

  const setPullTargets = async (targets: readonly PullTarget[], timeoutMs = 30_000) => {
    if (!spec.arms.pull) throw new Error('setPullTargets: the spec has no pull arm');
    writeAtomically(configs['prometheus-subject']!, renderSubjectPrometheusConfig(subjectInput(targets)));
    const reload = await fetch(`${endpoints.subjectPrometheusUrl}/-/reload`, {
      method: 'POST',
      signal: AbortSignal.timeout(30_000),
    });
    if (reload.status !== 200) {
      throw new Error(
        `the subject Prometheus refused its new config (HTTP ${reload.status}): ${(await reload.text()).trim()}`,
      );
    }
    await reload.body?.cancel();
    const want = new Set(targets.map((t) => t.producerId));
    const url = `${endpoints.subjectPrometheusUrl}/api/v1/targets?state=active&scrapePool=${SUBJECT_JOBS.pull}`;
    try {
      await pollUntil(
        `the subject Prometheus listing ${want.size} pull targets`,
        async () => {
          const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
          const body = (await res.json()) as {
            data?: { activeTargets?: { labels?: Record<string, string> }[] };
          };
          const active = (body.data?.activeTargets ?? []).map((t) => t.labels?.producer ?? '');
          if (active.length === want.size && active.every((p) => want.has(p))) return true;
          throw new Error(`it lists ${active.length}`);
        },
        // A stop (SIGTERM while the run is still starting) ends this wait too, with its reason.
        { timeoutMs, intervalMs: 200, signal: supervisor.stopping },
      );
    } catch (err) {
      if (!(err instanceof WaitError)) throw err;
      throw new Error(`${err.message}; see ${logs['prometheus-subject']}`);
    }
  };

  return { endpoints, files: { configs, logs }, children: started, setPullTargets, pullTargetHealth, stop };
}
