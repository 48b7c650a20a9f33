/**
 * Records a finished local run for driver/runtimes-agree.test.ts: every raw sample its subject and rig
 * Prometheus stored for the experiment (read back from the run's TSDBs), its final ledgers, and the facts
 * of its journal and report. Usage (after `pushpull run SPEC --out DIR`):
 *   npx node driver/testdata/record-run.ts DIR driver/testdata/recorded-run.json
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTsdbReaders } from '../../local/recover.ts';
import { readJournal } from '../../local/run-journal.ts';
import { promQuery } from '../../measure/prom-api.ts';
import { Supervisor } from '../../process/supervisor.ts';
import type { Report } from '../../report/types.ts';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: record-run.ts RUN_DIR OUT_JSON');
const journal = readJournal(dir);
if (!journal) throw new Error(`${dir}: no run.json`);
const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
const supervisor = new Supervisor({ signals: 'none' });
try {
  const { subjectUrl, rigUrl } = await startTsdbReaders(supervisor, dir);
  const at = Date.parse(report.run.cutoffAt!) / 1000 + 5;
  const range = `${Math.ceil(at - Date.parse(journal.startedAt) / 1000) + 10}s`;
  // Only the series the measurement reads (measure/queries.ts), to keep the recording small.
  const names =
    'scrape_duration_seconds|up|scrape_samples_scraped|scrape_body_size_bytes|orders_total|ALERTS|prometheus_target_scrapes_exceeded_.*|statsd_exporter_udp_packet.*|pushpull_kernel_udp_.*|otelcol_receiver_.*_metric_points.*';
  const all = (url: string) =>
    promQuery(url, `{__name__=~"${names}",experiment="${journal.name}"}[${range}]`, at).then((series) =>
      // The pull arm's own orders only: the pushed ones come through statsd_exporter and otelcol.
      series.filter((s) => s.labels.__name__ !== 'orders_total' || s.labels.job === 'pull'),
    );
  const ledgers = readdirSync(join(dir, 'ledgers'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, 'ledgers', f), 'utf8')) as unknown);
  const recording = {
    journal: {
      name: journal.name,
      spec: journal.spec,
      startedAt: journal.startedAt,
      timeline: journal.timeline,
    },
    cutoffAt: report.run.cutoffAt,
    statsdUdpPort: journal.statsdUdpPort,
    liveness: report.liveness ?? null,
    subject: await all(subjectUrl),
    rig: await all(rigUrl),
    ledgers,
  };
  writeFileSync(out, `${JSON.stringify(recording)}\n`);
  console.log(
    `wrote ${out}: ${recording.subject.length} subject series, ${recording.rig.length} rig series, ${ledgers.length} ledgers`,
  );
} finally {
  await supervisor.stopAll();
}
