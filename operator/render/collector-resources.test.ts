import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { experimentFromYaml, TEST_IMAGES } from '../testing/fixtures.ts';
import { renderExperiment } from './render.ts';
import type { KubeObject } from './types.ts';

const quick = readFileSync(new URL('../../examples/quick.yaml', import.meta.url), 'utf8');
const SIZED = `${quick}  collectors:
    scaleWithFleet: true
    prometheus: { cpu: "20", memory: 16Gi }
    otelcol: { memory: 8Gi }
`;

interface ContainerView {
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  env?: Array<{ name: string; value: string }>;
}

function containers(objects: KubeObject[], name: string): ContainerView[] {
  const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  assert.ok(d, `no Deployment ${name}`);
  return (d.spec as { template: { spec: { containers: ContainerView[] } } }).template.spec.containers;
}

describe('collector budgets in a cluster', () => {
  it('gives a budgeted collector requests = limits = its budget after scale, the others their defaults', () => {
    const x = experimentFromYaml(SIZED, 'sized.yaml');
    const objects = renderExperiment({ experiment: x, images: TEST_IMAGES });
    const prometheus = containers(objects, 'quick-prometheus')[0]!;
    assert.deepEqual(prometheus.resources, {
      requests: { cpu: '200m', memory: '167773Ki' },
      limits: { cpu: '200m', memory: '167773Ki' },
    });
    const otelcol = containers(objects, 'quick-otelcol')[0]!;
    assert.equal(otelcol.resources.limits.memory, '83887Ki');
    assert.equal(otelcol.resources.limits.cpu, '1');
    assert.deepEqual(otelcol.env, [{ name: 'GOMEMLIMIT', value: '65MiB' }]);
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'quick-otelcol') as
      | (KubeObject & { data: Record<string, string> })
      | undefined;
    assert.ok(config);
    assert.deepEqual(parse(config.data['config.yaml']!).processors.memory_limiter, {
      check_interval: '1s',
      limit_mib: 65,
      spike_limit_mib: 16,
    });
  });
});
