/**
 * Prometheus 3.x's per-target scrape offset, reproduced from the pinned version's own code (module
 * github.com/prometheus/prometheus v0.316.0): scrape/target.go `Target.hash()` is FNV-1a 64 over
 * `fmt.Sprintf("%016d", labels.Hash())` followed by the target URL, and `Target.offset()` puts the
 * scrape at `(hash ^ offsetSeed) % interval` past each multiple of the interval since the Unix epoch;
 * scrape/manager.go `setOffsetSeed` is FNV-1a 64 over the server's FQDN followed by its external labels'
 * `String()`. `labels.Hash()` (the default stringlabels build) is XXH64 over the label set's encoding:
 * each name and value, sorted by name, prefixed by its length (one byte below 255, else 255 and three
 * little-endian bytes). The pull model (pull-scrapes.ts) calls this for every target; an integration test
 * checks it against a real Prometheus's scrape timestamps. See docs/simulate.md.
 */
import { fnv1a64, xxhash64 } from './hash64.ts';

const utf8 = new TextEncoder();

/** A target's full label set after relabeling, reserved `__` labels included. */
export type TargetLabels = Readonly<Record<string, string>>;

/** Prometheus's `model.Duration.String()`: `5s`, `1m30s`, `100ms`, `1w`. */
export function promDurationString(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0) return '0s';
  let out = '';
  const exact: Array<[string, number]> = [
    ['y', 31_536_000_000],
    ['w', 604_800_000],
  ];
  for (const [unit, mult] of exact) {
    if (rest % mult === 0 && rest >= mult) {
      out += `${rest / mult}${unit}`;
      rest = 0;
    }
  }
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  for (const [unit, mult] of units) {
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      rest -= v * mult;
    }
  }
  return out;
}

function encodedSize(n: number): number[] {
  return n < 255 ? [n] : [255, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
}

/** The stringlabels encoding of a label set, sorted by name bytewise. */
export function encodeLabels(labels: TargetLabels): Uint8Array {
  const names = Object.keys(labels).sort((a, b) => Buffer.compare(utf8.encode(a), utf8.encode(b)));
  const out: number[] = [];
  for (const name of names) {
    for (const s of [name, labels[name]!]) {
      const bytes = utf8.encode(s);
      out.push(...encodedSize(bytes.length), ...bytes);
    }
  }
  return Uint8Array.from(out);
}

/** `labels.Labels.Hash()`. */
export function labelsHash(labels: TargetLabels): bigint {
  return xxhash64(encodeLabels(labels));
}

const PATH = /^\/[A-Za-z0-9/._~-]*$/;

/** `Target.URL().String()` for a target without URL parameters. */
export function targetUrl(labels: TargetLabels): string {
  if (Object.keys(labels).some((k) => k.startsWith('__param_'))) {
    throw new RangeError(
      'target labels: __param_* labels are not supported; expected a target without URL parameters',
    );
  }
  const path = labels.__metrics_path__ ?? '';
  if (!PATH.test(path)) {
    throw new RangeError(
      `target labels: __metrics_path__ ${JSON.stringify(path)} is not allowed; expected a path of letters, digits and / . _ ~ -`,
    );
  }
  return `${labels.__scheme__ ?? ''}://${labels.__address__ ?? ''}${path}`;
}

/** `Target.hash()`: FNV-1a 64 over the zero-padded decimal label hash and the URL. */
export function targetHash(labels: TargetLabels): bigint {
  const text = `${labelsHash(labels).toString().padStart(16, '0')}${targetUrl(labels)}`;
  return fnv1a64(utf8.encode(text));
}

/** The server's `offsetSeed` from its FQDN and external labels (`labels.String()`, `{}` when none). */
export function offsetSeed(fqdn: string, externalLabels: TargetLabels = {}): bigint {
  const names = Object.keys(externalLabels).sort();
  const text = `{${names.map((n) => `${n}=${JSON.stringify(externalLabels[n])}`).join(', ')}}`;
  return fnv1a64(utf8.encode(`${fqdn}${text}`));
}

/** Where in each interval the target is scraped: milliseconds past every multiple of the interval since the epoch. */
export function scrapeOffsetMs(labels: TargetLabels, intervalMs: number, seed: bigint): number {
  const intervalNs = BigInt(Math.round(intervalMs * 1e6));
  return Number((targetHash(labels) ^ seed) % intervalNs) / 1e6;
}

/** What the local runtime's scrape config (local/render-prometheus.ts) gives one pull target. */
export interface LocalPullTarget {
  address: string;
  producerId: string;
  experiment: string;
  job: string;
  scrapeIntervalMs: number;
  scrapeTimeoutMs: number;
}

/**
 * The full label set Prometheus builds for one target of the local runtime's pull job
 * (scrape/target.go PopulateDiscoveredLabels + PopulateLabels, default scrape options).
 */
export function localPullTargetLabels(t: LocalPullTarget): TargetLabels {
  return {
    __address__: t.address,
    __metrics_path__: `/targets/${t.producerId}/metrics`,
    __scheme__: 'http',
    __scrape_interval__: promDurationString(t.scrapeIntervalMs),
    __scrape_timeout__: promDurationString(t.scrapeTimeoutMs),
    __convert_classic_histograms_to_nhcb__: 'false',
    __always_scrape_classic_histograms__: 'false',
    __scrape_native_histograms__: 'false',
    job: t.job,
    instance: t.address,
    experiment: t.experiment,
    arm: 'pull',
    producer: t.producerId,
  };
}
