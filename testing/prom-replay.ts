/**
 * A Prometheus that answers from recorded raw samples, for tests that feed the same recorded run through
 * different code paths (driver/runtimes-agree.test.ts). It evaluates exactly the query shapes of the
 * rig's catalogue (measure/queries.ts): a range selector `SEL[Ns]` (raw samples in (t − N, t]),
 * `sum(SEL)` (each series' last sample within the 5-minute lookback, summed) and
 * `sum(max_over_time(SEL[Ns]))`. SEL is an optional metric name and `=` / `=~` matchers. Anything else
 * throws, so a new query shape fails loudly instead of answering wrong.
 */
import type { PromClient, PromSeries } from '../measure/prom-api.ts';

const LOOKBACK_S = 300;

interface Matcher {
  label: string;
  test: (value: string | undefined) => boolean;
}

function parseSelector(text: string): Matcher[] {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(?:\{(.*)\})?$/.exec(text.trim());
  if (!m) throw new Error(`replay: cannot parse selector ${JSON.stringify(text)}`);
  const matchers: Matcher[] = [];
  if (m[1]) matchers.push({ label: '__name__', test: (v) => v === m[1] });
  for (const part of (m[2] ?? '').match(/[a-zA-Z_]+\s*=~?\s*"(?:[^"\\]|\\.)*"/g) ?? []) {
    const p = /^([a-zA-Z_]+)\s*(=~?)\s*"(.*)"$/.exec(part)!;
    const value = p[3]!.replace(/\\(.)/g, '$1');
    const re = p[2] === '=~' ? new RegExp(`^(?:${value})$`) : null;
    matchers.push({ label: p[1]!, test: (v) => (re ? re.test(v ?? '') : (v ?? '') === value) });
  }
  return matchers;
}

const matches = (s: PromSeries, ms: readonly Matcher[]) => ms.every((m) => m.test(s.labels[m.label]));

/** A PromClient over `series` (every sample of every series the run stored). */
export function replayPromClient(source: string, series: readonly PromSeries[]): PromClient {
  const select = (sel: string) => {
    const ms = parseSelector(sel);
    return series.filter((s) => matches(s, ms));
  };
  const windowed = (sel: string, rangeS: number, t: number) =>
    select(sel)
      .map((s) => ({ labels: s.labels, samples: s.samples.filter(([ts]) => ts > t - rangeS && ts <= t) }))
      .filter((s) => s.samples.length > 0);
  const scalar = (v: number | null, t: number): PromSeries[] =>
    v === null ? [] : [{ labels: {}, samples: [[t, v]] }];
  return {
    source,
    async query(q, t) {
      let m = /^sum\(max_over_time\((.*)\[(\d+)s\]\)\)$/.exec(q);
      if (m) {
        const w = windowed(m[1]!, Number(m[2]), t);
        return scalar(
          w.length ? w.reduce((n, s) => n + Math.max(...s.samples.map(([, v]) => v)), 0) : null,
          t,
        );
      }
      m = /^sum\((.*)\)$/.exec(q);
      if (m) {
        const last = windowed(m[1]!, LOOKBACK_S, t).map((s) => s.samples[s.samples.length - 1]![1]);
        return scalar(last.length ? last.reduce((a, b) => a + b, 0) : null, t);
      }
      m = /^(.*)\[(\d+)s\]$/.exec(q);
      if (m) return windowed(m[1]!, Number(m[2]), t);
      throw new Error(`replay: query shape not supported: ${q}`);
    },
  };
}
