/**
 * The cross-field rules of the spec, in one table. Each rule carries both of its enforcers: a JS check
 * (run by api/v1alpha1/validate.ts after the schema walk and defaulting) and the equivalent CEL rule that
 * api/v1alpha1/crd.ts attaches as `x-kubernetes-validations`, so `pushpull validate` and `kubectl apply`
 * reject the same specs. The CEL stays within what a Kubernetes 1.36 apiserver offers: standard macros
 * (`all`, `exists_one`, `map`), `has()`, and the Kubernetes list library (`sum()`, `isSorted()`).
 * Both run on the defaulted object (the apiserver applies defaults before validation), so the rules may
 * read defaulted fields without `has()`.
 */
import { FIGURES } from '../../report/figures.ts';
import { phasesSeconds, scheduleSeconds } from './derived.ts';
import {
  ARM_NAMES,
  type ArmName,
  type ExperimentSpec,
  type Fault,
  type NetworkFault,
  type Phase,
  type PullArm,
} from './schema.ts';

/** CEL: an expectation's figure belongs to an arm the spec runs (figure names start with their arm). */
const EXPECT_ARMS_CEL = `!has(self.expect) || self.expect.all(e, ${ARM_NAMES.map(
  (arm) => `(!e.figure.startsWith('${arm}.') || has(self.arms.${arm}))`,
).join(' && ')})`;

/** One place where a rule is broken, relative to the object the rule is attached to. */
export interface RuleViolation {
  /** Path segments below the attach point (e.g. `[2, 'name']`); empty for the object itself. */
  at: (string | number)[];
  /** The offending value. */
  value: unknown;
  /** What is wrong, naming the values involved and what is allowed (the path is prefixed by the caller). */
  detail: string;
}

/** A cross-field rule and its CEL twin. */
export interface CrossFieldRule {
  /** Stable identifier, used in tests. */
  id: string;
  /**
   * Schema location the rule attaches to, in path notation with `[*]` for "every list item":
   * `spec`, `spec.arms.pull`, `spec.load.phases`, `spec.load.phases[*]`.
   */
  attach: string;
  /**
   * Fields the check reads, relative to the attach point (`*` matches any list index). The check runs
   * only when none of them has a schema error; an empty list means the whole object.
   */
  reads: string[][];
  /** CEL rule; `self` is the object at `attach`. */
  cel: string;
  /** The apiserver's message when the CEL rule fails. */
  message: string;
  /** CRD `fieldPath` (relative, e.g. `.scrapeTimeoutSeconds`) that the apiserver reports the error at. */
  fieldPath?: string;
  /** Returns every violation in `self` (the defaulted object at the attach point); empty when it holds. */
  check(self: unknown): RuleViolation[];
}

/** The spec's lists of things that happen at a time in a phase, and the arm each item belongs to. */
interface TimedList {
  field: 'faults' | 'networkFaults' | 'jobs';
  what: string;
  /** CEL: the item's arm is in spec.arms (item `f`). */
  armCel: string;
  armOf(item: { arm?: string; path?: string }): ArmName;
  armField: 'arm' | 'path';
}

const armCel = (expr: string) =>
  ARM_NAMES.map((arm) => `(${expr} == '${arm}' && has(self.arms.${arm}))`).join(' || ');

const TIMED_LISTS: readonly TimedList[] = [
  {
    field: 'faults',
    what: 'fault',
    armCel: armCel('f.arm'),
    armOf: (f) => f.arm as ArmName,
    armField: 'arm',
  },
  {
    field: 'networkFaults',
    what: 'network fault',
    armCel: armCel('f.arm'),
    armOf: (f) => f.arm as ArmName,
    armField: 'arm',
  },
  {
    field: 'jobs',
    what: 'job batch',
    armCel: `((f.path == 'pull-direct' || f.path == 'pushgateway') && has(self.arms.pull)) || ${armCel('f.path')}`,
    armOf: (j) => (j.path === 'pull-direct' || j.path === 'pushgateway' ? 'pull' : (j.path as ArmName)),
    armField: 'path',
  },
];

/** Each item of `list` names a phase of load.phases and an offset within it. */
function inAPhase(list: TimedList): CrossFieldRule {
  const id = list.field === 'faults' ? 'fault' : list.what.replace(' ', '-');
  return {
    id: `${id}-in-a-phase`,
    attach: 'spec',
    reads: [[list.field], ['load']],
    cel: `!has(self.${list.field}) || self.${list.field}.all(f, self.load.phases.exists(p, p.name == f.phase && f.offsetSeconds < p.durationSeconds))`,
    message: `each ${list.what} must name a phase of load.phases and an offsetSeconds within that phase`,
    fieldPath: `.${list.field}`,
    check(self) {
      const spec = self as ExperimentSpec;
      const violations: RuleViolation[] = [];
      ((spec[list.field] ?? []) as { phase: string; offsetSeconds: number }[]).forEach((f, i) => {
        const phase = spec.load.phases.find((p) => p.name === f.phase);
        if (!phase) {
          violations.push({
            at: [list.field, i, 'phase'],
            value: f.phase,
            detail: `${JSON.stringify(f.phase)} is not a phase; allowed: ${spec.load.phases.map((p) => JSON.stringify(p.name)).join(', ')}`,
          });
        } else if (f.offsetSeconds >= phase.durationSeconds) {
          violations.push({
            at: [list.field, i, 'offsetSeconds'],
            value: f.offsetSeconds,
            detail: `${f.offsetSeconds} is not within phase ${JSON.stringify(phase.name)} (${phase.durationSeconds} s); allowed: 0 to less than ${phase.durationSeconds}`,
          });
        }
      });
      return violations;
    },
  };
}

/** Each item of `list` belongs to an arm that is in spec.arms. */
function onARunningArm(list: TimedList): CrossFieldRule {
  const id = list.field === 'faults' ? 'fault' : list.what.replace(' ', '-');
  return {
    id: `${id}-on-a-running-arm`,
    attach: 'spec',
    reads: [[list.field], ['arms']],
    cel: `!has(self.${list.field}) || self.${list.field}.all(f, ${list.armCel})`,
    message: `each ${list.what} must belong to an arm that is in spec.arms`,
    fieldPath: `.${list.field}`,
    check(self) {
      const spec = self as ExperimentSpec;
      const running = Object.keys(spec.arms);
      return ((spec[list.field] ?? []) as { arm?: string; path?: string }[]).flatMap((f, i) => {
        const arm = list.armOf(f);
        return running.includes(arm)
          ? []
          : [
              {
                at: [list.field, i, list.armField],
                value: f[list.armField],
                detail: `${JSON.stringify(f[list.armField])} needs the ${arm} arm, which is not in spec.arms; allowed: ${running.map((a) => JSON.stringify(a)).join(', ')}`,
              },
            ];
      });
    },
  };
}

/** All cross-field rules; api/v1alpha1/crd.ts renders them and api/v1alpha1/validate.ts runs them, in this order. */
export const RULES: readonly CrossFieldRule[] = [
  {
    id: 'scrape-timeout-within-interval',
    attach: 'spec.arms.pull',
    reads: [['scrapeIntervalSeconds'], ['scrapeTimeoutSeconds']],
    cel: 'self.scrapeTimeoutSeconds <= self.scrapeIntervalSeconds',
    message: 'scrapeTimeoutSeconds must not exceed scrapeIntervalSeconds',
    fieldPath: '.scrapeTimeoutSeconds',
    check(self) {
      const pull = self as PullArm;
      if (pull.scrapeTimeoutSeconds <= pull.scrapeIntervalSeconds) return [];
      return [
        {
          at: ['scrapeTimeoutSeconds'],
          value: pull.scrapeTimeoutSeconds,
          detail: `${pull.scrapeTimeoutSeconds} exceeds scrapeIntervalSeconds (${pull.scrapeIntervalSeconds}); allowed: at most scrapeIntervalSeconds (Prometheus rejects a longer scrape_timeout)`,
        },
      ];
    },
  },
  {
    id: 'ramp-within-phase',
    attach: 'spec.load.phases[*]',
    reads: [['rampSeconds'], ['durationSeconds']],
    cel: 'self.rampSeconds <= self.durationSeconds',
    message: "rampSeconds must not exceed the phase's durationSeconds (the ramp is part of the phase)",
    fieldPath: '.rampSeconds',
    check(self) {
      const phase = self as Phase;
      const ramp = phase.rampSeconds ?? 0;
      if (ramp <= phase.durationSeconds) return [];
      return [
        {
          at: ['rampSeconds'],
          value: ramp,
          detail: `${ramp} exceeds the phase's durationSeconds (${phase.durationSeconds}); allowed: at most durationSeconds (the ramp is part of the phase)`,
        },
      ];
    },
  },
  {
    id: 'unique-phase-names',
    attach: 'spec.load.phases',
    reads: [['*', 'name']],
    cel: 'self.all(p, self.exists_one(q, q.name == p.name))',
    message: 'phase names must be unique',
    check(self) {
      const phases = self as Phase[];
      const firstIndex = new Map<string, number>();
      const violations: RuleViolation[] = [];
      phases.forEach((phase, i) => {
        const first = firstIndex.get(phase.name);
        if (first === undefined) {
          firstIndex.set(phase.name, i);
          return;
        }
        violations.push({
          at: [i, 'name'],
          value: phase.name,
          detail: `${JSON.stringify(phase.name)} is already the name of phases[${first}]; phase names must be unique`,
        });
      });
      return violations;
    },
  },
  {
    id: 'symbols-never-shrink',
    attach: 'spec.load.phases',
    reads: [['*', 'symbols']],
    cel: 'self.map(p, p.symbols).isSorted()',
    message: 'symbols must not decrease from one phase to the next (series never shrink)',
    check(self) {
      const phases = self as Phase[];
      const violations: RuleViolation[] = [];
      for (let i = 1; i < phases.length; i++) {
        const before = phases[i - 1]!;
        const phase = phases[i]!;
        if (phase.symbols >= before.symbols) continue;
        violations.push({
          at: [i, 'symbols'],
          value: phase.symbols,
          detail: `${phase.symbols} is fewer than phases[${i - 1}].symbols (${before.symbols}); allowed: at least ${before.symbols} (series never shrink)`,
        });
      }
      return violations;
    },
  },
  {
    id: 'schedule-within-max-duration',
    attach: 'spec',
    reads: [['load'], ['collection'], ['maxDurationSeconds']],
    cel: '(has(self.load.startAt) ? 0.0 : self.load.warmupSeconds) + self.load.phases.map(p, p.durationSeconds).sum() + self.collection.drainSeconds <= self.maxDurationSeconds',
    message:
      'warmupSeconds (unless startAt is set) + the sum of the phase durations + collection.drainSeconds must not exceed maxDurationSeconds',
    fieldPath: '.maxDurationSeconds',
    check(self) {
      const spec = self as ExperimentSpec;
      const total = scheduleSeconds(spec);
      if (total <= spec.maxDurationSeconds) return [];
      const warmup =
        spec.load.startAt === undefined
          ? `warmupSeconds ${spec.load.warmupSeconds} + `
          : '(startAt set, no warm-up) ';
      return [
        {
          at: ['maxDurationSeconds'],
          value: spec.maxDurationSeconds,
          detail: `${spec.maxDurationSeconds} is shorter than the schedule: ${warmup}phases ${round(phasesSeconds(spec))} + drainSeconds ${spec.collection.drainSeconds} = ${round(total)} s; allowed: at least ${round(total)} (raise maxDurationSeconds or shorten the schedule)`,
        },
      ];
    },
  },
  {
    id: 'expectations-on-running-arms',
    attach: 'spec',
    reads: [['expect'], ['arms']],
    cel: EXPECT_ARMS_CEL,
    message: 'each expectation must name a figure of an arm the spec runs (spec.arms)',
    fieldPath: '.expect',
    check(self) {
      const spec = self as ExperimentSpec;
      const running = ARM_NAMES.filter((arm) => spec.arms[arm] !== undefined);
      const violations: RuleViolation[] = [];
      (spec.expect ?? []).forEach((e, i) => {
        const arm = FIGURES[e.figure].arm;
        if (arm === 'rig' || spec.arms[arm] !== undefined) return;
        violations.push({
          at: ['expect', i, 'figure'],
          value: e.figure,
          detail: `${JSON.stringify(e.figure)} is a figure of the ${arm} arm, which the spec does not run; allowed: figures of ${running.join(', ')} or rig (add spec.arms.${arm} or drop the expectation)`,
        });
      });
      return violations;
    },
  },
  ...TIMED_LISTS.flatMap((list) => [inAPhase(list), onARunningArm(list)]),
  {
    id: 'fault-takes-producers-or-share',
    attach: 'spec.faults[*]',
    reads: [['producers'], ['share']],
    cel: 'has(self.producers) != has(self.share)',
    message: 'set exactly one of producers and share',
    check(self) {
      const f = self as Fault;
      if ((f.producers === undefined) !== (f.share === undefined)) return [];
      return [
        {
          at: [],
          value: { producers: f.producers, share: f.share },
          detail:
            'sets both or neither of producers and share; allowed: exactly one (how many, or which share of the arm)',
        },
      ];
    },
  },
  {
    id: 'fault-duration-for-hang',
    attach: 'spec.faults[*]',
    reads: [['kind'], ['durationSeconds']],
    cel: "self.kind == 'hang' || !has(self.durationSeconds)",
    message: 'durationSeconds applies to hang only (a killed producer stays dead)',
    fieldPath: '.durationSeconds',
    check(self) {
      const f = self as Fault;
      if (f.kind === 'hang' || f.durationSeconds === undefined) return [];
      return [
        {
          at: ['durationSeconds'],
          value: f.durationSeconds,
          detail:
            'applies to kind hang only; a killed producer stays dead for the rest of the run (remove it)',
        },
      ];
    },
  },
  {
    id: 'network-fault-fields-of-its-kind',
    attach: 'spec.networkFaults[*]',
    reads: [['kind'], ['lossShare'], ['bitsPerSecond'], ['delayMilliseconds']],
    cel: "has(self.lossShare) == (self.kind == 'loss') && has(self.bitsPerSecond) == (self.kind == 'bandwidth') && has(self.delayMilliseconds) == (self.kind == 'delay')",
    message:
      'loss takes lossShare, bandwidth takes bitsPerSecond, delay takes delayMilliseconds, partition none of them',
    check(self) {
      const f = self as NetworkFault;
      const own: Record<NetworkFault['kind'], keyof NetworkFault | undefined> = {
        loss: 'lossShare',
        bandwidth: 'bitsPerSecond',
        delay: 'delayMilliseconds',
        partition: undefined,
      };
      const violations: RuleViolation[] = [];
      for (const field of ['lossShare', 'bitsPerSecond', 'delayMilliseconds'] as const) {
        const wanted = own[f.kind] === field;
        if (wanted && f[field] === undefined) {
          violations.push({ at: [field], value: undefined, detail: `is required for kind ${f.kind}` });
        } else if (!wanted && f[field] !== undefined) {
          violations.push({
            at: [field],
            value: f[field],
            detail: `applies to kind ${Object.entries(own).find(([, v]) => v === field)![0]} only, not ${f.kind} (remove it)`,
          });
        }
      }
      return violations;
    },
  },
  {
    id: 'job-batch-names-unique',
    attach: 'spec',
    reads: [['jobs']],
    cel: '!has(self.jobs) || self.jobs.all(j, self.jobs.exists_one(k, k.name == j.name))',
    message: 'each job batch needs its own name',
    fieldPath: '.jobs',
    check(self) {
      const jobs = (self as ExperimentSpec).jobs ?? [];
      return jobs.flatMap((j, i) =>
        jobs.findIndex((k) => k.name === j.name) < i
          ? [
              {
                at: ['jobs', i, 'name'],
                value: j.name,
                detail: `${JSON.stringify(j.name)} names an earlier batch too; allowed: a name of its own`,
              },
            ]
          : [],
      );
    },
  },
];

/** Seconds for a message: enough digits to read, none of the float noise (0.1 + 0.2). */
function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
