/** The otelcol receiver counters from its telemetry text: present, absent before any request, not otelcol's. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { otelcolReceiverCounters } from './collector-counters.ts';

const PROCESS_ONLY = [
  '# HELP otelcol_process_uptime Uptime of the process',
  '# TYPE otelcol_process_uptime counter',
  'otelcol_process_uptime 3.01',
  'target_info{service_name="otelcol"} 1',
].join('\n');

describe('otelcolReceiverCounters', () => {
  it('sums the receiver counters over transports', () => {
    const text = [
      PROCESS_ONLY,
      'otelcol_receiver_accepted_metric_points{receiver="otlp",transport="grpc"} 2095',
      'otelcol_receiver_accepted_metric_points{receiver="otlp",transport="http"} 5',
      'otelcol_receiver_refused_metric_points{receiver="otlp",transport="grpc"} 0',
      'otelcol_receiver_failed_metric_points{receiver="otlp",transport="grpc"} 7',
    ].join('\n');
    const c = otelcolReceiverCounters(text);
    assert.deepEqual([c.accepted.value, c.refused.value, c.failed.value], [2100, 0, 7]);
    assert.equal(c.accepted.source, 'otelcol_receiver_accepted_metric_points (otelcol telemetry)');
  });

  it('reads the _total names of other telemetry setups', () => {
    const c = otelcolReceiverCounters(
      `${PROCESS_ONLY}\notelcol_receiver_accepted_metric_points_total{receiver="otlp"} 12`,
    );
    assert.equal(c.accepted.value, 12);
  });

  it('counts 0, and says why, while otelcol has had no OTLP request (the families do not exist yet)', () => {
    const c = otelcolReceiverCounters(PROCESS_ONLY);
    assert.deepEqual([c.accepted.value, c.refused.value, c.failed.value], [0, 0, 0]);
    assert.match(c.refused.source, /absent until its first OTLP request, so 0/);
  });

  it('leaves the counters missing when the text is not otelcol telemetry at all', () => {
    const c = otelcolReceiverCounters('up 1\n');
    assert.equal(c.accepted.value, null);
    assert.match('missing' in c.accepted ? c.accepted.missing : '', /serves no otelcol_ series/);
  });
});
