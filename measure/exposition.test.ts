import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExposition, sumSamples } from './exposition.ts';

const text = `# HELP statsd_exporter_udp_packets_total The total number of StatsD packets received over UDP.
# TYPE statsd_exporter_udp_packets_total counter
statsd_exporter_udp_packets_total 1234
statsd_exporter_sample_errors_total{reason="malformed_line"} 3
statsd_exporter_sample_errors_total{reason="illegal_negative_counter"} 2
otelcol_receiver_refused_metric_points_total{receiver="otlp",transport="grpc",note="a \\"quoted\\", value"} 7 1700000000000
`;

test('parses names, labels with escapes and values, skipping comments', () => {
  const samples = parseExposition(text);
  assert.equal(samples.length, 4);
  assert.deepEqual(samples[0], { name: 'statsd_exporter_udp_packets_total', labels: {}, value: 1234 });
  assert.equal(samples[3]?.labels.note, 'a "quoted", value');
  assert.equal(samples[3]?.value, 7);
});

test('sums matching samples and falls back across alternative names', () => {
  const samples = parseExposition(text);
  assert.equal(sumSamples(samples, 'statsd_exporter_sample_errors_total'), 5);
  assert.equal(sumSamples(samples, 'statsd_exporter_sample_errors_total', { reason: 'malformed_line' }), 3);
  assert.equal(
    sumSamples(samples, [
      'otelcol_receiver_refused_metric_points',
      'otelcol_receiver_refused_metric_points_total',
    ]),
    7,
  );
});

test('an absent metric is null, not zero', () => {
  assert.equal(sumSamples(parseExposition(text), 'nope_total'), null);
});
