/**
 * Headroom: how close each arm came to each limit it has, in every report whatever the verdict — pull's
 * scrape p99 against its timeout, the largest body against body_size_limit, the most samples against
 * sample_limit; each budgeted collector's memory peak against its limit and how often its CPU quota
 * throttled it; otelcol's memory against the memory_limiter soft limit; the StatsD socket's peak receive
 * queue against its buffer. Pure; measure/assemble.ts calls it, the verdict names the closest arm.
 */
import type { ArmName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import { otelcolMemorySettings } from '../collectors/otelcol-config.ts';
import type { CollectorResources, Figure, Headroom, HeadroomKind, Report } from '../report/types.ts';

/** What headroom is computed from. */
export interface HeadroomInput {
  spec: ExperimentSpec;
  arms: Report['arms'];
  collectors: readonly CollectorResources[];
  /** otelcol's peak Go heap in the burst (what its memory_limiter compares); absent: not read. */
  otelcolHeapPeak?: Figure | null;
  /** The StatsD socket's peak rx_queue in the burst and the buffer it fills (absent: not sampled). */
  udpQueue?: { peak: Figure; buffer: Figure } | null;
}

const given = (value: number, unit: Figure['unit'], source: string): Figure => ({ value, unit, source });

function entry(arm: ArmName, kind: HeadroomKind, label: string, used: Figure, limit: Figure): Headroom {
  const share: Figure =
    used.value === null || limit.value === null || limit.value <= 0
      ? {
          value: null,
          unit: 'ratio',
          source: `${used.source} / ${limit.source}`,
          missing: used.missing ?? 'no limit',
        }
      : { value: used.value / limit.value, unit: 'ratio', source: `${used.source} / ${limit.source}` };
  return { arm, kind, label, used, limit, share };
}

/**
 * The socket buffer the receive queue fills: the kernel caps SO_RCVBUF at net.core.rmem_max and then
 * doubles it (its bookkeeping overhead), and /proc/net/udp's rx_queue counts against that doubled value.
 */
export function udpReceiveBuffer(asked: number, rmemMaxBytes: number | null): Figure {
  const source = '2 × min(receiveBufferBytes, net.core.rmem_max) (the kernel doubles SO_RCVBUF)';
  if (rmemMaxBytes === null) {
    return {
      value: null,
      unit: 'bytes',
      source,
      missing: 'net.core.rmem_max is not known where the collector runs',
    };
  }
  return { value: 2 * Math.min(asked, rmemMaxBytes), unit: 'bytes', source };
}

/** Every headroom entry the report can give. */
export function computeHeadroom(input: HeadroomInput): Headroom[] {
  const { spec, arms } = input;
  const out: Headroom[] = [];
  const pullSpec = spec.arms.pull;
  if (pullSpec && arms.pull) {
    const timeout = pullSpec.scrapeTimeoutSeconds;
    out.push(
      entry(
        'pull',
        'scrape-p99-of-timeout',
        `scrape p99 of the ${timeout} s timeout`,
        arms.pull.scrapeDurationSeconds.p99,
        given(timeout, 'seconds', 'spec.arms.pull.scrapeTimeoutSeconds'),
      ),
    );
    if (pullSpec.bodySizeLimitBytes > 0) {
      out.push(
        entry(
          'pull',
          'body-size-of-limit',
          'largest body of body_size_limit',
          arms.pull.bodySizeBytes.max,
          given(pullSpec.bodySizeLimitBytes, 'bytes', 'spec.arms.pull.bodySizeLimitBytes'),
        ),
      );
    }
    if (pullSpec.sampleLimit > 0) {
      out.push(
        entry(
          'pull',
          'samples-of-limit',
          'most samples in a scrape of sample_limit',
          arms.pull.samplesScraped,
          given(pullSpec.sampleLimit, 'samples', 'spec.arms.pull.sampleLimit'),
        ),
      );
    }
  }
  if (input.udpQueue && arms.statsd) {
    out.push(
      entry(
        'statsd',
        'udp-queue-of-buffer',
        "the collector socket's peak receive queue of its buffer",
        input.udpQueue.peak,
        input.udpQueue.buffer,
      ),
    );
  }
  for (const c of input.collectors) {
    if (c.limits.memoryBytes !== null) {
      out.push(
        entry(
          c.arm,
          'collector-memory-of-limit',
          `${c.collector} memory peak of its limit`,
          c.memoryPeakBytes,
          given(c.limits.memoryBytes, 'bytes', `spec.collectors.${c.collector}.memory`),
        ),
      );
      if (c.collector === 'otelcol' && c.limits.memoryBytes >= 40 * 2 ** 20 && input.otelcolHeapPeak) {
        // The limiter acts on the Go heap, not on the cgroup's memory (which counts page cache too).
        const m = otelcolMemorySettings(c.limits.memoryBytes);
        const softMiB = m.memoryLimitMiB - m.memorySpikeLimitMiB;
        out.push(
          entry(
            c.arm,
            'otelcol-memory-of-soft-limit',
            `otelcol Go heap peak of the memory_limiter soft limit (${softMiB} MiB)`,
            input.otelcolHeapPeak,
            given(
              softMiB * 2 ** 20,
              'bytes',
              'memory_limiter limit_mib − spike_limit_mib (from spec.collectors.otelcol.memory)',
            ),
          ),
        );
      }
    }
    if (c.limits.cpuMillicores !== null) {
      out.push(
        entry(
          c.arm,
          'collector-cpu-throttled',
          `${c.collector} CPU periods throttled by its ${c.limits.cpuMillicores}m quota`,
          c.throttledPeriods,
          c.periods,
        ),
      );
    }
  }
  return out;
}
