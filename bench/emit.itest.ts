/**
 * Smoke test of `pushpull bench emit`: runs the real command (sinks, workers, the producer) with tiny counts
 * and checks only that it produces a well-formed result for every arm and mode. Nothing here depends on
 * how fast anything ran: the figures are benchmarks, never verdicts.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ALL_CASES, caseId } from './cases.ts';
import type { BenchDocument, LayerFigures } from './result.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function runCli(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/pushpull.js', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench emit did not finish within ${timeoutMs} ms\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function assertLayer(layer: LayerFigures, what: string): void {
  assert.ok(layer.batches >= 1, `${what}: no batches`);
  for (const v of [layer.medianUs, layer.p99Us])
    assert.ok(v !== null && Number.isFinite(v) && v > 0, `${what}: ${v}`);
  assert.equal(layer.repeatMediansUs.length, 1, what);
}

test('bench emit with tiny counts gives a well-formed result for every arm and mode', async () => {
  const { code, stdout, stderr } = await runCli(
    [
      'bench',
      'emit',
      '--json',
      '--repeats',
      '1',
      '--seconds',
      '0.3',
      '--warm-seconds',
      '0.1',
      '--producers',
      '2',
      '--batch-events',
      '100',
      '--max-batches',
      '3',
      '--per-event-ms',
      '50',
    ],
    240_000,
  );
  assert.equal(code, 0, stderr);
  const doc = JSON.parse(stdout) as BenchDocument;
  assert.equal(doc.schema, 'pushpull.dev/bench-emit/v1');
  assert.match(doc.command, /^pushpull bench emit --json --repeats 1 /);
  assert.ok(doc.machine.cores >= 1 && doc.machine.node.startsWith('v'));
  assert.deepEqual(doc.failures, []);
  assert.deepEqual(
    doc.cases.map((c) => c.id),
    ALL_CASES.map(caseId),
  );
  for (const c of doc.cases) {
    assert.equal(c.repeats, 1, c.id);
    assert.equal(c.producers, 2, c.id);
    for (const name of ['baseline', 'generator', 'library', 'rig'] as const)
      assertLayer(c[name], `${c.id} ${name}`);
    if (c.mode === 'perEvent') assertLayer(c.floor!, `${c.id} floor`);
    else assert.equal(c.floor, null);
    assert.ok(c.overheadPercent !== null && Number.isFinite(c.overheadPercent), c.id);
    const t = c.throughput;
    assert.ok(t.eventsPerSecond !== null && t.eventsPerSecond > 0, `${c.id}: ${t.eventsPerSecond}`);
    assert.deepEqual(t.errors, [], c.id);
    const sink = t.sinks[0]!;
    assert.equal(sink.kind, { pull: 'scrape', statsd: 'udp', otlp: 'otlp' }[c.arm], c.id);
    if (sink.kind === 'udp') {
      assert.ok(sink.datagramsSent > 0, c.id);
      for (const n of [sink.received, sink.socketDrops, sink.rcvbufErrors])
        assert.ok(Number.isInteger(n) && n >= 0);
    }
    if (sink.kind === 'otlp') assert.ok(sink.exportsOk + sink.exportsFailed >= 1, c.id);
    if (sink.kind === 'scrape') assert.ok(sink.scrapes >= 1, c.id);
    assert.equal(typeof t.keptUp, 'boolean', c.id);
  }
  assert.ok(doc.goals.some((g) => g.id === 'cost:pull/scrape'));
  assert.equal(doc.goals.filter((g) => g.id.startsWith('overhead:')).length, ALL_CASES.length);
});

test('a bad flag is a usage error naming the flag, without a stack trace', async () => {
  const { code, stdout, stderr } = await runCli(['bench', 'emit', '--arms', 'prometheus'], 60_000);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(
    stderr,
    /--arms: "prometheus" is not allowed; expected a comma-separated list of pull, statsd, otlp/,
  );
  assert.doesNotMatch(stderr, /\n\s+at /);
});
