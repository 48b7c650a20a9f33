/**
 * Parses the Prometheus text exposition format (what statsd_exporter and otelcol serve on /metrics)
 * into samples, and sums the ones matching a name and labels. Pure: the measurement uses it for the
 * collectors' final counter readings at the cut-off.
 */

export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ',' || text[i] === ' ') i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim();
    i = eq + 1;
    if (text[i] !== '"') break;
    i++;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) {
        const next = text[i + 1];
        value += next === 'n' ? '\n' : next;
        i += 2;
      } else {
        value += text[i];
        i++;
      }
    }
    i++;
    labels[key] = value;
  }
  return labels;
}

/** Every sample line of an exposition; comments and blank lines are skipped. */
export function parseExposition(text: string): ExpositionSample[] {
  const samples: ExpositionSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    let name: string;
    let labels: Record<string, string> = {};
    let rest: string;
    if (brace >= 0 && (space < 0 || brace < space)) {
      const close = line.lastIndexOf('}');
      name = line.slice(0, brace);
      labels = parseLabels(line.slice(brace + 1, close));
      rest = line.slice(close + 1).trim();
    } else {
      name = line.slice(0, space);
      rest = line.slice(space + 1).trim();
    }
    const value = Number(rest.split(/\s+/)[0]);
    if (name !== '' && !Number.isNaN(value)) samples.push({ name, labels, value });
  }
  return samples;
}

/**
 * Sums the samples named `name` (or any of `names`, the first that exists: metric names differ
 * between versions, e.g. with and without `_total`) whose labels include `match`. Null when absent.
 */
export function sumSamples(
  samples: ExpositionSample[],
  names: string | string[],
  match: Record<string, string> = {},
): number | null {
  for (const name of Array.isArray(names) ? names : [names]) {
    const hits = samples.filter(
      (s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v),
    );
    if (hits.length > 0) return hits.reduce((sum, s) => sum + s.value, 0);
  }
  return null;
}
