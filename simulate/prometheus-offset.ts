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

// One scratch buffer for every encoding: the model hashes up to 100,000 targets per run.
let scratch = new Uint8Array(4096);
let lastKeys: string[] = [];
let lastSorted: string[] = [];

/** Names of `labels` sorted bytewise (as Go compares strings); the last order is reused when the names repeat. */
function namesOf(labels: TargetLabels): string[] {
  const keys = Object.keys(labels);
  let same = keys.length === lastKeys.length;
  for (let i = 0; same && i < keys.length; i++) same = keys[i] === lastKeys[i];
  if (!same) {
    lastKeys = keys;
    lastSorted = [...keys].sort((a, b) => Buffer.compare(utf8.encode(a), utf8.encode(b)));
  }
  return lastSorted;
}

/** Writes `s` with its stringlabels length prefix into `buf` at `at`; returns the end. ASCII is copied directly. */
function putString(buf: Uint8Array, s: string, at: number): number {
  const n = s.length;
  let ascii = n < 255;
  for (let i = 0; ascii && i < n; i++) if (s.charCodeAt(i) > 127) ascii = false;
  if (ascii) {
    buf[at] = n;
    for (let i = 0; i < n; i++) buf[at + 1 + i] = s.charCodeAt(i);
    return at + 1 + n;
  }
  const bytes = utf8.encode(s);
  const m = bytes.length;
  const head = m < 255 ? [m] : [255, m & 0xff, (m >> 8) & 0xff, (m >> 16) & 0xff];
  buf.set(head, at);
  buf.set(bytes, at + head.length);
  return at + head.length + m;
}

/** The stringlabels encoding of sorted names and their values into the scratch buffer; returns its length. */
function encodeInto(names: readonly string[], values: readonly string[]): number {
  let room = 0;
  for (let i = 0; i < names.length; i++) room += 8 + 3 * (names[i]!.length + values[i]!.length);
  if (scratch.length < room) scratch = new Uint8Array(2 * room);
  const buf = scratch;
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    at = putString(buf, names[i]!, at);
    at = putString(buf, values[i]!, at);
  }
  return at;
}

const valuesOf = (labels: TargetLabels, names: readonly string[]) => names.map((n) => labels[n]!);

/** The stringlabels encoding of a label set, sorted by name bytewise. */
export function encodeLabels(labels: TargetLabels): Uint8Array {
  const names = namesOf(labels);
  return scratch.slice(0, encodeInto(names, valuesOf(labels, names)));
}

/** `labels.Labels.Hash()`. */
export function labelsHash(labels: TargetLabels): bigint {
  const names = namesOf(labels);
  return xxhash64(scratch, encodeInto(names, valuesOf(labels, names)));
}

const PATH = /^\/[A-Za-z0-9/._~-]*$/;

/** `Target.URL().String()` for a target without URL parameters. */
export function targetUrl(labels: TargetLabels): string {
  if (namesOf(labels).some((k) => k.startsWith('__param_'))) {
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

let urlScratch = new Uint8Array(1024);

/** FNV-1a 64 over the zero-padded decimal label hash and the URL: the core of `Target.hash()`. */
function hashWithUrl(labelHash: bigint, url: string): bigint {
  const text = `${labelHash.toString().padStart(16, '0')}${url}`;
  if (urlScratch.length < text.length * 3) urlScratch = new Uint8Array(text.length * 3);
  return fnv1a64(urlScratch, utf8.encodeInto(text, urlScratch).written);
}

/** `Target.hash()`: FNV-1a 64 over the zero-padded decimal label hash and the URL. */
export function targetHash(labels: TargetLabels): bigint {
  return hashWithUrl(labelsHash(labels), targetUrl(labels));
}

/** The server's `offsetSeed` from its FQDN and external labels (`labels.String()`, `{}` when none). */
export function offsetSeed(fqdn: string, externalLabels: TargetLabels = {}): bigint {
  const names = Object.keys(externalLabels).sort();
  const text = `{${names.map((n) => `${n}=${JSON.stringify(externalLabels[n])}`).join(', ')}}`;
  return fnv1a64(utf8.encode(`${fqdn}${text}`));
}

/** The offset within the interval of a target hash, in ms. */
function offsetOfHash(hash: bigint, intervalMs: number, seed: bigint): number {
  return Number((hash ^ seed) % BigInt(Math.round(intervalMs * 1e6))) / 1e6;
}

/** Where in each interval the target is scraped: milliseconds past every multiple of the interval since the epoch. */
export function scrapeOffsetMs(labels: TargetLabels, intervalMs: number, seed: bigint): number {
  return offsetOfHash(targetHash(labels), intervalMs, seed);
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

/** The parts of a local pull target's labels every target of the job shares. */
export type LocalPullJob = Omit<LocalPullTarget, 'address' | 'producerId'>;

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

/** The encoding of one name or name + value pair, as it appears inside a label set's encoding. */
function encodedPart(...strings: string[]): Uint8Array {
  const buf = new Uint8Array(8 + strings.reduce((n, x) => n + 4 + 3 * x.length, 0));
  let at = 0;
  for (const x of strings) at = putString(buf, x, at);
  return buf.slice(0, at);
}

/**
 * Scrape offsets of many targets of one local pull job, fast: the label names are sorted once, the
 * labels every target shares are encoded once, and only the four values a target changes (address,
 * instance, path, producer) are encoded per target.
 */
export function localPullScrapeOffsets(
  job: LocalPullJob,
  seed: bigint,
): (address: string, producerId: string) => number {
  const template = localPullTargetLabels({ ...job, address: '', producerId: '' });
  const names = [...namesOf(template)];
  const varying = ['__address__', 'instance', '__metrics_path__', 'producer'];
  // Each part: a constant run of bytes, or a name whose value comes from the target (slot into `values`).
  const parts = names.map((name) =>
    varying.includes(name)
      ? { bytes: encodedPart(name), slot: varying.indexOf(name) }
      : { bytes: encodedPart(name, template[name]!), slot: -1 },
  );
  const fixed = parts.reduce((n, p) => n + p.bytes.length, 0);
  const intervalNs = BigInt(Math.round(job.scrapeIntervalMs * 1e6));
  const values = ['', '', '', ''];
  return (addr, id) => {
    const metricsPath = `/targets/${id}/metrics`;
    values[0] = addr;
    values[1] = addr;
    values[2] = metricsPath;
    values[3] = id;
    const room = fixed + 16 + 3 * (2 * addr.length + metricsPath.length + id.length);
    if (scratch.length < room) scratch = new Uint8Array(2 * room);
    const buf = scratch;
    let at = 0;
    for (const part of parts) {
      buf.set(part.bytes, at);
      at += part.bytes.length;
      if (part.slot >= 0) at = putString(buf, values[part.slot]!, at);
    }
    const hash = hashWithUrl(xxhash64(buf, at), `http://${addr}${metricsPath}`);
    return Number((hash ^ seed) % intervalNs) / 1e6;
  };
}
