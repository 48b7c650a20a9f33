/**
 * Golden test of the short-lived jobs in a cluster: examples/game-day-liveness.yaml's batches rendered as
 * Indexed Jobs for a fixed startAt (testdata/example-game-day-liveness-jobs.golden.yaml; the Pushgateway
 * Deployment and its scrape job are in the example's own golden), plus the invariants each Job keeps.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { buildTimeline } from '../../schedule/timeline.ts';
import { assertGolden } from '../../testing/golden.ts';
import { experimentFromFile, TEST_IMAGES } from '../testing/fixtures.ts';
import { withHash } from './render.ts';
import { jobBatchObjects } from './short-lived-jobs.ts';

const repoRoot = join(import.meta.dirname, '../..');
const x = experimentFromFile(join(repoRoot, 'examples/game-day-liveness.yaml'));
const timeline = buildTimeline(Date.parse('2026-12-01T09:15:00Z'), x.spec);
const render = () =>
  jobBatchObjects(x, TEST_IMAGES, (b) => {
    const phase = timeline.phases.find((p) => p.name === b.phase)!;
    return phase.startMs + b.offsetSeconds * 1000;
  }).map(withHash);

interface JobView {
  spec: {
    completionMode: string;
    completions: number;
    parallelism: number;
    backoffLimit: number;
    template: {
      spec: {
        restartPolicy: string;
        securityContext: { runAsNonRoot: boolean };
        containers: Array<{
          args: string[];
          securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
          resources: { limits: { cpu: string; memory: string } };
          terminationMessagePath: string;
        }>;
      };
    };
  };
}

describe('jobBatchObjects', () => {
  test('renders the example’s batches as their golden file', () => {
    const text = `# Rendered from examples/game-day-liveness.yaml (startAt 2026-12-01T09:15:00Z) by operator/render: do not edit.\n${render()
      .map((o) => stringify(o, { lineWidth: 0, sortMapEntries: true }))
      .join('---\n')}`;
    assertGolden(join(import.meta.dirname, 'testdata', 'example-game-day-liveness-jobs.golden.yaml'), text);
  });

  test('one Indexed Job per batch: completions = count, parallelism = maxConcurrent, no retries', () => {
    const jobs = render();
    assert.deepEqual(
      jobs.map((j) => {
        const s = (j as unknown as JobView).spec;
        return [j.metadata.name, s.completionMode, s.completions, s.parallelism, s.backoffLimit];
      }),
      (x.spec.jobs ?? []).map((b) => [
        `game-day-liveness-job-${b.name}`,
        'Indexed',
        b.count,
        b.maxConcurrent,
        0,
      ]),
    );
  });

  test('every job pod is non-root, read-only, bounded, and writes its ledger as its termination message', () => {
    for (const j of render()) {
      const pod = (j as unknown as JobView).spec.template.spec;
      assert.equal(pod.restartPolicy, 'Never');
      assert.equal(pod.securityContext.runAsNonRoot, true);
      for (const c of pod.containers) {
        assert.equal(c.securityContext.readOnlyRootFilesystem, true);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
        assert.ok(c.resources.limits.cpu && c.resources.limits.memory);
        assert.equal(c.terminationMessagePath, '/dev/termination-log');
        assert.deepEqual(c.args.slice(c.args.indexOf('--ledger-out'), c.args.indexOf('--ledger-out') + 2), [
          '--ledger-out',
          '/dev/termination-log',
        ]);
      }
    }
  });
});
