/**
 * The experiment `pushpull run` runs when no file is given: examples/quick.yaml, which fits a 2-core
 * machine in about a minute. Exported as a path so it is loaded (and validated) like any other file.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of examples/quick.yaml in this checkout. */
export const EMBEDDED_DEFAULT_SPEC_PATH: string = fileURLToPath(
  new URL('../../examples/quick.yaml', import.meta.url),
);
