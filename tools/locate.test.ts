import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  inspectTools,
  locateTools,
  parseReportedVersion,
  parseVersionsEnv,
  planTools,
  ToolMissingError,
  toolsDir,
  VERSIONS_ENV_PATH,
} from './locate.ts';

const VERSIONS = `# comment
PROMETHEUS_VERSION=v0.316.0

STATSD_EXPORTER_VERSION=v0.31.0
PUSHGATEWAY_VERSION=v1.11.1
OTELCOL_CORE_VERSION=v0.165.0
`;

describe('parseVersionsEnv', () => {
  it('reads KEY=value lines and skips comments and blank lines', () => {
    assert.deepEqual(parseVersionsEnv(VERSIONS), {
      PROMETHEUS_VERSION: 'v0.316.0',
      STATSD_EXPORTER_VERSION: 'v0.31.0',
      PUSHGATEWAY_VERSION: 'v1.11.1',
      OTELCOL_CORE_VERSION: 'v0.165.0',
    });
  });

  it('names the line number of a malformed line', () => {
    assert.throws(() => parseVersionsEnv('A=1\nnot a pin\n'), /line 2: "not a pin" is not KEY=value/);
  });

  it('parses the repository versions.env and pins every collector', () => {
    const statuses = inspectTools({
      versionsText: readFileSync(VERSIONS_ENV_PATH, 'utf8'),
      dir: '/t',
      isExecutable: () => true,
    });
    assert.deepEqual(
      statuses.map((s) => s.name),
      ['prometheus', 'promtool', 'statsd_exporter', 'pushgateway', 'otelcol'],
    );
  });
});

describe('toolsDir', () => {
  it('prefers PUSHPULL_TOOLS_DIR and falls back to the home cache', () => {
    assert.equal(toolsDir({ PUSHPULL_TOOLS_DIR: '/opt/t' }, '/home/u'), '/opt/t');
    assert.equal(toolsDir({}, '/home/u'), '/home/u/.cache/pushpull/tools');
  });
});

describe('planTools', () => {
  it('puts each binary in <folder>-<version>/ the way build.sh does', () => {
    const plan = planTools(
      ['prometheus', 'promtool', 'otelcol'],
      parseVersionsEnv(VERSIONS),
      '/t',
      () => true,
    );
    assert.deepEqual(
      plan.map((p) => p.path),
      ['/t/prometheus-v0.316.0/prometheus', '/t/prometheus-v0.316.0/promtool', '/t/otelcol-v0.165.0/otelcol'],
    );
  });

  it('fails clearly when versions.env lacks the pin', () => {
    assert.throws(() => planTools(['etcd'], {}, '/t', () => true), /no ETCD_VERSION \(needed for etcd\)/);
  });
});

describe('locateTools', () => {
  it('returns every collector path when all are present', () => {
    const tools = locateTools({ versionsText: VERSIONS, dir: '/t', isExecutable: () => true });
    assert.equal(tools.statsd_exporter.path, '/t/statsd_exporter-v0.31.0/statsd_exporter');
    assert.equal(tools.prometheus.pinned, 'v0.316.0');
  });

  it('says which tool is not built and how to build it', () => {
    const isExecutable = (p: string) => !p.endsWith('/prometheus');
    assert.throws(
      () => locateTools({ versionsText: VERSIONS, dir: '/t', isExecutable }),
      (err: unknown) => {
        assert.ok(err instanceof ToolMissingError);
        assert.match(err.message, /^prometheus v0\.316\.0 is not built: run `npm run tools`/);
        assert.equal(err.missing.length, 1);
        return true;
      },
    );
  });
});

describe('parseReportedVersion', () => {
  it('finds the version in each tool family banner', () => {
    assert.equal(parseReportedVersion('prometheus, version 3.16.0 (branch: x, revision: y)'), '3.16.0');
    assert.equal(parseReportedVersion('otelcol version 0.165.0'), '0.165.0');
    assert.equal(parseReportedVersion('Kubernetes v1.36.3'), '1.36.3');
    assert.equal(parseReportedVersion('v3.22.0+g1234abc'), '3.22.0+g1234abc');
    assert.equal(parseReportedVersion('no version here'), null);
  });
});
