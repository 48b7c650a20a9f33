/**
 * `pushpull run`: a whole rehearsal on one machine. Starts the real collectors and the producer
 * fleet on loopback, waits until every target is up and every emitter ready, arms one startAt, runs
 * the timeline with live progress, drains, cuts off, collects, and writes report.json/.md/.html.
 *
 * Nothing measured is lost on the way: ledger polls are appended to a JSONL file as they are taken (and
 * the statsd producers' send slots merged at each one), the TSDBs and collector logs stay in the output
 * directory, and on Ctrl-C, an error or a dead producer the run still stops every process it started
 * and writes a report that says what is missing.
 */
import { appendFileSync, copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { ArmName, ExperimentDocument } from '../api/v1alpha1/schema.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import type { SlotBook } from '../loadgen/send-slots.ts';
import { assembleReport } from '../measure/assemble.ts';
import type {
  LedgerBooks,
  LedgerPoint,
  MeasurementInput,
  Reading,
  UdpCounterReading,
} from '../measure/inputs.ts';
import { fleetLedgerBooks } from '../measure/ledger-books.ts';
import { Supervisor } from '../process/supervisor.ts';
import { renderHtml } from '../report/render-html.ts';
import { renderMarkdown } from '../report/render-markdown.ts';
import type { PhaseWindow, Report } from '../report/types.ts';
import {
  buildTimeline,
  type Clock,
  resolveStartAt,
  systemClock,
  type Timeline,
} from '../schedule/timeline.ts';
import { inspectTools, locateTools, toolVersions } from '../tools/locate.ts';
import {
  collectOtlp,
  collectPull,
  collectStatsd,
  type OtelcolCounters,
  readKernel,
  readOtelcolCounters,
  readStatsdCounters,
  type StatsdCounters,
  type Window,
} from './collect.ts';
import { type RunningCollectors, startCollectors } from './collectors.ts';
import {
  armFleet,
  armTotalsNow,
  finalArmTotals,
  mergePolledSlots,
  type ProducerProcess,
  pollLedgers,
  processLedgers,
  pullTargetsOf,
  startProducerFleet,
  stopFleet,
} from './producer-fleet.ts';
import { formatProgress } from './progress.ts';
import { describeEarlyStop } from './rehearsal-stop.ts';

export interface RehearsalOptions {
  /** The validated document and the file it came from (copied into the output directory). */
  document: ExperimentDocument;
  specFile: string;
  outDir: string;
  /** Progress and notes for a person, one line each. */
  log: (line: string) => void;
  clock?: Clock;
  /** Seconds to wait for every pull target to be up before giving up. Default 60. */
  readyTimeoutSeconds?: number;
}

export interface RehearsalResult {
  outDir: string;
  report: Report;
  files: { json: string; markdown: string; html: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const iso = (ms: number) => new Date(ms).toISOString();

function machineInfo(): Report['machine'] {
  const cpuList = cpus();
  return {
    hostname: hostname(),
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    kernel: release(),
    node: process.version,
  };
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Writes report.json (the source), report.md and report.html into `dir`. */
export function writeReportFiles(dir: string, report: Report): RehearsalResult['files'] {
  const files = {
    json: join(dir, 'report.json'),
    markdown: join(dir, 'report.md'),
    html: join(dir, 'report.html'),
  };
  writeAtomically(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(files.markdown, renderMarkdown(report));
  writeAtomically(files.html, renderHtml(report));
  return files;
}

function phaseWindows(doc: ExperimentDocument, timeline: Timeline): PhaseWindow[] {
  return timeline.phases.map((p, i) => ({
    name: p.name,
    startAt: iso(p.startMs),
    endAt: iso(p.endMs),
    eventsPerSecond: (doc.spec.load.phases[i]?.eventsPerSecond ?? 0) * doc.spec.scale,
  }));
}

/** Why the run stopped early, if it did. */
interface Stop {
  outcome: 'interrupted' | 'failed';
  reason: string;
  atMs: number;
}

export async function runRehearsal(options: RehearsalOptions): Promise<RehearsalResult> {
  const { document: doc, log } = options;
  const spec = doc.spec;
  const clock = options.clock ?? systemClock;
  const outDir = resolve(options.outDir);
  mkdirSync(join(outDir, 'ledgers'), { recursive: true });
  const specCopy = join(outDir, 'experiment.yaml');
  copyFileSync(options.specFile, specCopy);
  const startedMs = clock.now();
  const arms = (['pull', 'statsd', 'otlp'] as const).filter((a) => spec.arms[a] !== undefined);

  let stop: Stop | null = null;
  const requestStop = (s: Omit<Stop, 'atMs'>) => {
    if (!stop) {
      stop = { ...s, atMs: clock.now() };
      log(`stopping: ${s.reason}`);
    }
  };
  const producersDied: Report['rig']['producersDied'] = [];
  let signalCount = 0;
  const supervisor = new Supervisor({
    signals: (signal) => {
      signalCount++;
      if (signalCount > 1) {
        log(`${signal} again: stopping every process now, without a report`);
        void supervisor.stopAll().finally(() => process.exit(130));
        return;
      }
      requestStop({ outcome: 'interrupted', reason: `${signal} received` });
      log(`writing a partial report; ${signal} again aborts without one`);
    },
    onUnexpectedExit: (child, exit) => {
      const m = /^producer-(pull|statsd|otlp)-(\d+)$/.exec(child.name);
      const detail = `exited with ${exit.signal ?? `code ${exit.code}`}; see ${child.logFile}`;
      if (m) {
        producersDied.push({ arm: m[1] as ArmName, process: Number(m[2]), at: iso(clock.now()), detail });
        log(`producer ${m[1]}/${m[2]} died: ${detail}; the run goes on without it`);
      } else {
        requestStop({ outcome: 'failed', reason: `collector ${child.name} ${detail}` });
      }
    },
  });

  const missing: string[] = [];
  const ledgerSeries: Partial<Record<ArmName, LedgerPoint[]>> = {};
  // Send slots of the statsd producers, merged at every poll: a ring read each second never loses one.
  const slotBook: SlotBook = new Map();
  let collectors: RunningCollectors | null = null;
  let fleet: ProducerProcess[] = [];
  let timeline: Timeline | null = null;
  let statsdBefore: StatsdCounters | null = null;
  let otelBefore: OtelcolCounters | null = null;
  let kernelBefore: Reading<UdpCounterReading> | null = null;
  let statsdPort: number | null = null;
  let report: Report | null = null;
  let toolReport: Report['tools'] = {};

  // Missing tools are bad input, not a failed run: say so before anything starts.
  const tools = locateTools();
  try {
    toolReport = Object.fromEntries(
      (await toolVersions(inspectTools({ groups: ['collectors'] }))).map((t) => [
        t.name,
        `${t.reported ?? 'unknown'} (pinned ${t.pinned})`,
      ]),
    );
    log(`output: ${outDir}`);
    log(
      'starting collectors (subject Prometheus, rig Prometheus, statsd_exporter, otelcol, kernel UDP counters)',
    );
    collectors = await startCollectors({ experiment: doc.metadata.name, spec, outDir, tools, supervisor });
    const endpoints = collectors.endpoints;
    statsdPort = endpoints.statsd?.udpPort ?? null;
    if (
      endpoints.statsd &&
      endpoints.statsd.rmemMaxBytes !== null &&
      endpoints.statsd.readBufferBytes > endpoints.statsd.rmemMaxBytes
    ) {
      missing.push(
        `statsd receiveBufferBytes ${endpoints.statsd.readBufferBytes} exceeds net.core.rmem_max ${endpoints.statsd.rmemMaxBytes}: the kernel capped the buffer`,
      );
    }
    // Baselines before any producer exists: the ledgers count from each producer's start (an OTLP
    // producer exports its declared series before it is armed), so the collectors' counters must too,
    // or the books compare two different windows.
    if (endpoints.statsd) statsdBefore = await readStatsdCounters(endpoints.statsd.metricsUrl);
    if (endpoints.otlp) otelBefore = await readOtelcolCounters(endpoints.otlp.telemetryMetricsUrl);
    kernelBefore = await readKernel(statsdPort);
    log(`starting producers: ${arms.join(', ')}`);
    fleet = await startProducerFleet({
      spec,
      specFile: specCopy,
      outDir,
      supervisor,
      endpoints,
      onProgress: log,
    });

    const targets = pullTargetsOf(fleet);
    if (spec.arms.pull) {
      await collectors.setPullTargets(targets);
      const deadline = clock.now() + (options.readyTimeoutSeconds ?? 60) * 1000;
      for (;;) {
        const health = await collectors.pullTargetHealth();
        if (health.up === targets.length) break;
        if (clock.now() > deadline) {
          throw new Error(
            `only ${health.up} of ${targets.length} pull targets came up within ${options.readyTimeoutSeconds ?? 60}s${health.failing[0] ? `; e.g. ${health.failing[0].producer}: ${health.failing[0].lastError}` : ''}`,
          );
        }
        if (stop) break;
        await sleep(500);
      }
      log(`all ${targets.length} pull targets are up`);
    }

    // One startAt for the whole fleet.
    const startAtMs = resolveStartAt(spec, clock.now());
    timeline = buildTimeline(startAtMs, spec);
    if (!stop) {
      await armFleet(fleet, iso(startAtMs));
      log(`armed ${fleet.length} producer processes: load starts at ${iso(startAtMs)}`);
    }

    // The timeline: poll ledgers every second until the drain ends (checking for a stop every 100 ms).
    const ledgerLog = join(outDir, 'ledgers', 'polls.jsonl');
    let nextLedgerPoll = clock.now();
    let lastProgress = 0;
    while (!stop && clock.now() < timeline.loadEndMs + spec.collection.drainSeconds * 1000) {
      const now = clock.now();
      if (now >= nextLedgerPoll) {
        nextLedgerPoll = now + 1000;
        await pollLedgers(fleet);
        mergePolledSlots(slotBook, fleet);
        const t = clock.now() / 1000;
        const totals: Partial<Record<ArmName, LedgerTotals>> = {};
        for (const arm of arms) {
          const armNow = armTotalsNow(fleet, arm);
          if (armNow) {
            totals[arm] = armNow;
            const points = ledgerSeries[arm] ?? [];
            points.push([t, armNow]);
            ledgerSeries[arm] = points;
          }
        }
        appendFileSync(ledgerLog, `${JSON.stringify({ t, totals })}\n`);
        if (now - lastProgress >= 1000) {
          lastProgress = now;
          const health = spec.arms.pull ? await collectors.pullTargetHealth().catch(() => null) : null;
          log(
            formatProgress({
              nowMs: clock.now(),
              timeline,
              drainSeconds: spec.collection.drainSeconds,
              series: ledgerSeries,
              targets: health ? { up: health.up, total: health.total } : null,
              kernelDrops:
                kernelBefore.value && endpoints.statsd
                  ? await readKernel(statsdPort).then((k) =>
                      k.value?.socketDrops != null && kernelBefore?.value?.socketDrops != null
                        ? k.value.socketDrops - kernelBefore.value.socketDrops
                        : null,
                    )
                  : null,
            }),
          );
        }
      }
      await sleep(100);
    }
  } catch (err) {
    requestStop({ outcome: 'failed', reason: err instanceof Error ? err.message : String(err) });
  }

  // Cut-off: the pull window ends before the producers go away (their exit is not a scrape failure).
  // Prometheus stamps a scrape with its start time, so a scrape that starts just before the cut-off
  // and then meets a producer shutting down would land inside the window as up == 0: the window
  // ends one scrape timeout before the cut-off, when every scrape in it has finished.
  const pullCutoffMs = clock.now() - (spec.arms.pull?.scrapeTimeoutSeconds ?? 0) * 1000;
  let finals: Partial<Record<ArmName, LedgerTotals | null>> = {};
  let ledgerBooks: LedgerBooks = {};
  if (fleet.length > 0) {
    log('stopping producers (each drains its buffers and writes its final ledger)');
    const stopped = await stopFleet(supervisor, fleet);
    missing.push(...stopped.missing);
    finals = finalArmTotals(fleet, stopped.finals);
    ledgerBooks = fleetLedgerBooks(processLedgers(fleet, stopped.finals), slotBook);
    // Datagrams of the producers' final flush are in flight for a moment.
    await sleep(1000);
  }
  const cutoffMs = clock.now();

  try {
    if (collectors && timeline) {
      log('collecting measurements');
      const e = collectors.endpoints;
      const w: Window = { from: startedMs / 1000, at: pullCutoffMs / 1000 };
      const wAll: Window = { from: startedMs / 1000, at: cutoffMs / 1000 };
      const input: MeasurementInput = {
        name: doc.metadata.name,
        runtime: 'local',
        spec,
        run: {
          startedAt: iso(startedMs),
          loadStartAt: iso(timeline.startAtMs),
          loadEndAt: iso(timeline.loadEndMs),
          cutoffAt: iso(cutoffMs),
          finishedAt: iso(clock.now()),
          outcome: stop ? (stop as Stop).outcome : 'completed',
          missing,
        },
        machine: machineInfo(),
        tools: toolReport,
        phases: phaseWindows(doc, timeline),
        ledgerFinal: finals,
        ledgerSeries,
        ledgerBooks,
        producersDied,
      };
      if (stop) {
        const s = stop as Stop;
        missing.push(describeEarlyStop(timeline, s.atMs, s.reason));
      }
      if (spec.arms.pull) {
        input.pull = await collectPull(
          e.subjectPrometheusUrl,
          e.rigPrometheusUrl,
          pullTargetsOf(fleet).length,
          w,
        );
      }
      if (spec.arms.statsd && e.statsd && statsdBefore && kernelBefore) {
        input.statsd = await collectStatsd(
          spec.arms.statsd.mode,
          e.rigPrometheusUrl,
          statsdBefore,
          await readStatsdCounters(e.statsd.metricsUrl),
          kernelBefore,
          await readKernel(statsdPort),
          e.statsd.udpPort,
          wAll,
        );
      }
      if (spec.arms.otlp && e.otlp && otelBefore) {
        input.otlp = await collectOtlp(
          spec.arms.otlp.protocol,
          e.rigPrometheusUrl,
          otelBefore,
          await readOtelcolCounters(e.otlp.telemetryMetricsUrl),
          wAll,
        );
      }
      input.run.finishedAt = iso(clock.now());
      // Recorded input for the report goldens (report/testdata/*.input.json): see docs/report.md.
      writeAtomically(join(outDir, 'measurement-input.json'), `${JSON.stringify(input, null, 2)}\n`);
      report = assembleReport(input);
    } else {
      // Stopped before the load was scheduled: a report that says so, with nothing measured.
      const s = stop as Stop | null;
      missing.push(
        `the run stopped before the load was scheduled${s ? ` (${s.reason})` : ''}: nothing was measured; logs are in ${join(outDir, 'logs')}`,
      );
      report = assembleReport({
        name: doc.metadata.name,
        runtime: 'local',
        spec,
        run: {
          startedAt: iso(startedMs),
          loadStartAt: null,
          loadEndAt: null,
          cutoffAt: null,
          finishedAt: iso(clock.now()),
          outcome: s ? s.outcome : 'failed',
          missing,
        },
        machine: machineInfo(),
        tools: toolReport,
        phases: [],
        ledgerFinal: finals,
        ledgerSeries,
        ledgerBooks,
        producersDied,
      });
    }
  } finally {
    log('stopping collectors');
    await supervisor.stopAll();
  }

  if (!report) throw new Error(`no report was assembled; logs are in ${join(outDir, 'logs')}`);
  const files = writeReportFiles(outDir, report);
  return { outDir, report, files };
}
