/**
 * The schedule's condition types and what each status means. The bookkeeping (lastTransitionTime kept
 * while the status holds) is the experiment's own, operator/status/conditions.ts `settle`. Pure.
 */

/**
 * The schedule passed validation (api/v1alpha1/validate-schedule.ts: cron, time zone, the template as
 * an experiment). True: valid. False: reason InvalidSpec, the message lists every error (no run is
 * created until the spec is fixed).
 */
export const SCHEDULE_VALID = 'SpecValid';
/**
 * A run is going. True: reason Running, the message names it. False: reason Idle, the message gives
 * the next tick (or Suspended).
 */
export const ACTIVE = 'Active';
/**
 * The newest finished run compared with the one before it, against spec.regression.
 * True: reason Regressed, the message lists the breaches. False: reason NoRegression.
 * Unknown: reason NotCompared (fewer than two finished runs with reports, or a report unreadable).
 */
export const REGRESSED = 'Regressed';

export const SCHEDULE_CONDITION_TYPES = [SCHEDULE_VALID, ACTIVE, REGRESSED] as const;
export type ScheduleConditionType = (typeof SCHEDULE_CONDITION_TYPES)[number];
