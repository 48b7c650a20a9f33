/**
 * Every rendered configuration against the real programs: `promtool check config` on the subject and rig
 * prometheus.yml of every example and input, and `otelcol validate` on the collector config.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { renderLivenessRules } from '../collectors/liveness.ts';
import { type CollectorTools, locateTools } from '../tools/locate.ts';
import { LIVENESS_RULES_FILE } from './render/names.ts';
import { renderOtelcolConfig } from './render/otelcol-config.ts';
import { renderRigPrometheusConfig, renderSubjectPrometheusConfig } from './render/prometheus-config.ts';
import { experimentFromFile, renderFixtures } from './testing/fixtures.ts';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..');
let dir: string;
let tools: CollectorTools;
before(() => {
  tools = locateTools();
  dir = mkdtempSync(join(tmpdir(), 'pushpull-operator-configs-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function check(
  binary: string,
  args: (file: string) => string[],
  name: string,
  text: string,
): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    const { stdout, stderr } = await run(binary, args(file), { timeout: 60_000 });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    assert.fail(
      `${binary} rejected ${name}:\n${e.stdout ?? ''}${e.stderr ?? e.message}\n--- config ---\n${text.slice(0, 4000)}`,
    );
  }
}

describe('rendered configs pass the real tools', () => {
  for (const fixture of renderFixtures(repoRoot)) {
    test(`promtool accepts the subject and rig Prometheus configs of ${fixture.id}`, async () => {
      const x = experimentFromFile(fixture.path);
      const promtool = (f: string) => ['check', 'config', f];
      // The liveness rules load from the ConfigMap's mount in a pod; here from a file beside the config.
      const rules = renderLivenessRules(x.metadata.name, x.spec);
      const rulesFile = join(dir, `${fixture.id}-${LIVENESS_RULES_FILE}`);
      if (rules !== null) writeFileSync(rulesFile, rules);
      const subject = renderSubjectPrometheusConfig(x.metadata.name, x.metadata.namespace, x.spec).replace(
        `/etc/prometheus/${LIVENESS_RULES_FILE}`,
        rulesFile,
      );
      assert.match(
        await check(tools.promtool.path, promtool, `${fixture.id}-subject.yml`, subject),
        /SUCCESS/,
      );
      const rig = renderRigPrometheusConfig(x.metadata.name, x.metadata.namespace, x.spec);
      assert.match(await check(tools.promtool.path, promtool, `${fixture.id}-rig.yml`, rig), /SUCCESS/);
      // With the operator's kubelet relay (the chart's setting) the rig also scrapes cAdvisor through it.
      const relayed = renderRigPrometheusConfig(
        x.metadata.name,
        x.metadata.namespace,
        x.spec,
        'pushpull-metrics.pushpull-system.svc:8080',
      );
      assert.match(
        await check(tools.promtool.path, promtool, `${fixture.id}-rig-relay.yml`, relayed),
        /SUCCESS/,
      );
    });
  }

  test('otelcol validates the collector config', async () => {
    await check(
      tools.otelcol.path,
      (f) => ['validate', `--config=${f}`],
      'otelcol.yaml',
      renderOtelcolConfig('quick', experimentFromFile(join(repoRoot, 'examples/quick.yaml')).spec),
    );
  });
});
