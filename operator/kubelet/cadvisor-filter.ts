/**
 * The kubelet's cAdvisor exposition cut down to the collectors under test: only the families the report
 * reads, only the samples of the experiment's collector containers, each labelled with its collector
 * (`collector="statsd"`), so the rig Prometheus stores a few dozen series, not a node's thousands.
 * Several nodes' texts merge into one exposition (each family once). Pure; cadvisor-relay.ts serves it.
 */
import type { CollectorName } from '../../api/v1alpha1/schema.ts';

/** The cAdvisor families the report reads (measure/queries.ts `cadvisorSelectors`). */
export const CADVISOR_FAMILIES = [
  'container_cpu_usage_seconds_total',
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'container_cpu_cfs_throttled_seconds_total',
  'container_memory_working_set_bytes',
  'container_memory_max_usage_bytes',
  'container_oom_events_total',
  'container_start_time_seconds',
] as const;

/** A container whose samples are kept, and the collector it is. */
export interface WantedContainer {
  namespace: string;
  pod: string;
  container: string;
  collector: CollectorName;
}

/** The labels of a sample line's `{...}`, or null when the text is not a label set. */
export function parseLabels(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq < 0 || text[eq + 1] !== '"') return null;
    const name = text.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\' && j + 1 < text.length) {
        const n = text[++j];
        value += n === 'n' ? '\n' : n;
      } else value += text[j];
    }
    if (j >= text.length) return null;
    out.set(name, value);
    i = j + 1;
  }
  return out;
}

/** Splits `name{labels} value [ts]` into its parts, or null for a line that is not a sample. */
function splitSample(line: string): { name: string; labels: string; rest: string } | null {
  const brace = line.indexOf('{');
  if (brace < 0) {
    const sp = line.indexOf(' ');
    return sp < 0 ? null : { name: line.slice(0, sp), labels: '', rest: line.slice(sp) };
  }
  // The closing brace is the last one: label values may hold `}` but the value and timestamp cannot.
  const close = line.lastIndexOf('}');
  if (close < brace) return null;
  return { name: line.slice(0, brace), labels: line.slice(brace + 1, close), rest: line.slice(close + 1) };
}

/** One family's HELP and TYPE lines and kept samples. */
interface Family {
  meta: string[];
  samples: string[];
}

/** Merges the kept samples of every text into one exposition, families in CADVISOR_FAMILIES order. */
export function filterCadvisor(texts: readonly string[], wanted: readonly WantedContainer[]): string {
  const keys = new Map(wanted.map((w) => [`${w.namespace}/${w.pod}/${w.container}`, w.collector]));
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) {
      f = { meta: [], samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const kept = new Set<string>(CADVISOR_FAMILIES);
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
        const name = line.split(' ')[2] ?? '';
        const f = kept.has(name) ? family(name) : undefined;
        if (f && !f.meta.some((m) => m.startsWith(line.slice(0, 7)))) f.meta.push(line);
        continue;
      }
      if (line === '' || line.startsWith('#')) continue;
      const s = splitSample(line);
      if (!s || !kept.has(s.name)) continue;
      const labels = parseLabels(s.labels);
      if (!labels) continue;
      const collector = keys.get(
        `${labels.get('namespace') ?? ''}/${labels.get('pod') ?? ''}/${labels.get('container') ?? ''}`,
      );
      if (!collector) continue;
      const sep = s.labels.trim() === '' ? '' : ',';
      family(s.name).samples.push(`${s.name}{collector="${collector}"${sep}${s.labels}}${s.rest}`);
    }
  }
  const out: string[] = [];
  for (const name of CADVISOR_FAMILIES) {
    const f = families.get(name);
    if (f && f.samples.length > 0) out.push(...f.meta, ...f.samples);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
