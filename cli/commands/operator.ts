/**
 * `pushpull operator`: runs the Kubernetes operator (operator/manager.ts) against the cluster of the
 * current kubeconfig (or the pod's service account in a cluster) until SIGTERM/SIGINT.
 */
import { hostname } from 'node:os';
import { UsageError } from '../../errors/usage-error.ts';
import { parseHostPort } from '../../loadgen/address.ts';
import { collectReport } from '../../operator/collect/collect-report.ts';
import { resolveImages } from '../../operator/images.ts';
import { createKubeClient } from '../../operator/k8s/client.ts';
import { createLogger, type Level } from '../../operator/log.ts';
import { runManager } from '../../operator/manager.ts';
import { createOperatorMetrics } from '../../operator/metrics.ts';
import { systemTimerClock } from '../../operator/queue/timer-clock.ts';
import { WorkQueue } from '../../operator/queue/work-queue.ts';
import { createReach, type ReachMode } from '../../operator/reach.ts';
import { DEFAULT_TIMELINE_OPTIONS } from '../../operator/timeline/timeline.ts';
import type { Command } from '../command.ts';

interface Args {
  kubeconfig?: string;
  namespace?: string;
  metricsListen: string;
  leaderElect: boolean;
  leaderElectionNamespace?: string;
  reach: 'auto' | ReachMode;
  workers: number;
  readyTimeoutSeconds: number;
  logLevel: Level;
  image?: string;
  prometheusImage?: string;
  statsdExporterImage?: string;
  pushgatewayImage?: string;
  otelcolImage?: string;
  kubeletRelayAddress?: string;
  kubeletPort: number;
}

export const operatorCommand: Command = {
  command: 'operator',
  describe: 'Run the Kubernetes operator that turns PushPullExperiments into workloads and reports',
  builder: (y) =>
    y
      .option('kubeconfig', {
        type: 'string',
        describe: 'Kubeconfig file (default: in-cluster, else $KUBECONFIG or ~/.kube/config)',
      })
      .option('namespace', {
        type: 'string',
        describe: 'Watch only this namespace (default: all namespaces)',
      })
      .option('metrics-listen', {
        type: 'string',
        default: '127.0.0.1:8080',
        describe: 'HOST:PORT for /metrics and /healthz',
      })
      .option('leader-elect', {
        type: 'boolean',
        default: false,
        describe: 'Reconcile only while holding the Lease pushpull-operator',
      })
      .option('leader-election-namespace', {
        type: 'string',
        describe: 'Namespace of the Lease (default: $POD_NAMESPACE, else default)',
      })
      .option('reach', {
        choices: ['auto', 'direct', 'proxy'] as const,
        default: 'auto' as const,
        describe:
          'How to reach pods and Prometheus: direct (in a cluster), proxy (through the API server), auto',
      })
      .option('workers', {
        type: 'number',
        default: 2,
        describe: 'Reconcile workers (one experiment at a time each)',
      })
      .option('ready-timeout-seconds', {
        type: 'number',
        default: DEFAULT_TIMELINE_OPTIONS.readyTimeoutMs / 1000,
        describe: 'Fail an experiment whose pods are not ready this long after provisioning',
      })
      .option('log-level', { choices: ['debug', 'info', 'warn', 'error'] as const, default: 'info' as const })
      .option('image', {
        type: 'string',
        describe: 'pushpull image for producers and the udp-counters sidecar (env PUSHPULL_IMAGE)',
      })
      .option('prometheus-image', {
        type: 'string',
        describe: 'Prometheus image (env PUSHPULL_PROMETHEUS_IMAGE)',
      })
      .option('statsd-exporter-image', {
        type: 'string',
        describe: 'statsd_exporter image (env PUSHPULL_STATSD_EXPORTER_IMAGE)',
      })
      .option('otelcol-image', {
        type: 'string',
        describe: 'OpenTelemetry Collector image (env PUSHPULL_OTELCOL_IMAGE)',
      })
      .option('pushgateway-image', {
        type: 'string',
        describe: 'Pushgateway image, for short-lived jobs (env PUSHPULL_PUSHGATEWAY_IMAGE)',
      })
      .option('kubelet-relay-address', {
        type: 'string',
        describe:
          "HOST:PORT where pods reach this operator's metrics server: the rig Prometheus scrapes the collectors' cAdvisor series there (unset: collector use is not measured)",
      })
      .option('kubelet-port', {
        type: 'number',
        default: 10250,
        describe: "The kubelets' HTTPS port (GET /metrics/cadvisor, authorized as nodes/metrics)",
      }),
  handler: async (args: Args) => {
    let listen: { host: string; port: number };
    try {
      listen = parseHostPort(args.metricsListen, '--metrics-listen', true);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (!Number.isInteger(args.workers) || args.workers < 1 || args.workers > 64) {
      throw new UsageError(`--workers: ${args.workers} is not allowed; expected an integer 1..64`);
    }
    if (!(args.readyTimeoutSeconds > 0)) {
      throw new UsageError(
        `--ready-timeout-seconds: ${args.readyTimeoutSeconds} is not allowed; expected a number > 0`,
      );
    }
    if (args.kubeletRelayAddress !== undefined) {
      try {
        parseHostPort(args.kubeletRelayAddress, '--kubelet-relay-address', false);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    if (!Number.isInteger(args.kubeletPort) || args.kubeletPort < 1 || args.kubeletPort > 65535) {
      throw new UsageError(`--kubelet-port: ${args.kubeletPort} is not allowed; expected a port 1..65535`);
    }
    const log = createLogger({ level: args.logLevel, base: { component: 'pushpull-operator' } });
    const queue = new WorkQueue({ clock: systemTimerClock });
    const metrics = createOperatorMetrics(() => queue.len());
    let kube: ReturnType<typeof createKubeClient>;
    try {
      kube = createKubeClient({
        ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
        onRequest: metrics.observeRequest,
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const inCluster = !args.kubeconfig && process.env.KUBERNETES_SERVICE_HOST !== undefined;
    const mode: ReachMode = args.reach === 'auto' ? (inCluster ? 'direct' : 'proxy') : args.reach;
    const identity = `${hostname()}-${process.pid}`;
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    log.info('starting', { server: kube.server, reach: mode, identity });
    const result = await runManager(
      {
        kube,
        reach: createReach(kube, mode),
        collect: collectReport,
        images: resolveImages({
          ...(args.image ? { pushpull: args.image } : {}),
          ...(args.prometheusImage ? { prometheus: args.prometheusImage } : {}),
          ...(args.statsdExporterImage ? { statsdExporter: args.statsdExporterImage } : {}),
          ...(args.otelcolImage ? { otelcol: args.otelcolImage } : {}),
          ...(args.pushgatewayImage ? { pushgateway: args.pushgatewayImage } : {}),
        }),
        queue,
        metrics,
        log,
        clock: { now: () => Date.now() },
        timeline: { ...DEFAULT_TIMELINE_OPTIONS, readyTimeoutMs: args.readyTimeoutSeconds * 1000 },
        ...(args.namespace ? { namespace: args.namespace } : {}),
        metricsListen: listen,
        ...(args.kubeletRelayAddress
          ? { kubeletRelay: { address: args.kubeletRelayAddress, kubeletPort: args.kubeletPort } }
          : {}),
        workers: args.workers,
        ...(args.leaderElect
          ? {
              leader: {
                namespace: args.leaderElectionNamespace ?? process.env.POD_NAMESPACE ?? 'default',
                name: 'pushpull-operator',
                identity,
                leaseDurationSeconds: 15,
                renewEveryMs: 5000,
              },
            }
          : {}),
      },
      controller.signal,
    );
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    return result === 'stopped' ? 0 : 1;
  },
};
