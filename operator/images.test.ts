import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_IMAGES, resolveImages } from './images.ts';

const versions = Object.fromEntries(
  readFileSync(join(import.meta.dirname, '../tools/versions.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split('=') as [string, string]),
);

test('default images carry the versions pinned in tools/versions.env', () => {
  const [, minor, patch] = versions.PROMETHEUS_VERSION!.slice(1).split('.');
  assert.equal(
    DEFAULT_IMAGES.prometheus.split(':')[1],
    `v3.${Number(minor) - 300}.${patch}`,
    'module v0.3XX.Y is Prometheus 3.XX.Y',
  );
  assert.equal(DEFAULT_IMAGES.statsdExporter.split(':')[1], versions.STATSD_EXPORTER_VERSION);
  assert.equal(DEFAULT_IMAGES.pushgateway.split(':')[1], versions.PUSHGATEWAY_VERSION);
  assert.equal(DEFAULT_IMAGES.otelcol.split(':')[1], versions.OTELCOL_CORE_VERSION!.slice(1));
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  assert.equal(DEFAULT_IMAGES.pushpull, `${pkg.name}:${pkg.version}`);
});

test('flags override the environment, which overrides the defaults', () => {
  const images = resolveImages(
    { otelcol: 'flag/otelcol:1' },
    { PUSHPULL_OTELCOL_IMAGE: 'env/otelcol:2', PUSHPULL_IMAGE: 'env/pushpull:3' },
  );
  assert.equal(images.otelcol, 'flag/otelcol:1');
  assert.equal(images.pushpull, 'env/pushpull:3');
  assert.equal(images.prometheus, DEFAULT_IMAGES.prometheus);
});
