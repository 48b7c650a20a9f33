/**
 * Per-event cost of one case, in a worker: builds the process shape and the layers (baseline, generator,
 * for statsd perEvent the UDP floor, library alone, rig), times them interleaved batch by batch
 * (bench/batch-timer.ts), and closes them. The floor, library and rig layers send to the same sink, so they
 * pay for the same kind of sockets. Called by bench/worker.ts.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { labelVocabulary, latencyBuckets } from '../loadgen/labels.ts';
import { fleetPlan, processRange, producerId } from '../schedule/fleet.ts';
import { timeBatches } from './batch-timer.ts';
import { openSymbols } from './bench-spec.ts';
import type { BenchCase } from './cases.ts';
import { eventRing } from './event-ring.ts';
import { type BenchLayer, baselineLayer, type LayerContext } from './layer.ts';
import { libraryOtlpLayer } from './library-otlp.ts';
import { libraryPullLayer } from './library-pull.ts';
import { libraryStatsdLayer } from './library-statsd.ts';
import type { PerEventSettings, WorkerResult } from './protocol.ts';
import { generatorLayer, type RigTargets, rigLayer } from './rig-layer.ts';
import { udpFloorLayer } from './udp-floor.ts';

/** Events pre-generated per producer for the baseline and library layers, replayed cyclically. */
const RING_SIZE = 4096;

/** The layer context of one process of the bench spec. */
export function layerContext(spec: ExperimentSpec, batchEvents: number): LayerContext {
  const plan = fleetPlan(spec);
  const range = processRange(plan, 0);
  const producerIndexes = Array.from({ length: range.end - range.first }, (_, k) => range.first + k);
  const symbols = openSymbols(spec);
  return {
    series: spec.series,
    seed: spec.seed,
    symbols,
    vocabulary: labelVocabulary(spec.series, symbols),
    buckets: latencyBuckets(spec.series.histogramBuckets),
    producerIndexes,
    producerIds: producerIndexes.map(producerId),
    rings: producerIndexes.map((i) => eventRing(spec.series, symbols, spec.seed, i, RING_SIZE)),
    eventsPerProducer: Math.max(1, Math.ceil(batchEvents / producerIndexes.length)),
  };
}

function libraryLayer(
  ctx: LayerContext,
  spec: ExperimentSpec,
  c: BenchCase,
  targets: RigTargets,
): BenchLayer {
  switch (c.arm) {
    case 'pull':
      return libraryPullLayer(ctx);
    case 'statsd':
      if (!spec.arms.statsd || !targets.statsd) throw new Error('bench: statsd case without a sink');
      return libraryStatsdLayer(ctx, spec.arms.statsd, targets.statsd);
    case 'otlp':
      if (!spec.arms.otlp || !targets.otlpEndpoint) throw new Error('bench: otlp case without a sink');
      return libraryOtlpLayer(ctx, spec.arms.otlp, targets.otlpEndpoint);
  }
}

/** Times the three layers of case `c` and returns their samples. */
export async function measurePerEvent(
  spec: ExperimentSpec,
  c: BenchCase,
  settings: PerEventSettings,
  targets: RigTargets,
): Promise<WorkerResult['perEvent']> {
  const ctx = layerContext(spec, settings.batchEvents);
  const layers: BenchLayer[] = [];
  try {
    layers.push(baselineLayer(ctx));
    layers.push(generatorLayer(ctx));
    if (c.arm === 'statsd' && c.mode === 'perEvent' && targets.statsd)
      layers.push(await udpFloorLayer(ctx, targets.statsd));
    layers.push(libraryLayer(ctx, spec, c, targets));
    layers.push(await rigLayer(ctx, spec, c, targets));
    const { samples, onCpuShare } = await timeBatches(layers, {
      warmupRounds: settings.warmupRounds,
      maxRounds: settings.maxRounds,
      maxMs: settings.maxMs,
      maxWarmupMs: Math.max(200, settings.maxMs / 2),
      now: () => process.hrtime.bigint(),
      cpuNow: () => {
        const u = process.threadCpuUsage();
        return u.user + u.system;
      },
      pause: () => yieldToLoop(),
    });
    return {
      batchEvents: ctx.eventsPerProducer * ctx.producerIds.length,
      producers: ctx.producerIds.length,
      onCpuShare,
      samplesNs: {
        baseline: samples.baseline!,
        generator: samples.generator!,
        library: samples.library!,
        rig: samples.rig!,
        ...(samples.floor ? { floor: samples.floor } : {}),
      },
    };
  } finally {
    await Promise.allSettled(layers.map((l) => l.close()));
  }
}
