/**
 * Drift check with the pinned helm: manifests/pushpull.yaml is `helm template` of the chart today, and
 * `helm lint` accepts the chart (values.schema.json included). Skips, saying why, when helm is not built.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, helmTemplate, locateHelm, MANIFESTS_PATH, manifestsText } from './generate.ts';

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are walked as loose YAML in assertions.
type Doc = Record<string, any>;

const helm = locateHelm();
const skip = 'missing' in helm ? helm.missing : false;

describe('chart and manifests', { skip }, () => {
  const helmPath = 'path' in helm ? helm.path : '';

  test('manifests/pushpull.yaml is the chart rendered now (run `npm run generate` if not)', () => {
    assert.equal(
      readFileSync(MANIFESTS_PATH, 'utf8'),
      manifestsText(helmTemplate(helmPath)),
      'manifests/ is stale: run `npm run generate`',
    );
  });

  test('helm lint accepts the chart, and rejects values the schema forbids', () => {
    execFileSync(helmPath, ['lint', '--strict', CHART_DIR], { encoding: 'utf8', timeout: 60_000 });
    assert.throws(
      () =>
        execFileSync(helmPath, ['lint', CHART_DIR, '--set', 'replicas=0'], {
          encoding: 'utf8',
          stdio: 'pipe',
          timeout: 60_000,
        }),
      /replicas/,
    );
  });

  test('the operator’s RBAC has no wildcard and no cluster-admin', () => {
    const docs = parseAllDocuments(readFileSync(MANIFESTS_PATH, 'utf8')).map((d) => d.toJS() as Doc);
    const roles = docs.filter((d) => d?.kind === 'ClusterRole' || d?.kind === 'Role');
    assert.ok(roles.length >= 1);
    for (const role of roles) {
      for (const rule of role.rules as Array<Record<string, string[]>>) {
        for (const field of ['verbs', 'resources', 'apiGroups'])
          assert.ok(!rule[field]?.includes('*'), `${role.metadata.name} ${field} has *`);
      }
    }
    const bindings = docs.filter((d) => d?.kind?.endsWith('Binding'));
    for (const b of bindings) assert.notEqual(b.roleRef.name, 'cluster-admin');
    const deployment = docs.find((d) => d?.kind === 'Deployment')!;
    const c = deployment.spec.template.spec.containers[0];
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(deployment.spec.template.spec.securityContext.runAsNonRoot, true);
  });
});
