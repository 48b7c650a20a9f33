/**
 * The simulation as text for a terminal: what was modelled, each arm's figures, the calibration with
 * the source of every value, the predicted-vs-measured table of `--against`, the seed table, and the
 * verdict sentence last, where the eye lands.
 */
import { formatBytes, formatNumber, formatPercent, formatSeconds } from '../report/format.ts';
import type { Comparison } from './against.ts';
import type { SimulationSummary } from './summary.ts';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const n = (x: number) => formatNumber(x);

function comparisonCell(c: Comparison, v: number | null): string {
  if (v === null) return '—';
  if (c.figure === 'scrapeP99Seconds' || c.figure === 'firstFailureSeconds') return formatSeconds(v);
  if (c.figure === 'expositionBytesPerSecond') return `${formatBytes(v)}/s`;
  if (c.figure === 'kernelDropRatio') return formatPercent(v);
  return n(v);
}

/** Renders the summary as text. */
export function renderSimulationText(s: SimulationSummary): string {
  const out: string[] = [];
  if (s.producers > 0) {
    out.push(
      `pushpull simulate ${s.experiment}: ${n(s.producers)} producers per arm, ${s.modelledSeconds} s from startAt ${s.startAt} (${s.startAtSource}) in 100 ms bins`,
      '',
    );
    const rows: string[][] = [['arm', 'figure', 'value']];
    rows.push([
      'fleet',
      'events per 100 ms (peak / mean / p99)',
      `${n(s.events.peak)} / ${n(s.events.mean)} / ${n(s.events.p99)}`,
    ]);
    if (s.statsd) {
      const d = s.statsd;
      rows.push(
        [
          'statsd',
          `datagrams per 100 ms, ${d.mode} (peak / mean / p99)`,
          `${n(d.datagramsPer100ms.peak)} / ${n(d.datagramsPer100ms.mean)} / ${n(d.datagramsPer100ms.p99)}`,
        ],
        ['statsd', 'bytes per 100 ms (peak)', formatBytes(d.bytesPer100msPeak)],
        [
          'statsd',
          'socket holds (datagrams; buffer as the kernel counts it)',
          `${n(d.socketHoldsDatagrams)} (${formatBytes(d.effectiveBufferBytes)})`,
        ],
        [
          'statsd',
          'kernel drops',
          `${n(d.kernelDrops)} of ${n(d.sent)} (${formatPercent(d.lossRatio)})${d.firstDropSeconds === null ? '' : `, first at ${formatSeconds(d.firstDropSeconds)}`}`,
        ],
      );
    }
    if (s.pull) {
      const p = s.pull;
      rows.push(
        [
          'pull',
          'scrapes started per 100 ms (peak / mean)',
          `${n(p.scrapesStartedPer100ms.peak)} / ${formatNumber(p.scrapesStartedPer100ms.mean, 1)}`,
        ],
        ['pull', 'body bytes in flight per 100 ms (peak)', formatBytes(p.bytesInFlightPer100msPeak)],
        [
          'pull',
          'body size (before / max)',
          `${formatBytes(p.bodyBytes.before)} / ${formatBytes(p.bodyBytes.max)}`,
        ],
        [
          'pull',
          'exposition bytes per second (busiest interval)',
          `${formatBytes(p.expositionBytesPerSecond)}/s`,
        ],
        [
          'pull',
          'scrape duration (p50 / p99 / max)',
          `${formatSeconds(p.scrapeSeconds.p50)} / ${formatSeconds(p.scrapeSeconds.p99)} / ${formatSeconds(p.scrapeSeconds.max)}`,
        ],
        ['pull', 'scrapes over the timeout', `${n(p.timeouts)} of ${n(p.scrapes)}`],
        [
          'pull',
          "first targets' offsets (Prometheus rule)",
          p.firstTargetOffsetsMs.map((o) => `${formatNumber(o, 1)} ms`).join(', '),
        ],
      );
    }
    if (s.otlp) {
      const o = s.otlp;
      rows.push(
        ['otlp', 'export requests per second (peak)', n(o.requestsPerSecondPeak)],
        ['otlp', 'points per second (peak)', n(o.pointsPerSecondPeak)],
        [
          'otlp',
          'otelcol memory (peak / soft limit)',
          `${formatBytes(o.memoryBytesPeak)} / ${formatBytes(o.softLimitBytes)}`,
        ],
        ['otlp', 'otelcol CPU busy (peak)', formatPercent(o.cpuBusyPeak)],
      );
    }
    out.push(table(rows), '');
    const z = s.sizing;
    out.push(
      `sizing (flags): rmem_max ${formatBytes(z.rmemMaxBytes)}, Prometheus ${z.prometheusCores} core(s) as ${z.prometheusFqdn}, otelcol ${z.otelcolCores} core(s) with memory_limiter ${z.otelcolMemoryLimitMiB} MiB (spike ${z.otelcolSpikeLimitMiB} MiB), batch timeout ${z.otelcolBatchTimeoutMs} ms, producer tick ${z.producerTickMs} ms`,
      `calibration: ${s.calibration.reports.length > 0 ? `from ${s.calibration.reports.join(', ')}` : 'defaults only (no --calibrate)'}`,
    );
    const c = s.calibration;
    const params: Array<[string, { value: number; source: string }]> = [
      ['statsd_exporter drain, datagrams/s', c.statsdDrainPerSecond],
      ['skb overhead before the slab round-up, bytes', c.datagramOverheadBytes],
      ['producer send speed, datagrams/s', c.senderDatagramsPerSecond],
      ['producer send time per payload byte, s', c.senderSecondsPerByte],
      ['scrape base time, s', c.scrapeBaseSeconds],
      ['scrape speed, bytes/s', c.scrapeBytesPerSecond],
      ['scrape p99 tail, s', c.scrapeTailSeconds],
      ['otelcol time per export request, s', c.otlpRequestSeconds],
      ['otelcol memory per series, bytes', c.otelcolBytesPerSeries],
      ['otelcol memory per waiting point, bytes', c.otelcolBytesPerPoint],
    ];
    const shown = (v: number) =>
      v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : formatNumber(v, v < 1 ? 4 : 0);
    for (const [name, p] of params) out.push(`  ${name}: ${shown(p.value)} (${p.source})`);
    out.push('');
  }
  for (const a of s.against ?? []) {
    out.push(`against ${a.run}: predicted vs measured`);
    const rows = [['figure', 'predicted', 'measured', 'error', 'within tolerance']];
    for (const c of a.comparisons) {
      rows.push([
        c.figure + (c.note ? ` (${c.note})` : ''),
        comparisonCell(c, c.predicted),
        comparisonCell(c, c.measured),
        c.relativeError !== null
          ? formatPercent(c.relativeError)
          : c.error !== null
            ? comparisonCell(c, c.error)
            : '—',
        c.within === null ? `— ${c.missing ?? ''}` : c.within ? 'yes' : 'NO',
      ]);
    }
    out.push(
      table(rows),
      `first failure: predicted ${a.firstFailure.predicted ?? 'none'}, measured ${a.firstFailure.measured ?? 'none'}`,
      '',
    );
  }
  if (s.seedTable) {
    const t = s.seedTable;
    out.push(
      `the seed's burst table, rerun: ${n(t.input.producers)} producers, ${t.input.flushIntervalMs / 1000} s flush interval, ${t.input.packetsMin}–${t.input.packetsMax} datagrams per flush, ${t.input.windowSeconds} s in 100 ms bins`,
    );
    out.push(
      table([
        ['flushes', 'peak', 'mean', 'p99'],
        [
          'without jitter',
          n(t.withoutJitter.peak),
          formatNumber(t.withoutJitter.mean, 1),
          formatNumber(t.withoutJitter.p99, 1),
        ],
        [
          'with jitter',
          n(t.withJitter.peak),
          formatNumber(t.withJitter.mean, 1),
          formatNumber(t.withJitter.p99, 1),
        ],
      ]),
      `jitter cuts the peak by ${formatPercent(t.peakReduction)}. The mean is the same either way: ${n(t.input.producers)} × ${(t.input.packetsMin + t.input.packetsMax) / 2} datagrams × ${(t.input.windowSeconds * 1000) / t.input.flushIntervalMs} flushes / ${t.input.windowSeconds * 10} bins = ${n(t.expectedMean)} per 100 ms, not the seed's 14,232 (${formatNumber(t.printedMeanRatio, 1)}× too high). Without jitter the p99 is no burst figure: only ${(t.input.windowSeconds * 1000) / t.input.flushIntervalMs} of ${t.input.windowSeconds * 10} bins (1%) hold flushes, so the 99th percentile falls between the empty bins and the flush bins.`,
      '',
    );
  }
  if (s.producers > 0) out.push(s.verdict);
  return `${out.join('\n')}\n`;
}
