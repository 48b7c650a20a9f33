/**
 * Test support: experiment objects built from spec files the way the operator sees them from the API
 * (validated, defaults applied, a fixed uid), and fixed images, so rendered output is reproducible.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseSpecText } from '../../api/v1alpha1/load.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';
import { servedCache } from '../k8s/served-cache.ts';
import { silentLogger } from '../log.ts';
import type { ReconcileDeps } from '../reconcile.ts';
import type { ExperimentObject, Images } from '../render/types.ts';
import { DEFAULT_TIMELINE_OPTIONS } from '../timeline/timeline.ts';

export const FIXED_UID = '00000000-0000-4000-8000-000000000001';
export const TEST_NAMESPACE = 'rehearsal';

export const TEST_IMAGES: Images = {
  pushpull: 'ghcr.io/example/pushpull:test',
  prometheus: 'quay.io/prometheus/prometheus:vtest',
  statsdExporter: 'quay.io/prometheus/statsd-exporter:vtest',
  otelcol: 'otel/opentelemetry-collector-contrib:test',
  pushgateway: 'quay.io/prometheus/pushgateway:vtest',
};

/** Parses and validates spec YAML into an experiment object; throws with every spec error. */
export function experimentFromYaml(
  text: string,
  source: string,
  namespace = TEST_NAMESPACE,
): ExperimentObject {
  const result = parseSpecText(text, source);
  if (!result.ok) throw new Error(result.errors.map(formatSpecError).join('\n'));
  const doc = result.document;
  return {
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    metadata: { name: doc.metadata.name, namespace, uid: FIXED_UID, generation: 1 },
    spec: doc.spec,
  };
}

export function experimentFromFile(path: string, namespace = TEST_NAMESPACE): ExperimentObject {
  return experimentFromYaml(readFileSync(path, 'utf8'), path, namespace);
}

/** Every spec the golden tests render: the repository's examples and the operator's own inputs. */
export function renderFixtures(repoRoot: string): Array<{ id: string; path: string }> {
  const list = (dir: string, prefix: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ id: `${prefix}${basename(f, '.yaml')}`, path: join(dir, f) }));
  return [
    ...list(join(repoRoot, 'examples'), 'example-'),
    ...list(join(repoRoot, 'operator/render/testdata/inputs'), ''),
  ];
}

/** Reconcile dependencies for unit tests: the given port, reach, collect and clock; fixed images, silent log. */
export function testReconcileDeps(
  o: Pick<ReconcileDeps, 'kube' | 'reach' | 'collect'> & { now: () => number },
): ReconcileDeps {
  return {
    kube: o.kube,
    reach: o.reach,
    collect: o.collect,
    images: TEST_IMAGES,
    clock: { now: o.now },
    timeline: DEFAULT_TIMELINE_OPTIONS,
    log: silentLogger,
    served: servedCache({ now: o.now }),
  };
}
