import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../kube/objects.ts';
import { filterCadvisor, parseLabels } from './cadvisor-filter.ts';
import { collectorContainers } from './collector-containers.ts';

const node = (pod: string, container: string, value: number, name = 'container_cpu_usage_seconds_total') =>
  `${name}{container="${container}",cpu="total",id="/kubepods/pod1/${container}",image="x",name="c1",namespace="ns",pod="${pod}"} ${value} 1700000000000`;

const HEAD = [
  '# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.',
  '# TYPE container_cpu_usage_seconds_total counter',
];

describe('the kubelet relay keeps only the collectors under test', () => {
  test('label sets with escapes, commas and braces in values parse', () => {
    assert.deepEqual(
      [...(parseLabels('a="x,y",b="q\\"}",c=""') ?? [])],
      [
        ['a', 'x,y'],
        ['b', 'q"}'],
        ['c', ''],
      ],
    );
    assert.equal(parseLabels('a=x'), null);
  });

  test('samples of other pods, other containers and other families are dropped; a collector label is added', () => {
    const text = [
      ...HEAD,
      node('q-statsd-1', 'statsd-exporter', 1.5),
      node('q-statsd-1', 'udp-counters', 0.2),
      node('q-statsd-1', '', 9),
      node('other-1', 'statsd-exporter', 7),
      '# HELP container_fs_reads_total x',
      '# TYPE container_fs_reads_total counter',
      node('q-statsd-1', 'statsd-exporter', 3, 'container_fs_reads_total'),
    ].join('\n');
    const out = filterCadvisor(
      [text],
      [{ namespace: 'ns', pod: 'q-statsd-1', container: 'statsd-exporter', collector: 'statsd' }],
    );
    assert.equal(
      out,
      `${[
        ...HEAD,
        `container_cpu_usage_seconds_total{collector="statsd",container="statsd-exporter",cpu="total",id="/kubepods/pod1/statsd-exporter",image="x",name="c1",namespace="ns",pod="q-statsd-1"} 1.5 1700000000000`,
      ].join('\n')}\n`,
    );
  });

  test('two nodes merge into one exposition with each family once', () => {
    const a = [...HEAD, node('p-1', 'prometheus', 1)].join('\n');
    const b = [...HEAD, node('o-1', 'otelcol', 2)].join('\n');
    const out = filterCadvisor(
      [a, b],
      [
        { namespace: 'ns', pod: 'p-1', container: 'prometheus', collector: 'prometheus' },
        { namespace: 'ns', pod: 'o-1', container: 'otelcol', collector: 'otelcol' },
      ],
    );
    assert.equal(out.split('\n').filter((l) => l.startsWith('# TYPE')).length, 1);
    assert.equal(out.split('\n').filter((l) => l.startsWith('container_')).length, 2);
  });

  test('nothing wanted gives an empty exposition', () => {
    assert.equal(filterCadvisor([[...HEAD, node('p-1', 'prometheus', 1)].join('\n')], []), '');
  });
});

describe('collector containers from pods', () => {
  test('restarts and OOM kills come from the container status; other pods are not collectors', () => {
    const pod = (component: string, status: unknown): KubeObject =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `q-${component}`,
          namespace: 'ns',
          labels: { 'app.kubernetes.io/component': component },
        },
        spec: { nodeName: 'n1' },
        status,
      }) as KubeObject;
    const got = collectorContainers([
      pod('otelcol', {
        hostIP: '10.0.0.1',
        containerStatuses: [
          {
            name: 'otelcol',
            restartCount: 2,
            lastState: { terminated: { reason: 'OOMKilled', finishedAt: '2026-12-01T10:00:00Z' } },
          },
        ],
      }),
      pod('producer-otlp', { hostIP: '10.0.0.1' }),
      pod('statsd-exporter', {}),
    ]);
    assert.deepEqual(got, [
      {
        collector: 'otelcol',
        namespace: 'ns',
        pod: 'q-otelcol',
        container: 'otelcol',
        node: 'n1',
        hostIP: '10.0.0.1',
        restarts: 2,
        oomKilledAt: ['2026-12-01T10:00:00Z'],
      },
      {
        collector: 'statsd',
        namespace: 'ns',
        pod: 'q-statsd-exporter',
        container: 'statsd-exporter',
        node: 'n1',
        restarts: 0,
        oomKilledAt: [],
      },
    ]);
  });
});
