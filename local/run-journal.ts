/**
 * The local run's journal, `run.json` in the output directory: what a report needs that the TSDBs and
 * the ledger polls do not hold (the spec, the baseline counters, the timeline, the pull targets, the
 * stage reached). Rewritten atomically at every stage, so a run killed at any moment — SIGKILL, a reboot —
 * leaves enough for `pushpull report DIR` to rebuild its report (local/recover.ts).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArmName, ExperimentSpec } from '../api/v1alpha1/schema.ts';
import type { Stage } from '../driver/stage-machine.ts';
import type { LedgerTotals } from '../loadgen/ledger.ts';
import type { CollectorCounters } from '../measure/collect.ts';
import type { Report } from '../report/types.ts';
import type { Timeline } from '../schedule/timeline.ts';

export const RUN_JOURNAL_SCHEMA = 'pushpull.dev/run-journal/v1';
export const RUN_JOURNAL_FILE = 'run.json';
/** Ledger polls, one JSON line per poll (a LedgerPoll), appended as they are taken. */
export const LEDGER_POLLS_FILE = join('ledgers', 'polls.jsonl');

/** One line of the polls file: unix seconds and every arm's summed totals at that poll. */
export interface LedgerPoll {
  t: number;
  totals: Partial<Record<ArmName, LedgerTotals>>;
}

export interface RunJournal {
  schema: typeof RUN_JOURNAL_SCHEMA;
  name: string;
  spec: ExperimentSpec;
  /** The stage the run last entered. */
  stage: Stage;
  startedAt: string;
  /** When the producers were started; the collectors' baseline was read just before. */
  fleetStartedAt: string | null;
  baseline: CollectorCounters | null;
  statsdUdpPort: number | null;
  pullTargets: number;
  /** The run id its network namespaces carry (netfault/), when it ran in its own; recovery removes them. */
  networkRunId?: string;
  timeline: Timeline | null;
  tools: Report['tools'];
  missing: string[];
  producersDied: Report['rig']['producersDied'];
}

export function writeJournal(dir: string, journal: RunJournal): void {
  const path = join(dir, RUN_JOURNAL_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The journal of the run in `dir`, or null when there is none; a malformed one throws with the path. */
export function readJournal(dir: string): RunJournal | null {
  const path = join(dir, RUN_JOURNAL_FILE);
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunJournal>;
  if (parsed.schema !== RUN_JOURNAL_SCHEMA) {
    throw new Error(`${path}: not a pushpull run journal (schema ${JSON.stringify(parsed.schema)})`);
  }
  return parsed as RunJournal;
}
