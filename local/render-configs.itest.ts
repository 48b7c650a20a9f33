/**
 * The rendered configs against the real programs: `promtool check config` on every subject and rig
 * prometheus.yml shape, `otelcol validate` on the collector config (it rejects unknown keys).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { validateSpec } from '../api/v1alpha1/validate.ts';
import { renderLivenessRules } from '../collectors/liveness.ts';
import { renderOtelcolConfig } from '../collectors/otelcol-config.ts';
import { FULL_OTELCOL } from '../collectors/testdata/render-input.ts';
import { type CollectorTools, locateTools } from '../tools/locate.ts';
import { renderRigPrometheusConfig, renderSubjectPrometheusConfig } from './render-prometheus.ts';
import { FULL_RIG, FULL_SUBJECT, JOBS_SUBJECT, pull } from './testdata/render-inputs.ts';

const run = promisify(execFile);
let dir: string;
let tools: CollectorTools;
before(() => {
  tools = locateTools();
  dir = mkdtempSync(join(tmpdir(), 'pushpull-configs-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function promtool(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const { stdout, stderr } = await run(tools.promtool.path, ['check', 'config', file], { timeout: 30_000 });
  return stdout + stderr;
}

describe('promtool check rules', () => {
  it('accepts the liveness rules of every arm, and a subject config that loads them', async () => {
    const spec = validateSpec({
      fleet: { producers: 2 },
      load: { phases: [{ name: 'open', durationSeconds: 10, eventsPerSecond: 10, symbols: 1 }] },
      arms: { pull: {}, statsd: { heartbeatIntervalSeconds: 1 }, otlp: {} },
      liveness: { forSeconds: 2 },
    });
    assert.ok(spec.ok);
    const rules = join(dir, 'liveness-rules.yml');
    writeFileSync(rules, renderLivenessRules('quick', spec.spec)!);
    const { stdout } = await run(tools.promtool.path, ['check', 'rules', rules], { timeout: 30_000 });
    assert.match(stdout, /SUCCESS: 3 rules found/);
    const subject = renderSubjectPrometheusConfig({
      ...FULL_SUBJECT,
      ruleFiles: [rules],
      evaluationIntervalSeconds: 1,
    });
    assert.match(await promtool('with-rules.yml', subject), /SUCCESS/);
  });
});

describe('promtool check rules, short-lived jobs', () => {
  it('accepts the Pushgateway stale-group rule of a renamed batch', async () => {
    const spec = validateSpec({
      fleet: { producers: 1 },
      load: { phases: [{ name: 'open', durationSeconds: 10, eventsPerSecond: 10, symbols: 1 }] },
      arms: { pull: {} },
      jobs: [
        {
          name: 'cron',
          path: 'pushgateway',
          count: 3,
          lifetimeSeconds: 1,
          phase: 'open',
          renameAfterJobs: 2,
        },
      ],
    });
    assert.ok(spec.ok);
    const rules = join(dir, 'jobs-rules.yml');
    writeFileSync(rules, renderLivenessRules('quick', spec.spec)!);
    const { stdout } = await run(tools.promtool.path, ['check', 'rules', rules], { timeout: 30_000 });
    assert.match(stdout, /SUCCESS: 2 rules found/);
  });
});

describe('promtool check config', () => {
  it('accepts the subject config with the Pushgateway and pull-direct jobs', async () => {
    assert.match(await promtool('jobs.yml', renderSubjectPrometheusConfig(JOBS_SUBJECT)), /SUCCESS/);
  });

  it('accepts the subject config with every arm', async () => {
    assert.match(await promtool('subject.yml', renderSubjectPrometheusConfig(FULL_SUBJECT)), /SUCCESS/);
  });

  it('accepts a pull job with no targets yet (before the producers are up)', async () => {
    assert.match(
      await promtool('empty.yml', renderSubjectPrometheusConfig({ ...FULL_SUBJECT, pullTargets: [] })),
      /SUCCESS/,
    );
  });

  it('accepts sub-second timeouts and no limits', async () => {
    const text = renderSubjectPrometheusConfig({
      ...FULL_SUBJECT,
      pull: {
        ...pull,
        scrapeIntervalSeconds: 1,
        scrapeTimeoutSeconds: 0.25,
        sampleLimit: 0,
        bodySizeLimitBytes: 0,
      },
    });
    assert.match(await promtool('fast.yml', text), /SUCCESS/);
  });

  it('accepts the rig config', async () => {
    assert.match(await promtool('rig.yml', renderRigPrometheusConfig(FULL_RIG)), /SUCCESS/);
  });
});

describe('otelcol validate', () => {
  it('accepts the rendered collector config', async () => {
    const file = join(dir, 'otelcol.yaml');
    writeFileSync(file, renderOtelcolConfig(FULL_OTELCOL));
    await run(tools.otelcol.path, ['validate', `--config=${file}`], { timeout: 60_000 });
  });
});
