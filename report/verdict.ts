/**
 * The verdict: "would push have made this burst easier, harder, or the same?", answered from the arm
 * results and the failure timeline of one run. Pure; called by the measurement step when it assembles
 * report.json (local runtime and operator alike).
 *
 * An arm FAILED when it lost or delayed data: pull on up == 0 samples, scrape timeouts, sample or body
 * limit breaches; StatsD on kernel UDP drops or statsd_exporter queue drops; OTLP on refused or failed
 * points or failed exports. A failure counts from its first timeline signal; a failure the figures show
 * but no signal dates has an unknown time. Per push arm X, against pull:
 *   - neither failed → the-same; only pull → push-easier; only X → push-harder;
 *   - both → the earlier decides (pull first → push-easier, X first → push-harder); two failures within
 *     `tieWindowSeconds` (default 1 s) of each other cannot be ordered → the-same (both failed together);
 *     a failure with no date cannot be ordered against another → inconclusive.
 * Without a pull arm there is nothing to compare with: inconclusive, but the sentence still names what
 * failed first. The overall answer is the per-arm answer when all push arms agree, else inconclusive
 * (the sentence gives each arm's answer).
 *
 * Rig conditions ("taints") make an answer inconclusive unless it is clear regardless. A taint has a
 * start (seconds after load start; −∞ when unknown or run-wide) and the arms it touches:
 *   - a producer died / producers were rig-limited: that arm had less load from then on; for pull it
 *     can also CAUSE a failure (a dead target is up == 0, a starved producer serves /metrics slowly);
 *   - a push arm's books do not close: it may have lost data no counter saw (it can't be called clean);
 *     when unaccounted is negative or unknown its drop counters include traffic that is not ours, so
 *     its failure is not proven either; a positive unaccounted only adds to a proven loss;
 *   - a failure figure the rig could not measure (null): the arm can't be called clean;
 *   - an interrupted or failed run: nothing after the stop is evidence, either way.
 * The answer stands when no taint touching the arm that did NOT fail (or failed later) starts at or
 * before the deciding failure, and no taint that can cause the deciding arm's failure starts at or
 * before it. "Neither failed" stands only with no taint at all on either arm.
 */
import { ARM_NAMES, type ArmName } from '../api/v1alpha1/schema.ts';
import {
  ARM_LABELS,
  formatFigureInline,
  formatNumber,
  formatOffset,
  formatOffsetShort,
  formatSeconds,
  formatWhen,
  offsetFromLoadStart,
} from './format.ts';
import { FAILURE_KINDS, KIND_LABELS, OPERATOR_VIEW, WARNING_KINDS } from './signal-kinds.ts';
import type {
  FailureSignal,
  Figure,
  Headroom,
  PhaseWindow,
  Report,
  RigHealth,
  Verdict,
  VerdictAnswer,
} from './types.ts';

/** What the verdict is decided from: a subset of report.json plus two optional refinements. */
/** How a run that did not complete ended, in words. */
const RUN_ENDINGS: Record<Report['run']['outcome'], string> = {
  completed: 'completed',
  interrupted: 'interrupted',
  failed: 'stopped by an error',
  crashed: 'killed (its report was rebuilt from what it kept)',
};

export interface VerdictInput {
  phases: PhaseWindow[];
  arms: Report['arms'];
  signals: FailureSignal[];
  rig: RigHealth;
  /** The report's run.missing: listed in the evidence. */
  missing: string[];
  /** How the run ended; an interrupted, failed or crashed run taints everything after `stoppedAt`. */
  run?: { outcome: Report['run']['outcome']; stoppedAt: string | null };
  /** Failures of two arms this close (seconds) are a tie. Default 1. */
  tieWindowSeconds?: number;
  /** How close each arm came to its limits: a "the same" sentence names the closest. */
  headroom?: readonly Headroom[];
}

/** The headroom entry that came closest to its limit (highest share), of one arm or of all. */
export function closestToLimit(headroom: readonly Headroom[], arm?: ArmName): Headroom | null {
  let best: Headroom | null = null;
  for (const h of headroom) {
    if (arm !== undefined && h.arm !== arm) continue;
    if (h.share.value === null) continue;
    if (!best || h.share.value > (best.share.value ?? 0)) best = h;
  }
  return best;
}

/** "pull came closest: scrape p99 of the 4 s timeout at 62% (2.5 s of 4 s)". */
function describeClosest(headroom: readonly Headroom[]): string | null {
  const best = closestToLimit(headroom);
  if (!best || best.share.value === null) return null;
  const pct = formatNumber(best.share.value * 100, best.share.value < 0.1 ? 1 : 0);
  return `${ARM_LABELS[best.arm]} came closest to a limit: ${best.label} at ${pct}% (${formatFigureInline(best.used)} of ${formatFigureInline(best.limit)})`;
}

type PushArm = 'statsd' | 'otlp';
const PUSH_ARMS: readonly PushArm[] = ['statsd', 'otlp'];

interface ArmState {
  arm: ArmName;
  failed: boolean;
  /** Seconds after load start of the first failure; null when failed but undated, or not failed. */
  at: number | null;
  first: FailureSignal | null;
  /** "how much", for the sentence. */
  amount: string;
  /**
   * lost: data never arrived (up == 0, a limit breach, a drop, a refusal, an OOM kill); delayed: pull's
   * scrapes reached the timeout while up stayed 1, so the data came late but came; gap: pull's scrapes
   * failed (up == 0) for a while, yet its cumulative counters at the cut-off held every event the
   * producers generated (no producer died), so its series has a hole but no event was lost.
   */
  nature: 'lost' | 'delayed' | 'gap';
  /** The failure figures, for the evidence. */
  figures: Array<[string, Figure]>;
}

interface Taint {
  arms: ReadonlySet<ArmName>;
  /** Seconds after load start; −Infinity when run-wide or unknown. */
  from: number;
  /** Arms on which this condition can itself produce failure signals. */
  causesFailureOn: ReadonlySet<ArmName>;
  reason: string;
  source: string;
}

interface Comparison {
  arm: PushArm;
  answer: VerdictAnswer;
  /** What the comparison says before taints are considered. */
  raw: VerdictAnswer;
  undermined: Taint[];
  note: string | null;
}

const positive = (f: Figure | undefined): boolean => f?.value != null && f.value > 0;
const unmeasured = (f: Figure | undefined): boolean => !f || f.value === null;

/** Decides the verdict of one run. See the module header for the rules. */
export function decideVerdict(input: VerdictInput): Verdict {
  const tie = input.tieWindowSeconds ?? 1;
  const present = ARM_NAMES.filter((a) => input.arms[a] !== undefined);
  const states = new Map<ArmName, ArmState>();
  for (const arm of present) states.set(arm, armState(arm, input));
  const taints = collectTaints(input, present);
  const failures = input.signals
    .filter((s) => FAILURE_KINDS.has(s.kind) && s.arm !== 'rig')
    .sort(bySignalTime);
  const firstFailure = failures[0] ?? null;
  const evidence = buildEvidence(input, states, taints);
  const story = describeStory(present, states);
  const visibility = describeVisibility(present, states);

  const pushPresent = PUSH_ARMS.filter((a) => states.has(a));
  const pull = states.get('pull');
  if (!pull || pushPresent.length === 0) {
    const perPushArm: Verdict['perPushArm'] = {};
    for (const a of pushPresent) perPushArm[a] = 'inconclusive';
    const lack = !pull
      ? 'this run has no pull arm to compare the push arms with: add a pull arm to answer the question'
      : 'this run has no push arm (statsd or otlp) to compare pull with: add one to answer the question';
    const sentence = `Inconclusive: ${lack}; ${story}${visibility ? `; ${visibility}` : ''}.`;
    return { answer: 'inconclusive', perPushArm, sentence, firstFailure, evidence };
  }

  const comparisons = pushPresent.map((arm) => compareArm(pull, states.get(arm)!, taints, tie));
  const perPushArm: Verdict['perPushArm'] = {};
  for (const c of comparisons) perPushArm[c.arm] = c.answer;
  const answers = new Set(comparisons.map((c) => c.answer));
  const answer: VerdictAnswer = answers.size === 1 ? comparisons[0]!.answer : 'inconclusive';

  const parts = [story];
  if (visibility) parts.push(visibility);
  if (answer === 'the-same' && ![...states.values()].some((st) => st.failed)) {
    const closest = describeClosest(input.headroom ?? []);
    if (closest) parts.push(closest);
  }
  for (const c of comparisons) if (c.note) parts.push(c.note);
  const caveats = uniqueReasons(comparisons.flatMap((c) => c.undermined));
  if (caveats.length > 0) parts.push(`not conclusive because ${caveats.join('; ')}`);
  const sentence = `${headline(answer, comparisons)}: ${parts.join('; ')}.`;
  return { answer, perPushArm, sentence, firstFailure, evidence };
}

function bySignalTime(a: FailureSignal, b: FailureSignal): number {
  if (a.offsetSeconds !== b.offsetSeconds) return a.offsetSeconds - b.offsetSeconds;
  const order = [...ARM_NAMES, 'rig'];
  if (a.arm !== b.arm) return order.indexOf(a.arm) - order.indexOf(b.arm);
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

function armState(arm: ArmName, input: VerdictInput): ArmState {
  const first = input.signals.filter((s) => s.arm === arm && FAILURE_KINDS.has(s.kind)).sort(bySignalTime)[0];
  const { failedByFigures, amount, figures } = armFigures(arm, input.arms);
  const failed = first !== undefined || failedByFigures;
  return {
    arm,
    failed,
    at: first ? first.offsetSeconds : null,
    first: first ?? null,
    amount,
    figures,
    nature: natureOf(arm, input),
  };
}

/**
 * Pull only delayed its data when no scrape failed (up never 0, no limit tripped) and nothing was killed.
 * When scrapes failed (up == 0) but nothing else did, and the counters at the cut-off hold every event
 * generated, what pull lost was resolution (a gap), not events.
 */
function natureOf(arm: ArmName, input: VerdictInput): ArmState['nature'] {
  const p = input.arms.pull;
  if (arm !== 'pull' || !p) return 'lost';
  const limitKinds = new Set(['sample-limit', 'body-size-limit', 'collector-oom-killed']);
  if (input.signals.some((s) => s.arm === 'pull' && limitKinds.has(s.kind))) return 'lost';
  if ([p.sampleLimitBreaches, p.bodySizeLimitBreaches].some((f) => positive(f) || unmeasured(f)))
    return 'lost';
  const scrapesFailed =
    positive(p.upZeroSamples) ||
    unmeasured(p.upZeroSamples) ||
    input.signals.some((s) => s.arm === 'pull' && s.kind === 'target-down');
  if (!scrapesFailed) return 'delayed';
  const held =
    p.eventsSeen.value !== null &&
    p.eventsGenerated.value !== null &&
    p.eventsGenerated.value > 0 &&
    p.eventsSeen.value >= p.eventsGenerated.value &&
    !input.rig.producersDied.some((d) => d.arm === 'pull');
  return held ? 'gap' : 'lost';
}

function armFigures(
  arm: ArmName,
  arms: Report['arms'],
): { failedByFigures: boolean; amount: string; figures: Array<[string, Figure]> } {
  if (arm === 'pull' && arms.pull) {
    const p = arms.pull;
    const figures: Array<[string, Figure]> = [
      ['up == 0 samples', p.upZeroSamples],
      ['scrapes over the timeout', p.scrapesOverTimeout],
      ['sample_limit breaches', p.sampleLimitBreaches],
      ['body_size_limit breaches', p.bodySizeLimitBreaches],
    ];
    const failedByFigures = figures.some(([, f]) => positive(f));
    const parts = [
      `${count(p.upZeroSamples)} up == 0 samples`,
      `${count(p.scrapesOverTimeout)} scrapes over the timeout`,
    ];
    if (positive(p.sampleLimitBreaches)) parts.push(`${count(p.sampleLimitBreaches)} sample_limit breaches`);
    if (positive(p.bodySizeLimitBreaches))
      parts.push(`${count(p.bodySizeLimitBreaches)} body_size_limit breaches`);
    let amount = joinAnd(parts);
    if (!failedByFigures) amount += `, scrape p99 ${formatFigureInline(p.scrapeDurationSeconds.p99)}`;
    figures.push(['scrape duration p99', p.scrapeDurationSeconds.p99]);
    return { failedByFigures, amount, figures };
  }
  if (arm === 'statsd' && arms.statsd) {
    const b = arms.statsd.books;
    const figures: Array<[string, Figure]> = [
      ['datagrams sent', b.sent],
      ['datagrams received', b.received],
      ['kernel drops', b.kernelDrops],
      ['collector-queue drops', b.collectorQueueDrops],
      ['unaccounted', b.unaccounted],
      ['loss ratio', arms.statsd.lossRatio],
    ];
    if (b.networkDrops) figures.splice(4, 0, ['network drops', b.networkDrops]);
    const onTheWire = b.networkDrops !== undefined && positive(b.networkDrops);
    const failedByFigures = positive(b.kernelDrops) || positive(b.collectorQueueDrops) || onTheWire;
    let amount: string;
    if (failedByFigures) {
      const parts: string[] = [];
      if (positive(b.kernelDrops) || (!positive(b.collectorQueueDrops) && !onTheWire))
        parts.push(`${count(b.kernelDrops)} of ${count(b.sent)} datagrams dropped by the kernel`);
      if (positive(b.collectorQueueDrops))
        parts.push(`${count(b.collectorQueueDrops)} dropped from statsd_exporter's queue`);
      if (onTheWire && b.networkDrops)
        parts.push(`${count(b.networkDrops)} of ${count(b.sent)} datagrams lost on the network path`);
      amount = `${joinAnd(parts)} (${formatFigureInline(arms.statsd.lossRatio)} loss)`;
    } else if (b.closed) {
      amount = `all ${count(b.sent)} datagrams received, books closed`;
    } else if (unmeasured(b.kernelDrops) || unmeasured(b.collectorQueueDrops)) {
      amount = `${count(b.sent)} datagrams sent and ${count(b.received)} received, drops unmeasured`;
    } else {
      amount = `${count(b.sent)} datagrams sent and ${count(b.received)} received, no drops counted`;
    }
    if (!b.closed) amount += `; its books do not close: ${count(b.unaccounted)} datagrams unaccounted`;
    return { failedByFigures, amount, figures };
  }
  if (arm === 'otlp' && arms.otlp) {
    const o = arms.otlp;
    const figures: Array<[string, Figure]> = [
      ['points exported', o.pointsExported],
      ['points accepted', o.pointsAccepted],
      ['points refused', o.pointsRefused],
      ['points failed', o.pointsFailed],
      ['failed exports', o.exportsFailed],
      ['retries', o.retries],
    ];
    const failedByFigures =
      positive(o.pointsRefused) || positive(o.pointsFailed) || positive(o.exportsFailed);
    const amount = failedByFigures
      ? `${count(o.pointsRefused)} points refused and ${count(o.pointsFailed)} points failed of ${o.books ? `${count(o.books.sent)} sent (retries included)` : `${count(o.pointsExported)} exported`}, ${count(o.exportsFailed)} failed exports`
      : o.pointsAccepted.value !== null && o.pointsAccepted.value === o.pointsExported.value
        ? `all ${count(o.pointsExported)} points accepted`
        : `${count(o.pointsAccepted)} of ${count(o.pointsExported)} exported points accepted`;
    return { failedByFigures, amount, figures };
  }
  return { failedByFigures: false, amount: 'no result', figures: [] };
}

/**
 * A figure's number without its unit, for prose that names the unit after it; a null figure reads
 * "an unknown number of" (its reason is in the evidence).
 */
function count(f: Figure): string {
  if (f.value === null) return 'an unknown number of';
  return f.unit === 'ratio' || f.unit === 'seconds' || f.unit === 'bytes'
    ? formatFigureInline(f)
    : formatNumber(f.value, Number.isInteger(f.value) ? 0 : 2);
}

function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function collectTaints(input: VerdictInput, present: ArmName[]): Taint[] {
  const all = new Set<ArmName>(present);
  const pullOnly = new Set<ArmName>(['pull']);
  const none = new Set<ArmName>();
  const taints: Taint[] = [];
  const armSet = (arm: ArmName | 'rig'): Set<ArmName> => (arm === 'rig' ? all : new Set([arm]));

  for (const d of input.rig.producersDied) {
    const from = offsetFromLoadStart(input.phases, d.at) ?? Number.NEGATIVE_INFINITY;
    taints.push({
      arms: new Set([d.arm]),
      from,
      causesFailureOn: pullOnly,
      reason: `producer ${d.arm}/${d.process} died ${Number.isFinite(from) ? formatOffset(from) : 'at an unknown time'}`,
      source: 'rig.producersDied',
    });
  }
  let rigLimitedSignal = false;
  for (const s of input.signals) {
    if (s.kind === 'producer-died') {
      // rig.producersDied names the process; the signal only stands in when that list lacks the arm.
      if (input.rig.producersDied.some((d) => d.arm === s.arm)) continue;
      taints.push({
        arms: armSet(s.arm),
        from: s.offsetSeconds,
        causesFailureOn: pullOnly,
        reason: `a ${ARM_LABELS[s.arm]} producer died ${formatOffset(s.offsetSeconds)}`,
        source: s.source,
      });
    } else if (s.kind === 'rig-limited') {
      rigLimitedSignal = true;
      const who = s.arm === 'rig' ? 'the producers' : `the ${ARM_LABELS[s.arm]} producers`;
      taints.push({
        arms: armSet(s.arm),
        from: s.offsetSeconds,
        causesFailureOn: pullOnly,
        reason: `${who} could not generate the asked rate from ${formatOffset(s.offsetSeconds)} (rig-limited)`,
        source: s.source,
      });
    }
  }
  if (input.rig.rigLimited && !rigLimitedSignal) {
    taints.push({
      arms: all,
      from: Number.NEGATIVE_INFINITY,
      causesFailureOn: pullOnly,
      reason: 'the producers could not generate the asked rate (rig-limited)',
      source: 'rig.rigLimited',
    });
  }
  if (input.rig.machine?.limited) {
    taints.push({
      arms: all,
      from: Number.NEGATIVE_INFINITY,
      causesFailureOn: all,
      reason: `${input.rig.machine.reason ?? 'the machine was saturated'}: machine-limited, the arms competed for CPU`,
      source: `${input.rig.machine.cpuBusy.source}; ${input.rig.machine.cpuPressure.source}`,
    });
  }
  const statsd = input.arms.statsd;
  if (statsd && !statsd.books.closed) {
    const u = statsd.books.unaccounted.value;
    // A collector killed under load cannot be read at the cut-off: its books stay open, but the kernel's
    // drops it did not survive are still the kernel's count, so they prove a loss on their own.
    const killed = input.signals.find((s) => s.arm === 'statsd' && s.kind === 'collector-oom-killed');
    taints.push({
      arms: new Set(['statsd']),
      from: Number.NEGATIVE_INFINITY,
      causesFailureOn: (u !== null && u > 0) || killed ? none : new Set(['statsd']),
      reason: killed
        ? `StatsD's books do not close: ${killed.detail}, so its counters at the cut-off are missing`
        : `StatsD's books do not close (${count(statsd.books.unaccounted)} datagrams unaccounted: a rig fault)`,
      source: statsd.books.unaccounted.source,
    });
  }
  for (const arm of present) {
    const nulls = armFigures(arm, input.arms)
      .figures.filter(([name]) => isFailureFigure(arm, name))
      .filter(([, f]) => unmeasured(f));
    if (nulls.length > 0) {
      taints.push({
        arms: new Set([arm]),
        from: Number.NEGATIVE_INFINITY,
        causesFailureOn: none,
        reason: `${ARM_LABELS[arm]}'s ${nulls.map(([n]) => n).join(', ')} could not be measured`,
        source: nulls.map(([, f]) => f.source).join('; '),
      });
    }
  }
  if (input.run && input.run.outcome !== 'completed') {
    const from =
      (input.run.stoppedAt ? offsetFromLoadStart(input.phases, input.run.stoppedAt) : null) ??
      Number.NEGATIVE_INFINITY;
    taints.push({
      arms: all,
      from,
      causesFailureOn: all,
      reason: `the run was ${RUN_ENDINGS[input.run.outcome]}${Number.isFinite(from) ? ` ${formatOffset(from)}` : ''}`,
      source: 'run.outcome',
    });
  }
  return taints;
}

const FAILURE_FIGURES: Record<ArmName, ReadonlySet<string>> = {
  pull: new Set(['up == 0 samples', 'scrapes over the timeout']),
  statsd: new Set(['kernel drops', 'collector-queue drops']),
  otlp: new Set(['points refused', 'points failed', 'failed exports']),
};

function isFailureFigure(arm: ArmName, name: string): boolean {
  return FAILURE_FIGURES[arm].has(name);
}

function compareArm(pull: ArmState, push: ArmState, taints: Taint[], tie: number): Comparison {
  const arm = push.arm as PushArm;
  const touching = (a: ArmName, until: number) => taints.filter((t) => t.arms.has(a) && t.from <= until);
  const causing = (a: ArmName, until: number) =>
    taints.filter((t) => t.arms.has(a) && t.causesFailureOn.has(a) && t.from <= until);
  const decided = (raw: VerdictAnswer, undermined: Taint[], note: string | null = null): Comparison => ({
    arm,
    raw,
    answer: undermined.length > 0 ? 'inconclusive' : raw,
    undermined,
    note,
  });
  const inf = Number.POSITIVE_INFINITY;

  if (!pull.failed && !push.failed) {
    return decided('the-same', [...touching('pull', inf), ...touching(arm, inf)]);
  }
  if (pull.failed && !push.failed) {
    const t = pull.at ?? inf;
    return decided('push-easier', [...touching(arm, t), ...causing('pull', t)]);
  }
  if (!pull.failed && push.failed) {
    const t = push.at ?? inf;
    return decided('push-harder', [...touching('pull', t), ...causing(arm, t)]);
  }
  if (pull.at === null || push.at === null) {
    const undated = [pull, push].filter((s) => s.at === null).map((s) => ARM_LABELS[s.arm]);
    return {
      arm,
      raw: 'inconclusive',
      answer: 'inconclusive',
      undermined: [],
      note: `pull and ${ARM_LABELS[arm]} both lost data but ${undated.join(' and ')} has no dated failure signal, so which came first is unknown`,
    };
  }
  const gap = push.at - pull.at;
  if (Math.abs(gap) <= tie) {
    const t = Math.max(pull.at, push.at);
    return decided(
      'the-same',
      [...touching('pull', t), ...touching(arm, t)],
      `pull and ${ARM_LABELS[arm]} failed within ${formatSeconds(Math.abs(gap))} of each other (tie window ${formatSeconds(tie)})`,
    );
  }
  if (gap > 0) {
    return decided('push-easier', [...touching(arm, pull.at), ...causing('pull', pull.at)]);
  }
  return decided('push-harder', [...touching('pull', push.at), ...causing(arm, push.at)]);
}

const PHRASES: Record<VerdictAnswer, string> = {
  'push-easier': 'easier',
  'push-harder': 'harder',
  'the-same': 'neither easier nor harder',
  inconclusive: 'inconclusive',
};

function headline(answer: VerdictAnswer, comparisons: Comparison[]): string {
  if (answer !== 'inconclusive') return `Push would have made this burst ${PHRASES[answer]}`;
  const distinct = new Set(comparisons.map((c) => c.answer));
  if (distinct.size > 1) {
    return `Inconclusive, it depends on the push arm: ${comparisons
      .map((c) =>
        c.answer === 'inconclusive'
          ? `${ARM_LABELS[c.arm]} inconclusive`
          : `${ARM_LABELS[c.arm]} would have made this burst ${PHRASES[c.answer]}`,
      )
      .join(', ')}`;
  }
  const raws = new Set(comparisons.map((c) => c.raw));
  const [raw] = [...raws];
  if (raws.size === 1 && raw && raw !== 'inconclusive') {
    return `Inconclusive (the timeline alone says push would have made this burst ${PHRASES[raw]})`;
  }
  return 'Inconclusive';
}

const DID: Record<ArmState['nature'], string> = {
  lost: 'lost data',
  delayed: 'delayed data (its scrapes reached the timeout while up stayed 1: late, not lost)',
  gap: 'missed scrapes (up == 0), yet its counters at the cut-off held every generated event: a gap in its series, not a loss',
};

/** "StatsD lost data first, 2.4 s after load start, in phase open (...), with ...; pull followed ...". */
function describeStory(present: ArmName[], states: Map<ArmName, ArmState>): string {
  const failed = present
    .map((a) => states.get(a)!)
    .filter((s) => s.failed)
    .sort((a, b) => (a.at ?? Number.POSITIVE_INFINITY) - (b.at ?? Number.POSITIVE_INFINITY));
  const clean = present.map((a) => states.get(a)!).filter((s) => !s.failed);
  if (failed.length === 0) {
    return `no arm lost or delayed data (${clean.map((s) => `${ARM_LABELS[s.arm]}: ${s.amount}`).join('; ')})`;
  }
  const parts: string[] = [];
  const lead = failed[0]!;
  failed.forEach((s, i) => {
    const when = s.first
      ? `${formatWhen(s.first)} (first signal: ${KIND_LABELS[s.first.kind]})`
      : 'at an unknown time (no timeline signal dates it)';
    if (i === 0) {
      const first = failed.length > 1 ? ' first,' : '';
      parts.push(`${ARM_LABELS[s.arm]} ${DID[s.nature]}${first} ${when}, with ${s.amount}`);
    } else {
      const gap = s.at !== null && lead.at !== null ? ` ${formatSeconds(s.at - lead.at)} later` : '';
      parts.push(`${ARM_LABELS[s.arm]} followed${gap}, ${when}, with ${s.amount}`);
    }
  });
  for (const s of clean) parts.push(`${ARM_LABELS[s.arm]} lost nothing (${s.amount})`);
  return parts.join('; ');
}

/** What each failed arm's operator could have seen. */
function describeVisibility(present: ArmName[], states: Map<ArmName, ArmState>): string {
  return present
    .map((a) => states.get(a)!)
    .filter((s) => s.failed)
    .map(
      (s) => `${ARM_LABELS[s.arm]}'s operator ${s.first ? OPERATOR_VIEW[s.first.kind] : defaultView(s.arm)}`,
    )
    .join('; ');
}

function defaultView(arm: ArmName): string {
  if (arm === 'pull') return OPERATOR_VIEW['target-down'];
  if (arm === 'statsd') return OPERATOR_VIEW['kernel-udp-drop'];
  return OPERATOR_VIEW['otlp-export-failed'];
}

function uniqueReasons(taints: Taint[]): string[] {
  return [...new Set([...taints].sort((a, b) => a.from - b.from).map((t) => t.reason))];
}

/** Figures the books line already states, or that say nothing about a loss. */
const IN_BOOKS_LINE = new Set(['datagrams sent', 'datagrams received', 'unaccounted', 'points accepted']);
/** Figures worth a line only when they are not zero (or unknown). */
const ONLY_IF_NOT_ZERO = new Set([
  'sample_limit breaches',
  'body_size_limit breaches',
  'collector-queue drops',
  'points failed',
  'retries',
]);

function buildEvidence(input: VerdictInput, states: Map<ArmName, ArmState>, taints: Taint[]): string[] {
  const lines: string[] = [];
  const timeline = input.signals
    .filter((s) => FAILURE_KINDS.has(s.kind) || WARNING_KINDS.has(s.kind))
    .sort(bySignalTime);
  for (const s of timeline) {
    const phase = s.phase ?? (s.offsetSeconds < 0 ? 'warm-up' : 'no phase');
    const seen = s.visibleToOperator ? 'visible to its operator' : 'invisible to its operator';
    lines.push(
      `${formatOffsetShort(s.offsetSeconds)} (${phase}) ${ARM_LABELS[s.arm]}, first ${KIND_LABELS[s.kind]}: ${s.detail}; ${seen} (source: ${s.source})`,
    );
  }
  for (const [arm, state] of states) {
    for (const [name, f] of state.figures) {
      if (IN_BOOKS_LINE.has(name) || (ONLY_IF_NOT_ZERO.has(name) && f.value === 0)) continue;
      lines.push(`${ARM_LABELS[arm]} ${name}: ${formatFigureInline(f)} (source: ${f.source})`);
    }
  }
  const statsd = input.arms.statsd;
  if (statsd) {
    const b = statsd.books;
    lines.push(
      b.closed
        ? `StatsD books closed: sent ${count(b.sent)} = received ${count(b.received)} + kernel drops ${count(b.kernelDrops)} + queue drops ${count(b.collectorQueueDrops)} datagrams (source: ${b.unaccounted.source})`
        : `RIG FAULT: StatsD books do not close: sent ${count(b.sent)}, received ${count(b.received)}, kernel drops ${count(b.kernelDrops)}, queue drops ${count(b.collectorQueueDrops)}, ${count(b.unaccounted)} datagrams unaccounted (source: ${b.unaccounted.source}; ${b.sent.source}; ${b.received.source})`,
    );
  }
  for (const t of uniqueTaints(taints)) lines.push(`rig: ${t.reason} (source: ${t.source})`);
  if (input.rig.scheduleLagMaxEvents.value !== null && input.rig.scheduleLagMaxEvents.value > 0) {
    lines.push(
      `rig: schedule lag up to ${formatFigureInline(input.rig.scheduleLagMaxEvents)} (source: ${input.rig.scheduleLagMaxEvents.source})`,
    );
  }
  if (input.missing.length > 0) {
    lines.push(
      `the report lacks ${formatNumber(input.missing.length)} item(s): ${input.missing.join('; ')} (source: run.missing)`,
    );
  }
  return lines;
}

function uniqueTaints(taints: Taint[]): Taint[] {
  const seen = new Set<string>();
  return taints.filter((t) => {
    if (seen.has(t.reason)) return false;
    seen.add(t.reason);
    return true;
  });
}
