import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { assertGolden as assertGoldenFile } from '../testing/golden.ts';
import {
  naturalCompare,
  promDuration,
  renderRigPrometheusConfig,
  renderSubjectPrometheusConfig,
} from './render-prometheus.ts';
import { FULL_RIG, FULL_SUBJECT, JOBS_SUBJECT, pull } from './testdata/render-inputs.ts';

const assertGolden = (name: string, actual: string) =>
  assertGoldenFile(new URL(`./testdata/${name}`, import.meta.url), actual);

describe('renderSubjectPrometheusConfig', () => {
  it('renders every arm as the golden file says', () => {
    assertGolden('subject-prometheus.yml', renderSubjectPrometheusConfig(FULL_SUBJECT));
  });

  it('renders push-only arms with no pull job', () => {
    assertGolden(
      'subject-prometheus-push-only.yml',
      renderSubjectPrometheusConfig({
        experiment: 'push-only',
        pullTargets: [],
        statsdExporter: '127.0.0.1:40010',
      }),
    );
  });

  it('scrapes the Pushgateway and the pull-direct jobs with honor_labels, as the golden file says', () => {
    const text = renderSubjectPrometheusConfig(JOBS_SUBJECT);
    assertGolden('subject-prometheus-jobs.yml', text);
    const jobs = parse(text).scrape_configs.filter((j: { job_name: string }) =>
      ['pushgateway', 'jobs_pull_direct'].includes(j.job_name),
    );
    assert.deepEqual(
      jobs.map((j: { job_name: string; honor_labels: boolean }) => [j.job_name, j.honor_labels]),
      [
        ['pushgateway', true],
        ['jobs_pull_direct', true],
      ],
    );
    assert.deepEqual(
      jobs[1].static_configs.map((c: { labels: { job_instance: string } }) => c.labels.job_instance),
      ['direct-0', 'direct-1'],
    );
  });

  it('gives every producer its own metrics path and the experiment, arm and producer labels', () => {
    const doc = parse(renderSubjectPrometheusConfig(FULL_SUBJECT));
    const job = doc.scrape_configs[0];
    assert.equal(job.job_name, 'pull');
    assert.deepEqual(job.static_configs[0], {
      targets: ['127.0.0.1:40001'],
      labels: {
        __metrics_path__: '/targets/pull-1/metrics',
        experiment: 'quick',
        arm: 'pull',
        producer: 'pull-1',
      },
    });
    assert.deepEqual(
      job.static_configs.map((g: { labels: { producer: string } }) => g.labels.producer),
      ['pull-1', 'pull-2', 'pull-10'],
    );
  });

  it('carries the spec limits and turns extra scrape metrics on', () => {
    const doc = parse(renderSubjectPrometheusConfig(FULL_SUBJECT));
    const job = doc.scrape_configs[0];
    assert.equal(job.scrape_interval, '5s');
    assert.equal(job.scrape_timeout, '4s');
    assert.equal(job.sample_limit, 50_000);
    assert.equal(job.body_size_limit, '1048576B');
    assert.equal(job.extra_scrape_metrics, true);
    assert.equal(doc.global.extra_scrape_metrics, true);
  });

  it('leaves limits out when the spec says 0 (no limit)', () => {
    const doc = parse(
      renderSubjectPrometheusConfig({
        ...FULL_SUBJECT,
        pull: { ...pull, sampleLimit: 0, bodySizeLimitBytes: 0 },
      }),
    );
    assert.equal(doc.scrape_configs[0].sample_limit, undefined);
    assert.equal(doc.scrape_configs[0].body_size_limit, undefined);
  });

  it('does not depend on the order targets arrive in', () => {
    const reversed = { ...FULL_SUBJECT, pullTargets: [...FULL_SUBJECT.pullTargets].reverse() };
    assert.equal(renderSubjectPrometheusConfig(reversed), renderSubjectPrometheusConfig(FULL_SUBJECT));
  });

  it('rejects a timeout longer than the interval, naming the spec field', () => {
    assert.throws(
      () => renderSubjectPrometheusConfig({ ...FULL_SUBJECT, pull: { ...pull, scrapeTimeoutSeconds: 6 } }),
      /spec\.arms\.pull\.scrapeTimeoutSeconds: 6 exceeds scrapeIntervalSeconds \(5\)/,
    );
  });

  it('rejects a producer id that is not a path segment, and duplicates', () => {
    assert.throws(
      () =>
        renderSubjectPrometheusConfig({
          ...FULL_SUBJECT,
          pullTargets: [{ producerId: 'a/b', address: 'h:1' }],
        }),
      /pullTargets\[0\]\.producerId: "a\/b"/,
    );
    assert.throws(
      () =>
        renderSubjectPrometheusConfig({
          ...FULL_SUBJECT,
          pullTargets: [
            { producerId: 'a', address: 'h:1' },
            { producerId: 'a', address: 'h:2' },
          ],
        }),
      /pullTargets\[1\]\.producerId: "a" appears twice/,
    );
  });

  it('rejects an address that is not host:port', () => {
    assert.throws(
      () => renderSubjectPrometheusConfig({ ...FULL_SUBJECT, statsdExporter: 'http://x:1' }),
      /statsdExporter: "http:\/\/x:1" is not host:port/,
    );
  });
});

describe('renderRigPrometheusConfig', () => {
  it('renders the rig record as the golden file says', () => {
    assertGolden('rig-prometheus.yml', renderRigPrometheusConfig(FULL_RIG));
  });

  it('keeps only statsd_exporter self metrics, not the pushed series', () => {
    const doc = parse(renderRigPrometheusConfig(FULL_RIG));
    const job = doc.scrape_configs.find((j: { job_name: string }) => j.job_name === 'rig_statsd_exporter');
    assert.equal(job.metric_relabel_configs[0].action, 'keep');
    assert.match(
      'statsd_exporter_udp_packets_total',
      new RegExp(`^(?:${job.metric_relabel_configs[0].regex})$`),
    );
    assert.doesNotMatch('orders_total', new RegExp(`^(?:${job.metric_relabel_configs[0].regex})$`));
  });
});

describe('promDuration', () => {
  it('writes whole seconds as s and anything finer as ms', () => {
    assert.equal(promDuration(5, 'f'), '5s');
    assert.equal(promDuration(0.1, 'f'), '100ms');
    assert.equal(promDuration(2.5, 'f'), '2500ms');
  });

  it('rejects zero, naming the field', () => {
    assert.throws(() => promDuration(0, 'spec.x'), /spec\.x: 0 is not a duration/);
  });
});

describe('naturalCompare', () => {
  it('orders numbers inside names by value', () => {
    assert.deepEqual(['p-10', 'p-2', 'p-1', 'a'].sort(naturalCompare), ['a', 'p-1', 'p-2', 'p-10']);
  });
});
