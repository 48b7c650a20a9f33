/**
 * Content hashes of rendered objects. The reconciler stamps each applied object with the hash of what it
 * rendered and skips the apply when the live object carries the same hash, so a no-op reconcile makes no
 * API write. Pod templates carry the hash of their configuration so a config change rolls the pods.
 */
import { createHash } from 'node:crypto';

/** The annotation holding the hash of the rendered object (the annotation itself excluded). */
export const HASH_ANNOTATION = 'pushpull.dev/render-hash';
/** The pod-template annotation holding the hash of the configuration the pods read. */
export const CONFIG_HASH_ANNOTATION = 'pushpull.dev/config-hash';

/** JSON with object keys sorted at every level: equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A short, stable sha256 of any JSON value. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}
