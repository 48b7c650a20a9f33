// Prints an example spec scaled to fit a two-node kind cluster: at most 8 producer pods per arm, and a
// short TTL so the workload is cleaned up. Usage: node test-e2e/scale-for-kind.mjs examples/x.yaml
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const doc = parse(readFileSync(process.argv[2], 'utf8'));
const spec = doc.spec;
const producers = Math.max(1, Math.round(spec.fleet.producers * (spec.scale ?? 1)));
const perProcess = spec.fleet.producersPerProcess ?? 50;
if (Math.ceil(producers / perProcess) > 8)
  spec.scale = Math.max(0.0001, (8 * perProcess) / spec.fleet.producers);
spec.ttlSecondsAfterFinished ??= 60;
process.stdout.write(stringify(doc));
