/**
 * What the rig's own child processes (`pushpull producer`, `pushpull job`) share on their command line:
 * one JSON event per stdout line, and the spec loaded with an invalid one reported as such an event.
 */
import { loadSpecFile } from '../../api/v1alpha1/load.ts';
import type { ExperimentSpec } from '../../api/v1alpha1/schema.ts';
import { formatSpecError } from '../../api/v1alpha1/validate.ts';

/** Writes one event as a JSON line on stdout (the rig reads these). */
export function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/**
 * The validated spec of `--spec path`, or null after emitting one error event listing its errors (the
 * caller exits 2). An unreadable file throws SpecFileUnreadableError.
 */
export async function specOrEmitErrors(path: string): Promise<ExperimentSpec | null> {
  const loaded = await loadSpecFile(path);
  if (loaded.ok) return loaded.document.spec;
  emit({
    event: 'error',
    message: `--spec ${path}: the spec is invalid (${loaded.errors.length} error(s))`,
    errors: loaded.errors.map(formatSpecError),
  });
  return null;
}
