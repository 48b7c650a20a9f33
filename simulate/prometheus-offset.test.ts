import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fnv1a64, xxhash64 } from './hash64.ts';
import {
  labelsHash,
  localPullScrapeOffsets,
  localPullTargetLabels,
  offsetSeed,
  promDurationString,
  scrapeOffsetMs,
  targetHash,
} from './prometheus-offset.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

// Reference values printed by Go 1.26 with github.com/prometheus/prometheus v0.316.0's own
// labels.FromStrings(...).Hash(), hash/fnv and the same Sprintf formats (see docs/simulate.md).
const GO_LABELS = { __address__: '127.0.0.1:9100', job: 'pull', instance: '127.0.0.1:9100' };

describe('hashes', () => {
  it('match the published XXH64 and FNV-1a 64 test vectors', () => {
    assert.equal(xxhash64(bytes('')), 0xef46db3751d8e999n);
    assert.equal(xxhash64(bytes('a')), 0xd24ec4f1a98c6e5bn);
    assert.equal(xxhash64(bytes('abc')), 0x44bc2cf5ad770999n);
    assert.equal(fnv1a64(bytes('')), 0xcbf29ce484222325n);
    assert.equal(fnv1a64(bytes('a')), 0xaf63dc4c8601ec8cn);
  });
});

describe('Prometheus offset rule', () => {
  it("hashes a label set as Prometheus's labels.Hash() does", () => {
    assert.equal(labelsHash(GO_LABELS), 18227325065637667854n);
  });
  it("hashes a target as scrape/target.go's Target.hash() does", () => {
    // targetUrl needs scheme and path labels; the Go check hashed the URL string directly.
    const withUrl = { ...GO_LABELS };
    const h = fnv1a64(
      bytes(`${labelsHash(withUrl).toString().padStart(16, '0')}http://127.0.0.1:9100/metrics`),
    );
    assert.equal(h, 14091785326369435627n);
    const full = { ...GO_LABELS, __scheme__: 'http', __metrics_path__: '/metrics' };
    assert.notEqual(targetHash(full), h, 'the scheme and path labels are part of the label hash');
  });
  it("derives the server seed as scrape/manager.go's setOffsetSeed does", () => {
    assert.equal(offsetSeed('vm'), 2255896597650513208n);
  });
  it('puts the offset inside the interval', () => {
    const labels = { ...GO_LABELS, __scheme__: 'http', __metrics_path__: '/metrics' };
    const o = scrapeOffsetMs(labels, 5000, offsetSeed('vm'));
    assert.ok(o >= 0 && o < 5000);
  });
  it("formats durations as Prometheus's model.Duration", () => {
    assert.equal(promDurationString(5000), '5s');
    assert.equal(promDurationString(100), '100ms');
    assert.equal(promDurationString(90_000), '1m30s');
    assert.equal(promDurationString(1500), '1s500ms');
    assert.equal(promDurationString(604_800_000), '1w');
  });
});

describe('the fast path for many local pull targets', () => {
  it('gives the same offsets as the label-set path', () => {
    const job = { experiment: 'x', job: 'pull', scrapeIntervalMs: 5000, scrapeTimeoutMs: 4000 };
    const seed = offsetSeed('localhost');
    const fast = localPullScrapeOffsets(job, seed);
    for (const [address, producerId] of [
      ['a:1', 'p0000'],
      ['producer-7:8080', 'p0351'],
      ['10.0.0.1:9100', 'p99999'],
    ]) {
      assert.equal(
        fast(address!, producerId!),
        scrapeOffsetMs(
          localPullTargetLabels({ ...job, address: address!, producerId: producerId! }),
          5000,
          seed,
        ),
      );
    }
  });
});
