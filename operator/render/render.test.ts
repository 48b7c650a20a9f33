/**
 * Golden tests of the pure renderer: every example and every input under testdata/inputs renders to the
 * committed testdata/<id>.golden.yaml. Update mode: UPDATE_GOLDEN=1 npx node --test operator/render/render.test.ts
 * Plus the invariants every rendered object must keep (ownership, labels, pod security).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { assertGolden } from '../../testing/golden.ts';
import { experimentFromFile, experimentFromYaml, renderFixtures, TEST_IMAGES } from '../testing/fixtures.ts';
import { HASH_ANNOTATION } from './hash.ts';
import { EXPERIMENT_LABEL, WORKLOAD_LABEL } from './names.ts';
import { producerTargetPath } from './prometheus-config.ts';
import { renderExperiment } from './render.ts';
import type { KubeObject } from './types.ts';

interface ContainerView {
  name: string;
  securityContext: Record<string, unknown>;
  resources?: Record<string, { cpu?: string; memory?: string }>;
}

const repoRoot = join(import.meta.dirname, '../..');
function toYaml(objects: KubeObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, sortMapEntries: true })).join('---\n');
}

function podSpecs(objects: KubeObject[]): Array<{ ref: string; spec: Record<string, unknown> }> {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map((o) => {
      const template = (o.spec as { template: { spec: Record<string, unknown> } }).template;
      return { ref: `${o.kind}/${o.metadata.name}`, spec: template.spec };
    });
}

describe('renderExperiment', () => {
  for (const fixture of renderFixtures(repoRoot)) {
    test(`renders ${fixture.id} as its golden file`, () => {
      const objects = renderExperiment({ experiment: experimentFromFile(fixture.path), images: TEST_IMAGES });
      const text = `# Rendered from ${fixture.path.slice(repoRoot.length + 1)} by operator/render: do not edit.\n${toYaml(objects)}`;
      const golden = join(import.meta.dirname, 'testdata', `${fixture.id}.golden.yaml`);
      assertGolden(golden, text);
    });

    test(`${fixture.id}: every object is owned by the experiment, labelled and hashed`, () => {
      const x = experimentFromFile(fixture.path);
      for (const o of renderExperiment({ experiment: x, images: TEST_IMAGES })) {
        const ref = `${o.kind}/${o.metadata.name}`;
        assert.equal(o.metadata.namespace, x.metadata.namespace, ref);
        assert.deepEqual(
          o.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
          [['PushPullExperiment', x.metadata.name, x.metadata.uid, true]],
          ref,
        );
        assert.equal(o.metadata.labels?.[EXPERIMENT_LABEL], x.metadata.name, ref);
        assert.equal(o.metadata.labels?.[WORKLOAD_LABEL], 'true', ref);
        assert.equal(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'pushpull-operator', ref);
        assert.match(o.metadata.annotations?.[HASH_ANNOTATION] ?? '', /^[0-9a-f]{16}$/, ref);
      }
    });

    test(`${fixture.id}: every pod is non-root, read-only, unprivileged and bounded`, () => {
      const objects = renderExperiment({ experiment: experimentFromFile(fixture.path), images: TEST_IMAGES });
      for (const { ref, spec } of podSpecs(objects)) {
        for (const key of ['hostNetwork', 'hostPID', 'hostIPC'])
          assert.equal(spec[key], undefined, `${ref} ${key}`);
        const pod = spec.securityContext as Record<string, unknown>;
        assert.equal(pod.runAsNonRoot, true, ref);
        assert.deepEqual(pod.seccompProfile, { type: 'RuntimeDefault' }, ref);
        for (const c of spec.containers as ContainerView[]) {
          const where = `${ref} container ${c.name}`;
          assert.equal(c.securityContext.allowPrivilegeEscalation, false, where);
          assert.equal(c.securityContext.readOnlyRootFilesystem, true, where);
          assert.equal(c.securityContext.privileged, undefined, where);
          assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] }, where);
          for (const k of ['requests', 'limits']) {
            assert.ok(c.resources?.[k]?.cpu && c.resources?.[k]?.memory, `${where} ${k}`);
          }
        }
      }
    });
  }

  test('rendering twice gives identical objects (no clock, no randomness)', () => {
    const [fixture] = renderFixtures(repoRoot);
    const once = () =>
      renderExperiment({ experiment: experimentFromFile(fixture!.path), images: TEST_IMAGES });
    assert.deepEqual(once(), once());
  });

  test('a spec change rolls the producers and leaves the Prometheus Deployment as it was', () => {
    const base = readFileSync(join(import.meta.dirname, 'testdata/inputs/three-arms-partial.yaml'), 'utf8');
    const before = renderExperiment({ experiment: experimentFromYaml(base, 'a'), images: TEST_IMAGES });
    const after = renderExperiment({
      experiment: experimentFromYaml(base.replace('seed: 7', 'seed: 8'), 'b'),
      images: TEST_IMAGES,
    });
    const sts = (objs: KubeObject[]) =>
      objs.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'three-arms-producer-pull')!;
    const hashOf = (o: KubeObject) =>
      (o.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata
        .annotations['pushpull.dev/config-hash'];
    assert.notEqual(hashOf(sts(before)), hashOf(sts(after)));
    const prom = (objs: KubeObject[]) =>
      objs.find((o) => o.metadata.name === 'three-arms-prometheus' && o.kind === 'Deployment')!;
    assert.equal(
      prom(before).metadata.annotations?.[HASH_ANNOTATION],
      prom(after).metadata.annotations?.[HASH_ANNOTATION],
    );
  });

  test('only the subject Prometheus may read the API: its Role is get/list/watch on pods', () => {
    const x = experimentFromFile(join(import.meta.dirname, 'testdata/inputs/three-arms-partial.yaml'));
    const objects = renderExperiment({ experiment: x, images: TEST_IMAGES });
    const roles = objects.filter((o) => o.kind === 'Role');
    assert.deepEqual(
      roles.map((r) => r.rules),
      [[{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]],
    );
    const withToken = podSpecs(objects).filter((p) => p.spec.automountServiceAccountToken !== false);
    assert.deepEqual(
      withToken.map((p) => p.ref),
      ['Deployment/three-arms-prometheus'],
    );
  });
});

test('the subject Prometheus scrapes the paths loadgen serves', async () => {
  const { targetPath } = await import('../../loadgen/arms/pull.ts');
  assert.equal(producerTargetPath('p0042'), targetPath('p0042'));
});
