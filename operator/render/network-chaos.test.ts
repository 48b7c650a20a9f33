/**
 * Golden tests of the NetworkChaos renderer: every network fault of testdata/inputs/network-faults.yaml
 * renders to testdata/network-chaos/network-faults.golden.yaml (UPDATE_GOLDEN=1 to update), plus the
 * mapping's rules: owned and labelled like the workload, the ClusterIP only where packets go to a push
 * collector, two objects only where Chaos Mesh refuses one, and honest refusals.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { assertGolden } from '../../testing/golden.ts';
import { experimentFromFile } from '../testing/fixtures.ts';
import { EXPERIMENT_LABEL, WORKLOAD_LABEL } from './names.ts';
import {
  describeNetworkFault,
  NETWORK_FAULT_LABEL,
  type NetworkChaosSpecView,
  renderNetworkChaos,
} from './network-chaos.ts';

const INPUT = join(import.meta.dirname, 'testdata/inputs/network-faults.yaml');
const SERVICE_IP = '10.96.0.42';

describe('renderNetworkChaos', () => {
  const x = experimentFromFile(INPUT);
  const rendered = (x.spec.networkFaults ?? []).map((_, index) =>
    renderNetworkChaos({ experiment: x, index, collectorServiceIP: SERVICE_IP }),
  );

  test('renders every network fault of the testdata spec as its golden file', () => {
    const text = rendered
      .map((r, i) => {
        assert.ok(r.ok, `fault ${i} renders`);
        return `# ${describeNetworkFault(x.spec.networkFaults![i]!, i)}\n${r.objects
          .map((o) => stringify(o, { lineWidth: 0, sortMapEntries: true }))
          .join('---\n')}`;
      })
      .join('---\n');
    assertGolden(
      join(import.meta.dirname, 'testdata/network-chaos/network-faults.golden.yaml'),
      `# Rendered from operator/render/testdata/inputs/network-faults.yaml by operator/render/network-chaos.ts: do not edit.\n${text}`,
    );
  });

  test('every object is owned by the experiment and labelled with its fault', () => {
    rendered.forEach((r, i) => {
      assert.ok(r.ok);
      for (const o of r.objects) {
        assert.deepEqual(
          o.metadata.ownerReferences?.map((ref) => [ref.kind, ref.name, ref.uid, ref.controller]),
          [['PushPullExperiment', 'network-faults', x.metadata.uid, true]],
        );
        assert.equal(o.metadata.labels?.[EXPERIMENT_LABEL], 'network-faults');
        assert.equal(o.metadata.labels?.[WORKLOAD_LABEL], 'true');
        assert.equal(o.metadata.labels?.[NETWORK_FAULT_LABEL], String(i));
      }
    });
  });

  const specs = (i: number) => {
    const r = rendered[i]!;
    assert.ok(r.ok);
    return r.objects.map((o) => o.spec as NetworkChaosSpecView);
  };

  test('loss to a push collector: one object, "to", the Service ClusterIP as external target, a percentage', () => {
    const [s, more] = specs(0);
    assert.equal(more, undefined);
    assert.equal(s!.action, 'loss');
    assert.equal(s!.direction, 'to');
    assert.deepEqual(s!.externalTargets, [SERVICE_IP]);
    assert.deepEqual(s!.loss, { loss: '30', correlation: '0' });
    assert.equal(s!.duration, '10000ms');
    assert.equal(s!.selector.labelSelectors['app.kubernetes.io/component'], 'producer-statsd');
    assert.equal(s!.target.selector.labelSelectors['app.kubernetes.io/component'], 'statsd-exporter');
  });

  test('pull is scraped on pod IPs: both directions in one object, no external target', () => {
    const [s, more] = specs(1);
    assert.equal(more, undefined);
    assert.equal(s!.direction, 'both');
    assert.equal(s!.externalTargets, undefined);
    assert.equal(s!.target.selector.labelSelectors['app.kubernetes.io/component'], 'prometheus');
    assert.equal(specs(4)[0]!.loss!.loss, '12.3');
  });

  test('a tc fault both ways on a push arm becomes -to (with the ClusterIP) and -from', () => {
    const r = rendered[2]!;
    assert.ok(r.ok);
    assert.deepEqual(
      r.objects.map((o) => [o.metadata.name, (o.spec as NetworkChaosSpecView).direction]),
      [
        ['network-faults-netfault-2-to', 'to'],
        ['network-faults-netfault-2-from', 'from'],
      ],
    );
    const [to, from] = specs(2);
    assert.deepEqual(to!.externalTargets, [SERVICE_IP]);
    assert.equal(from!.externalTargets, undefined);
    assert.deepEqual(to!.bandwidth, { rate: '1000000bit', limit: 12_500, buffer: 3028 });
  });

  test('a partition of a push arm both ways: one object, with the ClusterIP (allowed for partitions)', () => {
    const [s, more] = specs(5);
    assert.equal(more, undefined);
    assert.equal(s!.direction, 'both');
    assert.deepEqual(s!.externalTargets, [SERVICE_IP]);
  });

  test('delay from the collector: "from", no external target, the latency in ms', () => {
    const [s] = specs(3);
    assert.equal(s!.direction, 'from');
    assert.equal(s!.externalTargets, undefined);
    assert.deepEqual(s!.delay, { latency: '200ms', correlation: '0', jitter: '0ms' });
    assert.equal(s!.duration, '5500ms');
  });

  test('a fault applied late lasts only what is left of it', () => {
    const r = renderNetworkChaos({
      experiment: x,
      index: 0,
      collectorServiceIP: SERVICE_IP,
      durationMs: 7250,
    });
    assert.ok(r.ok);
    assert.equal((r.objects[0]!.spec as NetworkChaosSpecView).duration, '7250ms');
  });

  test('refuses, with the reason, what a NetworkChaos cannot do', () => {
    const noIp = renderNetworkChaos({ experiment: x, index: 0 });
    assert.deepEqual(noIp, {
      ok: false,
      reason: 'the statsd collector Service network-faults-statsd has no ClusterIP',
    });
    const external = structuredClone(x);
    external.spec.collection.prometheusURL = 'http://prometheus.monitoring:9090';
    const r = renderNetworkChaos({ experiment: external, index: 1 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /spec\.collection\.prometheusURL/);
  });
});
