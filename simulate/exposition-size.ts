/**
 * The size of one pull target's /metrics body (loadgen/arms/pull-target.ts: prom-client's text format)
 * from the symbols in force and the events the target has counted: every declared series is one line per
 * counter and bucket count + sum + count per histogram, with label text from the producers' vocabulary
 * and bucket bounds, and values whose width grows with the counts. The metric names and help texts are
 * read from the real metric objects, so a change there changes the model. A unit test checks it against
 * prom-client's own rendering.
 */
import { Registry } from 'prom-client';
import type { Series } from '../api/v1alpha1/schema.ts';
import { createOrderMetrics } from '../loadgen/arms/pull-target.ts';
import { labelVocabulary, latencyBuckets, symbolName } from '../loadgen/labels.ts';
import { countersPerSymbol, distinctTouched, histogramsPerSymbol } from './series-shape.ts';

/** Characters of a float sum as JavaScript prints it (e.g. `0.12345678901234568`). */
const SUM_CHARS = 18;

/** The per-spec constants of the body size. */
export interface ExpositionShape {
  series: Series;
  /** HELP/TYPE lines and the blank line between the families. */
  headerBytes: number;
  /** A counter line without its value: `orders_total{…} ` and the newline. */
  counterLine: number;
  /** All bucket lines of one histogram series without values, plus `_sum` and `_count` lines. */
  histogramLines: number;
  /** Lines per histogram series (buckets, +Inf, sum, count). */
  linesPerHistogram: number;
}

const mean = (xs: readonly string[]) => xs.reduce((n, x) => n + x.length, 0) / Math.max(1, xs.length);

/** The shape of one target's body for `series`. */
export function expositionShape(series: Series): ExpositionShape {
  const { counter, histogram } = createOrderMetrics(new Registry(), latencyBuckets(series.histogramBuckets));
  const c = counter as unknown as { name: string; help: string };
  const h = histogram as unknown as { name: string; help: string };
  const header = (name: string, help: string, type: string) =>
    `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`.length;
  const v = labelVocabulary(series, 1);
  const sym = symbolName(0).length;
  // `region="…",symbol="…",route="…"`
  const labels3 =
    'region=""'.length + mean(v.regions) + ',symbol=""'.length + sym + ',route=""'.length + mean(v.routes);
  const counterLine = `${c.name}{`.length + labels3 + ',status=""'.length + mean(v.statuses) + '} \n'.length;
  const bounds = [...latencyBuckets(series.histogramBuckets).map(String), '+Inf'];
  let histogramLines = 0;
  for (const b of bounds) histogramLines += `${h.name}_bucket{le="${b}",`.length + labels3 + '} \n'.length;
  histogramLines += `${h.name}_sum{`.length + labels3 + '} \n'.length;
  histogramLines += `${h.name}_count{`.length + labels3 + '} \n'.length;
  return {
    series,
    headerBytes: header(c.name, c.help, 'counter') + 1 + header(h.name, h.help, 'histogram'),
    counterLine,
    histogramLines,
    linesPerHistogram: bounds.length + 2,
  };
}

const digits = (x: number) => (x < 1 ? 1 : Math.floor(Math.log10(x)) + 1);

/** Bytes of one target's body with `symbols` declared after `events` events. */
export function expositionBytes(shape: ExpositionShape, symbols: number, events: number): number {
  const counters = symbols * countersPerSymbol(shape.series);
  const histograms = symbols * histogramsPerSymbol(shape.series);
  const touchedC = distinctTouched(counters, events) / Math.max(1, counters);
  const touchedH = distinctTouched(histograms, events) / Math.max(1, histograms);
  const perCounter = events / Math.max(1, counters);
  const perHistogram = events / Math.max(1, histograms);
  const counterValue = touchedC * digits(perCounter / touchedC || 0) + (1 - touchedC);
  const countValue = touchedH * digits(perHistogram / touchedH || 0) + (1 - touchedH);
  const sumValue = touchedH * SUM_CHARS + (1 - touchedH);
  const histogramValues = (shape.linesPerHistogram - 1) * countValue + sumValue;
  return (
    shape.headerBytes +
    counters * (shape.counterLine + counterValue) +
    histograms * (shape.histogramLines + histogramValues)
  );
}

/** Samples one scrape of the body appends (what sample_limit counts). */
export function expositionSamples(shape: ExpositionShape, symbols: number): number {
  return (
    symbols * countersPerSymbol(shape.series) +
    symbols * histogramsPerSymbol(shape.series) * shape.linesPerHistogram
  );
}
