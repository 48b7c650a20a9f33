/**
 * `pushpull run`: a whole rehearsal on one machine — the driver's stage machine (driver/stage-machine.ts)
 * with the local adapter: each stage's work done with processes on loopback (collectors, producers), the
 * measurement by the collect both runtimes share (measure/collect.ts), report.json/.md/.html at the end.
 *
 * Nothing measured is lost on the way: the run journal (run.json) is rewritten at every stage, ledger
 * polls are appended to ledgers/polls.jsonl as they are taken, the TSDBs and collector logs stay in the
 * output directory — so a run killed outright can still be reported (`pushpull report DIR`,
 * local/recover.ts) — and on Ctrl-C, an error or a dead producer the run still stops every process it
 * started and writes a report that says what is missing.
 */
import { appendFileSync, copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ArmName, CollectorName, ExperimentDocument } from '../api/v1alpha1/schema.ts';
import {
  CapacityRefusedError,
  checkCapacity,
  estimateNeeds,
  type HostCapacity,
} from '../capacity/estimate.ts';
import { readHostCapacity } from '../capacity/host.ts';
import { dueFaults, nextFaultAtMs, type PlannedFault, planFaults } from '../driver/faults.ts';
import { planNetworkFaults } from '../driver/network-faults.ts';
import {
  type DriverFacts,
  decide,
  INITIAL_FACTS,
  outcomeOf,
  type Stage,
  type StopRequest,
} from '../driver/stage-machine.ts';
import { UsageError } from '../errors/usage-error.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import type { SlotBook } from '../loadgen/send-slots.ts';
import { assembleReport } from '../measure/assemble.ts';
import type { CollectorCounters } from '../measure/collect.ts';
import type { LedgerBooks, LedgerPoint } from '../measure/inputs.ts';
import type { AppliedFault } from '../measure/liveness.ts';
import type { MachineSample } from '../measure/machine-load.ts';
import { measureRun } from '../measure/measure-run.ts';
import type { RawNetwork, RawNetworkFault } from '../measure/network.ts';
import { httpPromClient } from '../measure/prom-api.ts';
import { rawSamples, subjectSelectors } from '../measure/queries.ts';
import type { RunNetwork } from '../netfault/edge.ts';
import { Supervisor } from '../process/supervisor.ts';
import { renderHtml } from '../report/render-html.ts';
import { renderMarkdown } from '../report/render-markdown.ts';
import type { Report } from '../report/types.ts';
import { buildTimeline, type Clock, resolveStartAt, systemClock } from '../schedule/timeline.ts';
import { inspectTools, locateTools, toolVersions } from '../tools/locate.ts';
import {
  COLLECTOR_OF_PROCESS,
  type CollectorReadings,
  collectorResources,
  hasBudgets,
  openCollectorCgroups,
  producerCpu,
} from './collector-cgroups.ts';
import { readCountersNow, readKernel } from './collector-counters.ts';
import { type RunningCollectors, startCollectors } from './collectors.ts';
import { ledgersAtCutOff } from './ledgers-at-cut-off.ts';
import { sampleMachine } from './machine-sampler.ts';
import {
  decideNetwork,
  IP_PATH,
  NetworkFaultDriver,
  type NetworkLayoutChoice,
  notRun,
  openRunNetwork,
} from './network-run.ts';
import {
  armFleet,
  armTotalsNow,
  hangProducer,
  mergePolledSlots,
  type ProducerProcess,
  pollLedgers,
  pullTargetsOf,
  startProducerFleet,
  stopFleet,
} from './producer-fleet.ts';
import { formatProgress } from './progress.ts';
import { describeEarlyStop } from './rehearsal-stop.ts';
import {
  LEDGER_POLLS_FILE,
  type LedgerPoll,
  RUN_JOURNAL_SCHEMA,
  type RunJournal,
  writeJournal,
} from './run-journal.ts';
import { allocateJobPorts, JOB_PROCESS_PREFIX, JobRunner, jobTargetsOf } from './short-lived-jobs.ts';

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
  /** The machine the capacity check sets the spec against; default: this one, read now. */
  host?: HostCapacity;
  /** The network layout: `auto` (default) runs the namespaces exactly when the spec has network faults. */
  network?: NetworkLayoutChoice;
}

export interface RehearsalResult {
  outDir: string;
  report: Report;
  files: { json: string; markdown: string; html: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const iso = (ms: number) => new Date(ms).toISOString();
const LEDGER_POLL_MS = 1000;

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

/** The local adapter's state: what it started and what it has read. */
interface LocalRun {
  collectors: RunningCollectors | null;
  fleet: ProducerProcess[];
  baseline: CollectorCounters | null;
  fleetStartedMs: number | null;
  /** When the producers were told to stop: the pull window ends before it (their exit is no scrape failure). */
  stoppingAtMs: number | null;
  ledgerSeries: Partial<Record<ArmName, LedgerPoint[]>>;
  /** Send slots of the statsd producers, merged at every poll: a ring read each second never loses one. */
  slotBook: SlotBook;
  finals: Partial<Record<ArmName, LedgerTotals | null>>;
  ledgerBooks: LedgerBooks;
  missing: string[];
  producersDied: Report['rig']['producersDied'];
  tools: Report['tools'];
  /** The game day's faults on the timeline, and those applied (with the instant they were). */
  plannedFaults: PlannedFault[];
  appliedFaults: AppliedFault[];
  appliedIndexes: Set<number>;
  /** Producer processes a planned kill took: their death is the fault, not an accident. */
  killedOnPurpose: Set<string>;
  /** The short-lived jobs of spec.jobs, once the collectors are up (null without any). */
  jobs: JobRunner | null;
  /** The run's own network namespaces (netfault/) and the network faults on them; null on loopback. */
  net: RunNetwork | null;
  netFaults: NetworkFaultDriver | null;
}

export async function runRehearsal(options: RehearsalOptions): Promise<RehearsalResult> {
  const { document: doc, log } = options;
  const spec = doc.spec;
  const clock = options.clock ?? systemClock;
  // Before anything exists: a spec this machine cannot hold is refused with the numbers.
  const capacity = checkCapacity(estimateNeeds(spec), options.host ?? readHostCapacity());
  if (!capacity.fits) throw new CapacityRefusedError(capacity);
  for (const warning of capacity.warnings) log(`capacity ${warning}`);
  // A network fault this kernel cannot make is refused here too, before anything exists.
  const netDecision = await decideNetwork(spec, options.network ?? 'auto');
  if (netDecision.layout === 'loopback' && (spec.networkFaults?.length ?? 0) > 0)
    log(`network: ${netDecision.reason}`);
  const cgroups = openCollectorCgroups(spec);
  if (!cgroups.ok && hasBudgets(spec)) {
    throw new UsageError(
      `spec.collectors sets budgets, but this machine cannot apply them: ${cgroups.reason}; nothing was started`,
    );
  }
  if (cgroups.ok)
    for (const dir of cgroups.run.staleRemoved) log(`removed the cgroups of a crashed run: ${dir}`);
  const collectorExits: Partial<Record<CollectorName, string>> = {};
  const outDir = resolve(options.outDir);
  mkdirSync(join(outDir, 'ledgers'), { recursive: true });
  const specCopy = join(outDir, 'experiment.yaml');
  copyFileSync(options.specFile, specCopy);
  const startedMs = clock.now();
  const arms = (['pull', 'statsd', 'otlp'] as const).filter((a) => spec.arms[a] !== undefined);
  // A fault plan the fleet cannot serve is bad input: refuse it before anything starts.
  planFaults(spec, buildTimeline(clock.now(), spec));

  let facts: DriverFacts = { ...INITIAL_FACTS, targetsUp: !spec.arms.pull };
  const requestStop = (s: Omit<StopRequest, 'atMs'>) => {
    if (!facts.stop) {
      facts = { ...facts, stop: { ...s, atMs: clock.now() } };
      log(`stopping: ${s.reason}`);
    }
  };
  const run: LocalRun = {
    collectors: null,
    fleet: [],
    baseline: null,
    fleetStartedMs: null,
    stoppingAtMs: null,
    ledgerSeries: {},
    slotBook: new Map(),
    finals: {},
    ledgerBooks: {},
    missing: [],
    producersDied: [],
    tools: {},
    plannedFaults: [],
    appliedFaults: [],
    appliedIndexes: new Set(),
    killedOnPurpose: new Set(),
    jobs: null,
    net: null,
    netFaults: null,
  };
  let cgroupBaseline: CollectorReadings | null = null;
  const machineSamples: MachineSample[] = [];
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
      // A short-lived job ends by itself: that is its life, and its ledger says how it went.
      if (run.killedOnPurpose.has(child.name) || child.name.startsWith(JOB_PROCESS_PREFIX)) return;
      const detail = `exited with ${exit.signal ?? `code ${exit.code}`}; see ${child.logFile}`;
      if (m) {
        run.producersDied.push({ arm: m[1] as ArmName, process: Number(m[2]), at: iso(clock.now()), detail });
        log(`producer ${m[1]}/${m[2]} died: ${detail}; the run goes on without it`);
      } else {
        const collector = COLLECTOR_OF_PROCESS[child.name];
        if (collector && facts.armed) {
          // A collector under test that dies under load (an OOM kill in its budget) is its arm failing,
          // not the rig: the other arms go on, the rig Prometheus keeps what it saw.
          collectorExits[collector] = iso(clock.now());
          run.missing.push(
            `collector ${child.name} ${detail} at ${iso(clock.now())}: its arm's counters after that are missing`,
          );
          log(`collector ${child.name} died under load: ${detail}; the run goes on without it`);
        } else {
          requestStop({ outcome: 'failed', reason: `collector ${child.name} ${detail}` });
        }
      }
    },
  });

  const journal = (stage: Stage) => {
    const record: RunJournal = {
      schema: RUN_JOURNAL_SCHEMA,
      name: doc.metadata.name,
      spec,
      stage,
      startedAt: iso(startedMs),
      fleetStartedAt: run.fleetStartedMs === null ? null : iso(run.fleetStartedMs),
      baseline: run.baseline,
      statsdUdpPort: run.collectors?.endpoints.statsd?.udpPort ?? null,
      pullTargets: pullTargetsOf(run.fleet).length,
      ...(run.net ? { networkRunId: run.net.topology.runId } : {}),
      timeline: facts.timeline,
      tools: run.tools,
      missing: run.missing,
      producersDied: run.producersDied,
    };
    writeJournal(outDir, record);
  };

  // Missing tools are bad input, not a failed run: say so before anything starts.
  const tools = locateTools();
  let report: Report | null = null;
  let lastStage: Stage | null = null;
  try {
    run.tools = Object.fromEntries(
      (await toolVersions(inspectTools({ groups: ['collectors'] }))).map((t) => [
        t.name,
        `${t.reported ?? 'unknown'} (pinned ${t.pinned})`,
      ]),
    );
    log(`output: ${outDir}`);
    for (let decision = decide(facts, clock.now()); decision.stage !== 'done'; ) {
      if (decision.stage !== lastStage) {
        lastStage = decision.stage;
        journal(decision.stage);
      }
      try {
        facts = await step(decision.stage, decision.wakeAtMs);
      } catch (err) {
        requestStop({ outcome: 'failed', reason: err instanceof Error ? err.message : String(err) });
      }
      decision = decide(facts, clock.now());
    }
  } finally {
    log('stopping collectors');
    await supervisor.stopAll();
    if (cgroups.ok) for (const failure of cgroups.run.remove()) log(`cgroup not removed: ${failure}`);
    if (run.net) for (const left of await run.net.close()) log(`network not removed: ${left}`);
  }
  journal('done');
  if (!report) throw new Error(`no report was assembled; logs are in ${join(outDir, 'logs')}`);
  const files = writeReportFiles(outDir, report);
  return { outDir, report, files };

  /** Does one stage's work with processes; returns the facts it observed. */
  async function step(stage: Stage, wakeAtMs: number | undefined): Promise<DriverFacts> {
    switch (stage) {
      case 'collectors':
        await startLocalCollectors();
        return { ...facts, collectorsUp: true };
      case 'fleet':
        await startFleet();
        return { ...facts, fleetUp: true };
      case 'targets-up':
        return { ...facts, targetsUp: await awaitTargets() };
      case 'arm': {
        // One startAt for the whole fleet.
        const timeline = buildTimeline(resolveStartAt(spec, clock.now()), spec);
        await armFleet(run.fleet, iso(timeline.startAtMs));
        log(`armed ${run.fleet.length} producer processes: load starts at ${iso(timeline.startAtMs)}`);
        run.plannedFaults = planFaults(spec, timeline);
        run.jobs?.plan(timeline);
        if (run.net) run.netFaults = new NetworkFaultDriver(run.net, planNetworkFaults(spec, timeline));
        return { ...facts, timeline, armed: true };
      }
      case 'load':
      case 'drain': {
        await applyDueFaults();
        await run.jobs?.startDue(clock.now());
        await run.netFaults?.applyDue(edgeIo());
        await pollOnce();
        const nextFault = Math.min(
          nextFaultAtMs(run.plannedFaults, run.appliedIndexes) ?? Number.POSITIVE_INFINITY,
          run.netFaults?.nextAtMs() ?? Number.POSITIVE_INFINITY,
        );
        const nextJob = run.jobs?.nextAtMs() ?? Number.POSITIVE_INFINITY;
        const wake = Math.min(wakeAtMs ?? clock.now(), nextFault, nextJob);
        await sleep(Math.min(LEDGER_POLL_MS, wake - clock.now() + 1));
        return facts;
      }
      case 'cut-off':
        return { ...facts, cutOffAtMs: await cutOff() };
      case 'collect':
        report = await collect();
        return { ...facts, collected: true };
      case 'done':
        return facts;
    }
  }

  async function startLocalCollectors(): Promise<void> {
    log(
      'starting collectors (subject Prometheus, rig Prometheus, statsd_exporter, otelcol, kernel UDP counters)',
    );
    // Pull-direct jobs get their ports now, so the subject Prometheus lists them from the start.
    const jobPorts = spec.jobs?.length ? await allocateJobPorts(spec) : new Map<string, number>();
    if (netDecision.layout === 'namespaces') {
      run.net = await openRunNetwork(arms, log);
      journal('collectors');
    }
    const topology = run.net?.topology;
    run.collectors = await startCollectors({
      experiment: doc.metadata.name,
      spec,
      outDir,
      tools,
      supervisor,
      jobTargets: jobTargetsOf(spec, jobPorts),
      ...(topology
        ? { network: { ns: topology.collectorsNs, address: topology.collectorsAddress, ipPath: IP_PATH } }
        : {}),
      ...(cgroups.ok ? { cgroupProcsFiles: (c: CollectorName) => cgroups.procsFiles(c) } : {}),
    });
    if (spec.jobs?.length) {
      run.jobs = new JobRunner({
        spec,
        specFile: specCopy,
        outDir,
        supervisor,
        endpoints: run.collectors.endpoints,
        ports: jobPorts,
        log,
      });
    }
    const statsd = run.collectors.endpoints.statsd;
    if (statsd && statsd.rmemMaxBytes !== null && statsd.readBufferBytes > statsd.rmemMaxBytes) {
      run.missing.push(
        `statsd receiveBufferBytes ${statsd.readBufferBytes} exceeds net.core.rmem_max ${statsd.rmemMaxBytes}: the kernel capped the buffer`,
      );
    }
  }

  async function startFleet(): Promise<void> {
    const collectors = run.collectors!;
    // Baselines before any producer exists: the ledgers count from each producer's start (an OTLP
    // producer exports its declared series before it is armed), so the collectors' counters must too,
    // or the books compare two different windows.
    run.baseline = await readCountersNow(collectors.endpoints);
    cgroupBaseline = cgroups.ok ? cgroups.readAll() : null;
    run.fleetStartedMs = clock.now();
    journal('fleet');
    log(`starting producers: ${arms.join(', ')}`);
    run.fleet = await startProducerFleet({
      spec,
      specFile: specCopy,
      outDir,
      supervisor,
      endpoints: collectors.endpoints,
      ...(cgroups.ok ? { cgroupProcsFiles: (a: ArmName) => cgroups.producerProcsFiles(a) } : {}),
      ...(run.net ? { network: { topology: run.net.topology, ipPath: IP_PATH } } : {}),
      onProgress: log,
    });
  }

  /** True once every pull target is up; throws past the ready timeout; false when stopped meanwhile. */
  async function awaitTargets(): Promise<boolean> {
    const collectors = run.collectors!;
    const targets = pullTargetsOf(run.fleet);
    await collectors.setPullTargets(targets);
    const timeoutSeconds = options.readyTimeoutSeconds ?? 60;
    const deadline = clock.now() + timeoutSeconds * 1000;
    for (;;) {
      const health = await collectors.pullTargetHealth();
      if (health.up === targets.length) break;
      if (clock.now() > deadline) {
        throw new Error(
          `only ${health.up} of ${targets.length} pull targets came up within ${timeoutSeconds}s${health.failing[0] ? `; e.g. ${health.failing[0].producer}: ${health.failing[0].lastError}` : ''}`,
        );
      }
      if (facts.stop) return false;
      await sleep(500);
    }
    log(`all ${targets.length} pull targets are up`);
    return true;
  }

  /** Kills or hangs the producer processes of every fault now due, recording the instant. */
  async function applyDueFaults(): Promise<void> {
    for (const f of dueFaults(run.plannedFaults, run.appliedIndexes, clock.now())) {
      run.appliedIndexes.add(f.index);
      const targets = run.fleet.filter((p) => p.arm === f.arm && f.processes.includes(p.index));
      // Their ledgers as close to the fault as possible: after it, a killed or hung producer tells nothing.
      await pollLedgers(targets);
      const atMs = clock.now();
      if (f.kind === 'kill') {
        for (const p of targets) {
          run.killedOnPurpose.add(p.child.name);
          supervisor.kill(p.child, 'SIGKILL');
        }
      } else {
        const until = f.untilMs ?? facts.timeline!.drainEndMs + 60_000;
        await Promise.all(targets.map((p) => hangProducer(p, (until - atMs) / 1000)));
      }
      const ends = f.untilMs === null ? null : atMs + (f.untilMs - f.atMs);
      run.appliedFaults.push({ kind: f.kind, arm: f.arm, atMs, untilMs: ends, producers: f.producers });
      run.missing.push(
        `game day: fault ${f.index} ${f.kind === 'kill' ? 'killed' : 'hung'} ${f.arm} producer process${targets.length > 1 ? 'es' : ''} ${targets.map((p) => p.index).join(', ')} (${f.producers.length} producers) at ${iso(atMs)}; their ledgers after their last poll are not in the books`,
      );
      log(`fault ${f.index}: ${f.kind} ${f.arm} processes ${targets.map((p) => p.index).join(', ')}`);
    }
  }

  /** Polls every producer's ledger, appends the poll to the polls file, and prints progress. */
  async function pollOnce(): Promise<void> {
    const collectors = run.collectors!;
    await pollLedgers(run.fleet);
    mergePolledSlots(run.slotBook, run.fleet);
    const t = clock.now() / 1000;
    const machine = sampleMachine(t);
    if (machine) machineSamples.push(machine);
    const totals: Partial<Record<ArmName, LedgerTotals>> = {};
    for (const arm of arms) {
      const armNow = armTotalsNow(run.fleet, arm);
      if (armNow) {
        totals[arm] = armNow;
        const points = run.ledgerSeries[arm] ?? [];
        points.push([t, armNow]);
        run.ledgerSeries[arm] = points;
      }
    }
    const poll: LedgerPoll = { t, totals };
    appendFileSync(join(outDir, LEDGER_POLLS_FILE), `${JSON.stringify(poll)}\n`);
    const health = spec.arms.pull ? await collectors.pullTargetHealth().catch(() => null) : null;
    const socketBefore = run.baseline?.kernel.value?.socketDrops;
    const statsd = collectors.endpoints.statsd;
    const socketNow =
      statsd && socketBefore != null
        ? (await readKernel(statsd.udpPort, collectors.endpoints.kernelProcDir)).value
        : null;
    log(
      formatProgress({
        nowMs: clock.now(),
        timeline: facts.timeline!,
        drainSeconds: spec.collection.drainSeconds,
        series: run.ledgerSeries,
        targets: health ? { up: health.up, total: health.total } : null,
        kernelDrops:
          socketNow?.socketDrops != null && socketBefore != null
            ? socketNow.socketDrops - socketBefore
            : null,
      }),
    );
  }

  /** Stops the producers (each drains and writes its final ledger); returns the cut-off instant. */
  /** What the network faults read at each edge: the arm's ledgers and the collectors' counters. */
  function edgeIo() {
    const endpoints = run.collectors!.endpoints;
    return {
      pollArm: async (arm: ArmName) => {
        const targets = run.fleet.filter((p) => p.arm === arm);
        await pollLedgers(targets);
        return targets.map((p) => p.lastLedger);
      },
      readCollectors: () => readCountersNow(endpoints),
      now: () => clock.now(),
      log,
      statsdUdpPort: endpoints.statsd?.udpPort ?? null,
    };
  }

  /** The subject's up samples of the pull targets around a pull fault (who knew, on the collector's side). */
  async function upAround(raw: RawNetworkFault): Promise<RawNetworkFault['up']> {
    const e = run.collectors!.endpoints;
    const scrape = spec.arms.pull?.scrapeIntervalSeconds ?? 1;
    const from = (raw.startedMs ?? 0) / 1000 - scrape;
    const at = Math.min(clock.now(), raw.healedMs ?? clock.now()) / 1000 + 2 * scrape;
    const client = httpPromClient(e.subjectPrometheusUrl);
    const q = rawSamples(subjectSelectors({ experiment: doc.metadata.name }).up, { from, at });
    try {
      const series = await client.query(q, at);
      return series.length > 0
        ? { value: series, source: `PromQL ${q} @ ${client.source}` }
        : { value: null, source: q, missing: 'the query returned no series' };
    } catch (err) {
      return { value: null, source: q, missing: (err as Error).message };
    }
  }

  async function cutOff(): Promise<number> {
    if (run.jobs && run.jobs.liveCount > 0) {
      // A job still alive at the end of the drain gets a little longer to end by itself (bounded).
      log(`waiting for ${run.jobs.liveCount} short-lived job(s) to end`);
      await run.jobs.finish(15_000);
    }
    // Every fault still on the path heals before the producers stop: their last exports and scrapes
    // travel a whole path, and the heal's snapshot closes each window.
    await run.netFaults?.applyDue(edgeIo(), true);
    run.stoppingAtMs = clock.now();
    if (run.fleet.length > 0) {
      log('stopping producers (each drains its buffers and writes its final ledger)');
      const stopped = await stopFleet(supervisor, run.fleet);
      run.missing.push(...stopped.missing);
      const books = ledgersAtCutOff(run.fleet, stopped.finals, run.slotBook, run.ledgerSeries);
      run.finals = books.ledgerFinal;
      run.ledgerSeries = books.ledgerSeries;
      run.ledgerBooks = books.ledgerBooks;
      // Datagrams of the producers' final flush are in flight for a moment.
      await sleep(1000);
    }
    return clock.now();
  }

  async function collect(): Promise<Report> {
    const cutOffAtMs = facts.cutOffAtMs ?? clock.now();
    const stop = facts.stop;
    const timeline = facts.timeline;
    if (stop && timeline) run.missing.push(describeEarlyStop(timeline, stop.atMs, stop.reason));
    const collectors = run.collectors;
    const measurable = collectors !== null && timeline !== null && run.baseline !== null;
    if (!measurable) {
      // Stopped before the load was scheduled: a report that says so, with nothing measured.
      run.missing.push(
        `the run stopped before the load was scheduled${stop ? ` (${stop.reason})` : ''}: nothing was measured; logs are in ${join(outDir, 'logs')}`,
      );
    } else {
      log('collecting measurements');
    }
    const e = collectors?.endpoints;
    const finalCounters = measurable && e ? await readCountersNow(e) : null;
    let network: RawNetwork | undefined;
    if (run.netFaults) network = await run.netFaults.finish(netDecision, finalCounters, upAround);
    else if ((spec.networkFaults?.length ?? 0) > 0) {
      const why = run.net
        ? { layout: 'namespaces' as const, reason: 'the run stopped before the load was scheduled' }
        : netDecision;
      network = notRun(spec, why);
      run.missing.push(`game day: no network fault was applied: ${why.reason}`);
    }
    const input = await measureRun({
      name: doc.metadata.name,
      runtime: 'local',
      spec,
      run: {
        startedAt: iso(startedMs),
        loadStartAt: timeline ? iso(timeline.startAtMs) : null,
        loadEndAt: timeline ? iso(timeline.loadEndMs) : null,
        cutoffAt: timeline ? iso(cutOffAtMs) : null,
        outcome: timeline || stop ? outcomeOf(facts) : 'failed',
        missing: run.missing,
      },
      tools: run.tools,
      phases: timeline?.phases ?? [],
      ledgerFinal: run.finals,
      ledgerSeries: run.ledgerSeries,
      ledgerBooks: run.ledgerBooks,
      producersDied: run.producersDied,
      machineSamples,
      measured:
        measurable && e
          ? {
              subject: httpPromClient(e.subjectPrometheusUrl),
              rig: httpPromClient(e.rigPrometheusUrl),
              window: { fromMs: startedMs, stoppingAtMs: run.stoppingAtMs ?? cutOffAtMs, cutOffAtMs },
              baseline: run.baseline!,
              final: finalCounters!,
              statsdUdpPort: e.statsd?.udpPort ?? null,
              pullTargets: pullTargetsOf(run.fleet).length,
              faults: run.appliedFaults,
              // The jobs' ledgers; measureRun puts the jobs that left none in run.missing.
              ...(run.jobs ? { jobs: run.jobs.outcome() } : {}),
              rmemMaxBytes: e.statsd?.rmemMaxBytes ?? null,
            }
          : null,
      now: () => clock.now(),
    });
    if (network) input.network = network;
    if (measurable) {
      input.collectorResources = collectorResources({
        spec,
        cgroups,
        baseline: cgroupBaseline,
        final: cgroups.ok ? cgroups.readAll() : null,
        exits: collectorExits,
      });
      input.producerCpu = producerCpu(
        spec,
        cgroups,
        cgroups.ok ? cgroups.readProducers() : null,
        (cutOffAtMs - (run.fleetStartedMs ?? cutOffAtMs)) / 1000,
      );
    }
    // Recorded input for the report goldens (report/testdata/*.input.json): see docs/report.md.
    if (measurable)
      writeAtomically(join(outDir, 'measurement-input.json'), `${JSON.stringify(input, null, 2)}\n`);
    return assembleReport(input);
  }
}
