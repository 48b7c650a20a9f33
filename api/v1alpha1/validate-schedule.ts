/**
 * Validates a PushPullSchedule: the schema walk and defaults of api/v1alpha1/validate.ts (so the
 * template's spec gets the experiment's own checks and cross-field rules, with paths under
 * `spec.template.spec`), then what neither the schema nor CEL can say: a cron expression whose ranges
 * run backwards or that never fires. The operator's schedule controller calls it on every object (the
 * apiserver has already applied the rest), and tests call it on files.
 */
import { CronError, parseCron } from '../../schedule/cron.ts';
import { nextTick } from '../../schedule/cron-zone.ts';
import { SCHEDULE_KIND, type ScheduleDocument, ScheduleDocumentSchema } from './schedule-schema.ts';
import type { ExperimentDocument } from './schema.ts';
import { type SpecError, specError, type ValidateResult, validateAt, validateDocument } from './validate.ts';

/** An instant to look for a first tick from; any fixed one works, the horizon covers leap days. */
const PROBE_MS = Date.UTC(2026, 0, 1);

/** Validates a whole PushPullSchedule object and returns it with every default applied. */
export function validateScheduleDocument(value: unknown): ValidateResult<ScheduleDocument> {
  const result = validateAt(ScheduleDocumentSchema, value, [], '', 'spec.template.spec');
  const errors: SpecError[] = [...result.errors];
  const doc = result.value as ScheduleDocument;
  const has = (path: string) => errors.some((e) => e.path === path);
  if (!has('spec.schedule') && typeof doc?.spec?.schedule === 'string') {
    errors.push(...cronErrors(doc, has('spec.timeZone') ? undefined : doc.spec.timeZone));
  }
  return errors.length === 0 ? { ok: true, document: doc } : { ok: false, errors };
}

/** Parse errors; with a valid `zone`, also an expression that never fires there. */
function cronErrors(doc: ScheduleDocument, zone: string | undefined): SpecError[] {
  const at = ['spec', 'schedule'];
  try {
    const cron = parseCron(doc.spec.schedule);
    if (zone !== undefined && nextTick(cron, zone, PROBE_MS) === null) {
      return [
        specError(
          at,
          doc.spec.schedule,
          `${JSON.stringify(doc.spec.schedule)} never fires (no such date); allowed: an expression that matches a real day`,
        ),
      ];
    }
    return [];
  } catch (err) {
    if (err instanceof CronError) return [specError(at, doc.spec.schedule, err.message)];
    throw err;
  }
}

/** Either resource, by its kind (`pushpull validate` accepts both): a schedule, else an experiment. */
export function validateAnyDocument(value: unknown): ValidateResult<ExperimentDocument | ScheduleDocument> {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === SCHEDULE_KIND ? validateScheduleDocument(value) : validateDocument(value);
}
