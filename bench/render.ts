/**
 * The bench's human output: what ran where (command, machine, process shape), the per-event cost table,
 * the throughput table with what each sink saw, the goals, and any failed repeats. Pure: a BenchDocument
 * in, lines out; called by cli/commands/bench.ts (docs/benchmarks.md quotes it verbatim).
 */
import type { SinkReport } from './protocol.ts';
import type { BenchDocument, CaseFigures } from './result.ts';
import {
  type Align,
  formatCount,
  formatMicros,
  formatSig3,
  formatSignedPercent,
  formatSpread,
  formatTable,
} from './table.ts';

/** One line about a sink's side of a throughput run. */
export function describeSink(s: SinkReport): string {
  switch (s.kind) {
    case 'udp': {
      const kernel = s.privateNetns ? 'RcvbufErrors' : 'RcvbufErrors (shared netns)';
      const verdict =
        s.received === s.datagramsSent && s.socketDrops === 0 && s.sendErrors === 0
          ? 'kept up'
          : `lost ${formatCount(s.datagramsSent - s.received)}`;
      return `${formatCount(s.received)} of ${formatCount(s.datagramsSent)} datagrams received, socket drops ${formatCount(s.socketDrops)}, ${kernel} +${formatCount(s.rcvbufErrors)}${s.sendErrors ? `, send errors ${formatCount(s.sendErrors)}` : ''}${s.unaccounted ? `, UNACCOUNTED ${formatCount(s.unaccounted)}` : ''}: ${verdict}`;
    }
    case 'otlp':
      return `exports ${formatCount(s.exportsOk)} ok, ${formatCount(s.exportsFailed)} failed (${formatCount(s.requestsReceived)} received, ${formatCount(s.pointsExported)} points)${s.exportsFailed === 0 && s.exportsOk > 0 ? ': kept up' : ''}`;
    case 'scrape':
      return `${formatCount(s.ok)} of ${formatCount(s.scrapes)} scrapes ok, ${formatCount(s.timeouts)} timed out (${s.timeoutSeconds} s), slowest ${formatSig3(s.maxSeconds)} s, ${formatCount(s.bytes / 1024)} KiB`;
  }
}

function costRow(c: CaseFigures): string[] {
  const added =
    c.addedNsPerEvent === null
      ? ''
      : ` (${c.addedNsPerEvent >= 0 ? '+' : ''}${formatSig3(c.addedNsPerEvent)} ns)`;
  return [
    c.id,
    formatMicros(c.baseline.medianUs),
    formatMicros(c.generator.medianUs),
    formatMicros(c.floor?.medianUs ?? null),
    formatMicros(c.library.medianUs),
    formatMicros(c.library.p99Us),
    formatSpread(c.library.spreadPercent),
    formatMicros(c.rig.medianUs),
    formatMicros(c.rig.p99Us),
    formatSpread(c.rig.spreadPercent),
    `${formatSignedPercent(c.overheadPercent)}${added}`,
    c.onCpuShare === null ? '-' : c.onCpuShare.toFixed(2),
  ];
}

/** Renders the whole document as lines of text. */
export function renderBench(doc: BenchDocument): string[] {
  const m = doc.machine;
  const s = doc.settings;
  const batch = doc.cases[0]?.batchEvents ?? s.batchEvents;
  const out: string[] = [
    'pushpull bench emit: per-event cost and highest sustained event rate of one producer process',
    '',
    `command   ${doc.command}`,
    `machine   ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.virtualized ? 'virtual machine, ' : ''}Node ${m.node}, ${m.platform}; load average ${m.loadAverageStart} at start, ${m.loadAverageEnd ?? '?'} at end`,
    `shape     one process of ${s.baseSpec}: ${s.producersPerProcess} virtual producer${s.producersPerProcess === 1 ? '' : 's'}, ${s.symbols} symbols (${formatCount(s.counterSeriesPerProducer)} counter + ${formatCount(s.histogramSeriesPerProducer)} histogram series each)`,
    `runs      ${s.repeats} repeat(s), each case in a fresh process; ${doc.startedAt} to ${doc.finishedAt}`,
    '',
    'Per-event cost, µs per event (an event is one counter update and one latency observation)',
    `  Each batch of ${formatCount(batch)} events is timed as a whole and divided (timing single events would measure the clock),`,
    '  so p99 is the 99th percentile of batch means, not of single events. Batches of all paths are interleaved.',
    '  baseline: in-memory counter add + latency sum. generator: the rig recording nothing (schedule, seeded',
    '  event generation, ledger). udp floor (statsd perEvent): a bare connected UDP socket sending the same two',
    "  datagrams per event. library: the client library alone on pre-generated events. rig: the producer's",
    '  generator + arm + ledger. rig overhead: (rig - library) / library. spread: (max - min) / median of the',
    "  repeats' medians. on-cpu: the timing thread's CPU time over wall time (1.00: never preempted by other",
    '  processes; lower: the wall-clock figures include waiting for a core).',
    '',
  ];
  const base = doc.baseline.medianUs;
  out.push(
    ...formatTable({
      header: [
        'arm/mode',
        'baseline',
        'generator',
        'udp floor',
        'library',
        'lib p99',
        'spread',
        'rig',
        'rig p99',
        'spread',
        'rig overhead',
        'on-cpu',
      ],
      rows: doc.cases.map(costRow),
      align: ['left', ...Array<Align>(11).fill('right')],
    }).map((l) => `  ${l}`),
  );
  if (base !== null) out.push(`  (baseline over all cases: median ${formatMicros(base)} µs)`);
  out.push(
    '',
    `Highest sustained rate of one process: the real producer loop unthrottled, ${s.seconds} s measured after ${s.warmSeconds} s of warm-up`,
    `  events/s: median of the repeats. x need: over one process's share of the base spec's peak (${formatCount(doc.cases[0]?.throughput.neededPerProcess ?? null)} events/s).`,
    '  cpu: CPU seconds per second of the whole worker (all threads; 2 would be both cores). events/cpu-s: events',
    '  per CPU second, less sensitive to other load on the machine.',
    `  statsd sink: another process, SO_RCVBUF ${formatCount(s.udpReceiveBufferBytes)} asked${s.privateNetns ? ', in a private network namespace with the producer (exact kernel counters)' : ''}.`,
    '',
  );
  out.push(
    ...formatTable({
      header: ['arm/mode', 'events/s', 'spread', 'x need', 'cpu', 'events/cpu-s', 'sink side (last repeat)'],
      rows: doc.cases.map((c) => [
        c.id,
        formatCount(c.throughput.eventsPerSecond),
        formatSpread(c.throughput.spreadPercent),
        c.throughput.headroom === null ? '-' : `${formatSig3(c.throughput.headroom)}x`,
        c.throughput.cpuShare === null ? '-' : c.throughput.cpuShare.toFixed(2),
        formatCount(c.throughput.eventsPerCpuSecond),
        c.throughput.sinks.length ? describeSink(c.throughput.sinks[c.throughput.sinks.length - 1]!) : '-',
      ]),
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
    }).map((l) => `  ${l}`),
  );
  out.push('', 'Goals (a benchmark, not a test)', '');
  out.push(
    ...formatTable({
      header: ['goal', 'limit', 'figure', 'met?'],
      rows: doc.goals.map((g) => [
        g.description,
        `<= ${g.limit}${g.unit === '%' ? '%' : ` ${g.unit}`}`,
        g.figure === null
          ? '-'
          : g.unit === '%'
            ? formatSignedPercent(g.figure)
            : `${formatMicros(g.figure)} µs`,
        g.met === null ? '-' : g.met ? 'yes' : 'NO',
      ]),
      align: ['left', 'right', 'right', 'left'],
    }).map((l) => `  ${l}`),
  );
  const profiled = doc.cases.filter((c) => c.profile);
  if (profiled.length) {
    out.push(
      '',
      "Hot spots: self time in the CPU profile of each case's last worker (per-event layers and throughput run)",
    );
    for (const c of profiled) {
      out.push(`  ${c.id} (${c.profile!.file})`);
      for (const h of c.profile!.hotSpots) out.push(`    ${h.percent.toFixed(1).padStart(5)}%  ${h.where}`);
    }
  }
  const errors = doc.cases.flatMap((c) => c.throughput.errors.map((e) => `${c.id}: ${e}`));
  if (doc.failures.length || errors.length) {
    out.push('', 'Failures');
    for (const f of doc.failures) out.push(`  ${f.case} repeat ${f.repeat}: ${f.message}`);
    for (const e of errors) out.push(`  ${e}`);
  }
  return out;
}
