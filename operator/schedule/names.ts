/**
 * Names, labels and annotations that tie a schedule to its runs: experiment names derived from the
 * tick (so creating one is idempotent across operator restarts), the schedule label on every run and
 * on the reports it keeps, and the tick annotation history is ordered by. Pure.
 */

import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { SCHEDULE_KIND } from '../../api/v1alpha1/schedule-schema.ts';
import { API_GROUP, API_VERSION } from '../../api/v1alpha1/schema.ts';

/** Every run of a schedule, and every report it keeps, carries this label (value: the schedule name). */
export const SCHEDULE_LABEL = `${API_GROUP}/schedule`;
/** The cron tick (RFC 3339, UTC) a run was created for. */
export const SCHEDULED_AT_ANNOTATION = `${API_GROUP}/scheduled-at`;

/** `<schedule>-<yyyymmdd>-<hhmm>` in UTC: at most 39 + 14 = 53 characters, the experiment's limit. */
export function runName(schedule: string, tickMs: number): string {
  const iso = new Date(tickMs).toISOString();
  return `${schedule}-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}`;
}

/** The owner reference a run (and a kept report) carries to its schedule. */
export function scheduleOwnerReference(schedule: { name: string; uid: string }): OwnerReference {
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: SCHEDULE_KIND,
    name: schedule.name,
    uid: schedule.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
