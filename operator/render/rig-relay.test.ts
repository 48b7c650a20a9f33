import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { experimentFromFile } from '../testing/fixtures.ts';
import { renderRigPrometheusConfig } from './prometheus-config.ts';

const x = experimentFromFile(join(import.meta.dirname, '../../examples/quick.yaml'));
const jobs = (relay?: string) =>
  (
    parse(renderRigPrometheusConfig(x.metadata.name, x.metadata.namespace, x.spec, relay)) as {
      scrape_configs: Array<Record<string, unknown>>;
    }
  ).scrape_configs;

test('the rig scrapes the collectors’ cAdvisor series through the operator’s relay only when it has one', () => {
  assert.equal(
    jobs().find((j) => j.job_name === 'rig_cadvisor'),
    undefined,
  );
  assert.deepEqual(
    jobs('op.sys.svc:8080').find((j) => j.job_name === 'rig_cadvisor'),
    {
      job_name: 'rig_cadvisor',
      static_configs: [{ targets: ['op.sys.svc:8080'], labels: { experiment: x.metadata.name } }],
      scrape_interval: '5s',
      scrape_timeout: '4s',
      metrics_path: '/kubelet/cadvisor',
      params: { namespace: [x.metadata.namespace], experiment: [x.metadata.name] },
      honor_labels: true,
    },
  );
});
