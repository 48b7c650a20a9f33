/**
 * Rebuilds the report of a local run that never wrote one (`pushpull run` SIGKILLed, the machine
 * rebooted), from what its output directory kept: the run journal (run.json), the subject and rig TSDBs,
 * and the ledger polls. The two Prometheus servers are started again, read-only in spirit, on their own
 * TSDBs on free loopback ports; the same collect as a live run (measure/collect.ts) reads them, with the
 * collectors' final counters taken from the rig Prometheus at the last ledger poll. The report's outcome is
 * `crashed` and its `missing` says what could not be recovered. Called by `pushpull report DIR`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArmName } from '../api/v1alpha1/schema.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import { assembleReport } from '../measure/assemble.ts';
import { countersFromRig } from '../measure/collect.ts';
import type { LedgerPoint, MeasurementInput } from '../measure/inputs.ts';
import { measureRun } from '../measure/measure-run.ts';
import { httpPromClient } from '../measure/prom-api.ts';
import { removeDeadRunNamespaces } from '../netfault/edge.ts';
import { freePorts } from '../process/ports.ts';
import { Supervisor } from '../process/supervisor.ts';
import type { Report } from '../report/types.ts';
import { locateTools } from '../tools/locate.ts';
import { writeReportFiles } from './rehearsal.ts';
import { LEDGER_POLLS_FILE, type LedgerPoll, type RunJournal, readJournal } from './run-journal.ts';
import { jobLedgersInDir } from './short-lived-jobs.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** The polls a run appended, oldest first; a torn last line (the crash) is skipped. */
export function readLedgerPolls(text: string): LedgerPoll[] {
  const polls: LedgerPoll[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const p = JSON.parse(line) as LedgerPoll;
      if (typeof p.t === 'number' && p.totals) polls.push(p);
    } catch {
      // The line being written when the run was killed.
    }
  }
  return polls;
}

/** Ledger series and last totals per arm from the polls. */
export function ledgerFromPolls(polls: readonly LedgerPoll[]): {
  series: Partial<Record<ArmName, LedgerPoint[]>>;
  last: Partial<Record<ArmName, LedgerTotals>>;
} {
  const series: Partial<Record<ArmName, LedgerPoint[]>> = {};
  const last: Partial<Record<ArmName, LedgerTotals>> = {};
  for (const p of polls) {
    for (const [arm, totals] of Object.entries(p.totals) as [ArmName, LedgerTotals][]) {
      const points = series[arm] ?? [];
      points.push([p.t, totals]);
      series[arm] = points;
      last[arm] = totals;
    }
  }
  return { series, last };
}

/** True when `dir` holds a run that can be rebuilt: a journal and no report.json. */
export function isRecoverableRun(dir: string): boolean {
  return existsSync(join(dir, 'run.json')) && !existsSync(join(dir, 'report.json'));
}

export interface RecoverOptions {
  dir: string;
  log?: (line: string) => void;
}

/** Rebuilds report.json/.md/.html in `dir`; returns the report. */
export async function recoverRun(options: RecoverOptions): Promise<Report> {
  const { dir } = options;
  const log = options.log ?? (() => {});
  const journal = readJournal(dir);
  if (!journal) throw new Error(`${dir}: no run.json, so nothing to rebuild a report from`);
  // A crashed run's namespaces, if its crash guard did not get to them: exactly that run's own, and
  // only once its rig is gone.
  if (journal.networkRunId) {
    for (const ns of await removeDeadRunNamespaces(journal.networkRunId))
      log(`removed the run's network namespace ${ns}`);
  }
  const polls = existsSync(join(dir, LEDGER_POLLS_FILE))
    ? readLedgerPolls(readFileSync(join(dir, LEDGER_POLLS_FILE), 'utf8'))
    : [];
  const supervisor = new Supervisor({ signals: 'none' });
  try {
    log('starting the run’s subject and rig Prometheus on their TSDBs');
    const { subjectUrl, rigUrl } = await startTsdbReaders(supervisor, dir);
    const report = await rebuild(journal, polls, subjectUrl, rigUrl, dir);
    writeReportFiles(dir, report);
    return report;
  } finally {
    await supervisor.stopAll();
  }
}

/** The run's subject and rig Prometheus, started again on their TSDBs; stopped with the supervisor. */
export async function startTsdbReaders(
  supervisor: Supervisor,
  dir: string,
): Promise<{ subjectUrl: string; rigUrl: string }> {
  const [subjectPort, rigPort] = await freePorts(2);
  return {
    subjectUrl: await startReader(supervisor, dir, 'subject', subjectPort!),
    rigUrl: await startReader(supervisor, dir, 'rig', rigPort!),
  };
}

/** Starts a Prometheus that scrapes nothing, on the run's TSDB `which`, and returns its URL. */
async function startReader(supervisor: Supervisor, dir: string, which: string, port: number) {
  const data = join(dir, 'collectors', 'data', which);
  if (!existsSync(data)) throw new Error(`${data}: the run kept no ${which} TSDB`);
  const recoverDir = join(dir, 'recover');
  mkdirSync(recoverDir, { recursive: true });
  const config = join(recoverDir, `${which}-prometheus.yml`);
  writeFileSync(config, '# Reads the TSDB of a crashed run; scrapes nothing.\nglobal: {}\n');
  const url = `http://127.0.0.1:${port}`;
  await supervisor.start({
    name: `prometheus-${which}-reader`,
    command: locateTools().prometheus.path,
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.no-lockfile',
      '--log.level=warn',
    ],
    logFile: join(recoverDir, `prometheus-${which}.log`),
    ready: { kind: 'http', url: `${url}/-/ready` },
    readyTimeoutMs: 60_000,
  });
  return url;
}

async function rebuild(
  journal: RunJournal,
  polls: LedgerPoll[],
  subjectUrl: string,
  rigUrl: string,
  dir: string,
): Promise<Report> {
  const spec = journal.spec;
  const missing = [...journal.missing];
  const lastPoll = polls[polls.length - 1];
  const timeline = journal.timeline;
  const cutOffMs = lastPoll ? lastPoll.t * 1000 : Date.parse(journal.fleetStartedAt ?? journal.startedAt);
  missing.push(
    `the run was killed during stage ${journal.stage} and wrote no report; this one was rebuilt from its TSDBs and ledger polls, up to the last poll at ${iso(cutOffMs)}`,
  );
  if ((spec.networkFaults?.length ?? 0) > 0 && journal.networkRunId) {
    missing.push(
      "game day: the network faults' rule counters lived in the run's network namespaces, which went with the rig: what the faults dropped is unknown, so StatsD's books cannot include network drops",
    );
  }
  const { series, last } = ledgerFromPolls(polls);
  const ledgerFinal: MeasurementInput['ledgerFinal'] = {};
  for (const arm of ['pull', 'statsd', 'otlp'] as const) {
    if (!spec.arms[arm]) continue;
    ledgerFinal[arm] = last[arm] ?? null;
    if (!last[arm])
      missing.push(`no ledger poll of the ${arm} arm survived, so its ledger totals are unknown`);
  }
  if (spec.arms.statsd) {
    missing.push(
      'the StatsD producers’ datagrams per 100 ms were not recovered (only their totals are polled)',
    );
  }
  if (spec.arms.otlp) {
    missing.push(
      'the OTLP export latency and retries were not recovered (they are in the final ledgers only)',
    );
  }
  const measurable = timeline !== null && journal.baseline !== null;
  const scope = { experiment: journal.name };
  const rig = httpPromClient(rigUrl);
  const input = await measureRun({
    name: journal.name,
    runtime: 'local',
    spec,
    run: {
      startedAt: journal.startedAt,
      loadStartAt: timeline ? iso(timeline.startAtMs) : null,
      loadEndAt: timeline ? iso(timeline.loadEndMs) : null,
      cutoffAt: timeline ? iso(cutOffMs) : null,
      outcome: 'crashed',
      missing,
    },
    tools: journal.tools,
    phases: timeline?.phases ?? [],
    ledgerFinal,
    ledgerSeries: series,
    ledgerBooks: {},
    producersDied: journal.producersDied,
    measured: measurable
      ? {
          subject: httpPromClient(subjectUrl),
          rig,
          // Killed: no producer was told to stop, the last poll is the cut-off of everything.
          window: { fromMs: Date.parse(journal.startedAt), stoppingAtMs: cutOffMs, cutOffAtMs: cutOffMs },
          baseline: journal.baseline!,
          final: await countersFromRig({
            rig,
            scope,
            spec,
            statsdUdpPort: journal.statsdUdpPort,
            at: cutOffMs / 1000,
            fresh: false,
          }),
          statsdUdpPort: journal.statsdUdpPort,
          pullTargets: journal.pullTargets,
          faults: [],
          ...(spec.jobs?.length ? { jobs: jobLedgersInDir(spec, dir) } : {}),
        }
      : null,
    now: () => cutOffMs,
  });
  return assembleReport(input);
}
