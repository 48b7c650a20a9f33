// Checks one in-cluster report (report.json on stdin) the way the e2e requires, and prints what it saw:
// schema and verdict present; no figure missing that the spec's arms should have; the StatsD books
// close with the kernel drops read from /proc/net/snmp of the collector pod's own network namespace.
// With a local report of the same spec (`--local FILE`, from `pushpull run` on this machine) it also checks
// that both runtimes measured the same figures: every arm figure with a value in one has a value in the
// other. With `--collectors` every collector under test must have its use measured (CPU, CFS periods and
// throttling, memory peak, OOM kills, restarts: the kubelet's cAdvisor through the operator's relay, and
// the pods' statuses), and per phase its CPU. Exit 1 with every failure listed.
// With `--sweep-step` a report whose rig or machine was the limit need not close its books.
// Usage: kubectl get cm X-report -o jsonpath=... | node check-report.mjs [--local report.json] [--collectors] [--sweep-step]
import { readFileSync } from 'node:fs';

const localArg = process.argv.indexOf('--local');
const localFile = localArg > 0 ? process.argv[localArg + 1] : undefined;
const checkCollectors = process.argv.includes('--collectors');
const sweepStep = process.argv.includes('--sweep-step');
const USE_FIGURES = [
  'cpuUsedSeconds',
  'periods',
  'throttledPeriods',
  'throttledSeconds',
  'memoryPeakBytes',
  'oomKills',
  'restarts',
];

/** The arm figures with a value, by path (arms.statsd.books.sent ...). */
function measuredFigures(report) {
  const out = new Set();
  const walk = (o, path) => {
    if (!o || typeof o !== 'object') return;
    if ('value' in o && 'source' in o && 'unit' in o) {
      if (o.value !== null) out.add(path);
      return;
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
  };
  walk(report.arms, 'arms');
  return out;
}

let text = '';
process.stdin
  .on('data', (d) => (text += d))
  .on('end', () => {
    const failures = [];
    let r;
    try {
      r = JSON.parse(text);
    } catch (e) {
      console.error(`report.json is not JSON: ${e.message}`);
      process.exit(1);
    }
    if (r.schemaVersion !== 1) failures.push(`schemaVersion is ${r.schemaVersion}, not 1`);
    if (!r.verdict?.sentence) failures.push('no verdict sentence');
    const missingFigures = [];
    const walk = (o, path) => {
      if (!o || typeof o !== 'object') return;
      if ('value' in o && 'source' in o && 'unit' in o) {
        if (o.value === null) missingFigures.push(`${path}: ${o.missing ?? '(no reason)'}`);
        return;
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
    };
    walk(r.arms, 'arms');
    const arms = Object.keys(r.experiment?.spec?.arms ?? {});
    for (const a of arms) if (!r.arms?.[a]) failures.push(`arm ${a} is in the spec but not in the report`);
    const books = r.arms?.statsd?.books;
    // A sweep's step may be where the rig or the machine became the limit (that ends the sweep): its
    // books may then be unreadable, which the report says; the rig's own correctness is not judged there.
    const rigLimit =
      sweepStep && (r.rig?.rigLimited || r.rig?.machine?.limited || r.run?.outcome !== 'completed');
    if (rigLimit) console.log('a sweep step where the rig or the machine was the limit: books not required');
    if (arms.includes('statsd') && !rigLimit) {
      if (!books) failures.push('no StatsD books');
      else {
        if (!books.closed)
          failures.push(`StatsD books do not close: unaccounted ${books.unaccounted?.value}`);
        if (typeof books.kernelDrops?.value !== 'number')
          failures.push(`StatsD kernel drops missing: ${books.kernelDrops?.missing}`);
        else if (!/snmp|socket/i.test(books.kernelDrops.source))
          failures.push(`StatsD kernel drops not from the kernel counters: ${books.kernelDrops.source}`);
      }
    }
    // Short-lived jobs: every job ran and left its ledger; the push paths kept every event; the
    // Pushgateway still served every gone job's group, stale, with up 1.
    for (const b of r.experiment?.spec?.jobs ?? []) {
      const got = r.jobs?.batches?.find((x) => x.name === b.name);
      if (!got) {
        failures.push(`jobs batch ${b.name} is in the spec but not in the report`);
        continue;
      }
      if (got.jobsRun?.value !== b.count)
        failures.push(`jobs batch ${b.name}: ${got.jobsRun?.value} of ${b.count} jobs left a ledger`);
      // The push paths keep what the jobs sent; in a cluster a job's pod may start late (it waits for a slot
      // of its Job's parallelism), and its last events may still wait for the collector's next scrape at the
      // cut-off: the count that matters is that they captured nearly all, where pull direct missed most.
      const rate = got.captureRate?.value;
      console.log(`jobs batch ${b.name} (${b.path}): capture rate ${rate}`);
      if (b.path !== 'pull-direct' && !(rate >= 0.9))
        failures.push(
          `jobs batch ${b.name} (${b.path}): capture rate ${rate} (${got.captureRate?.missing ?? ''})`,
        );
      if (
        b.path === 'pull-direct' &&
        b.lifetimeSeconds * 2 < (r.experiment?.spec?.arms?.pull?.scrapeIntervalSeconds ?? 0) &&
        !(rate < 0.5)
      )
        failures.push(
          `jobs batch ${b.name} (pull direct, jobs shorter than half a scrape): capture rate ${rate}, not mostly missed`,
        );
      if (b.path === 'pushgateway') {
        const pg = got.pushgateway;
        if (!(pg?.stalenessSecondsMin?.value > 0))
          failures.push(
            `jobs batch ${b.name}: Pushgateway staleness ${pg?.stalenessSecondsMin?.value} (${pg?.stalenessSecondsMin?.missing ?? ''})`,
          );
        if (pg?.upAtCutOff?.value !== 1)
          failures.push(`jobs batch ${b.name}: Pushgateway up ${pg?.upAtCutOff?.value}`);
      }
    }
    if (r.jobs) console.log(`jobs: ${r.jobs.sentence}`);
    if (checkCollectors) {
      const collectors = r.collectors ?? [];
      const expected = { pull: 'prometheus', statsd: 'statsd', otlp: 'otelcol' };
      for (const a of arms) {
        const c = collectors.find((x) => x.collector === expected[a]);
        if (!c) {
          failures.push(`collector ${expected[a]} of arm ${a} is not in the report's collectors`);
          continue;
        }
        const figures = USE_FIGURES.map((f) => `${f} ${c[f]?.value ?? `missing (${c[f]?.missing})`}`);
        console.log(
          `collector ${c.collector}: limits ${JSON.stringify(c.limits)}; ${figures.join(', ')}; from ${c.cpuUsedSeconds?.source}`,
        );
        for (const f of USE_FIGURES)
          if (typeof c[f]?.value !== 'number')
            failures.push(`collector ${c.collector}: ${f} missing: ${c[f]?.missing ?? '(no reason)'}`);
        if (!(c.cpuUsedSeconds?.value > 0)) failures.push(`collector ${c.collector}: no CPU used`);
        if (!(c.memoryPeakBytes?.value > 0)) failures.push(`collector ${c.collector}: no memory peak`);
        if (!(c.periods?.value > 0)) failures.push(`collector ${c.collector}: no CFS periods`);
        const phases = r.experiment?.spec?.load?.phases ?? [];
        if ((c.phases ?? []).length !== phases.length)
          failures.push(
            `collector ${c.collector}: ${(c.phases ?? []).length} phase(s) of use, not ${phases.length}`,
          );
        for (const p of c.phases ?? []) {
          console.log(
            `  ${p.phase}: CPU ${p.cpuUsedSeconds?.value} s, throttled ${p.throttledPeriods?.value} of ${p.periods?.value} periods, memory peak ${p.memoryPeakBytes?.value} B`,
          );
          if (typeof p.cpuUsedSeconds?.value !== 'number' && !p.cpuUsedSeconds?.missing)
            failures.push(`collector ${c.collector} phase ${p.phase}: CPU missing without a reason`);
        }
        // A phase may start before the kubelet reports a new container (said so); the last, the burst's, may
        // not — unless it is the only phase, which starts with the load, right after the pods came up.
        const last = (c.phases ?? [])[phases.length - 1];
        if (phases.length > 1 && last && typeof last.cpuUsedSeconds?.value !== 'number')
          failures.push(
            `collector ${c.collector} phase ${last.phase}: CPU missing: ${last.cpuUsedSeconds?.missing}`,
          );
      }
    }
    if (localFile) {
      const localReport = JSON.parse(readFileSync(localFile, 'utf8'));
      const local = measuredFigures(localReport);
      const localBooks = localReport.arms?.statsd?.books;
      if (arms.includes('statsd') && !localBooks?.closed)
        failures.push(`the local StatsD books do not close: unaccounted ${localBooks?.unaccounted?.value}`);
      const cluster = measuredFigures(r);
      const onlyLocal = [...local].filter((f) => !cluster.has(f));
      const onlyCluster = [...cluster].filter((f) => !local.has(f));
      console.log(`figures measured: ${cluster.size} in the cluster, ${local.size} locally (${localFile})`);
      for (const f of onlyLocal) failures.push(`${f} has a value locally but not in the cluster`);
      for (const f of onlyCluster) failures.push(`${f} has a value in the cluster but not locally`);
      if (local.size === 0) failures.push('the local report measured no arm figure');
    }
    console.log(`verdict: ${r.verdict?.sentence}`);
    if (books)
      console.log(
        `statsd books: sent ${books.sent?.value} = received ${books.received?.value} + kernel ${books.kernelDrops?.value} + queue ${books.collectorQueueDrops?.value} + unaccounted ${books.unaccounted?.value} (closed: ${books.closed}); kernel drops from ${books.kernelDrops?.source}`,
      );
    console.log(`run.missing: ${JSON.stringify(r.run?.missing ?? [])}`);
    console.log(`figures without a value: ${missingFigures.length}`);
    for (const m of missingFigures) console.log(`  ${m}`);
    for (const f of failures) console.error(`FAIL: ${f}`);
    process.exit(failures.length > 0 ? 1 : 0);
  });
