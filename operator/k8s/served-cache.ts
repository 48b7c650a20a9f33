/**
 * Whether the API server serves a kind, asked through API discovery (KubePort.served) and remembered for a
 * while, so experiments with network faults do not each ask at every pass, and Chaos Mesh installed (or
 * removed) later is noticed within `ttlMs`. A failed discovery is not remembered: the caller retries.
 */
import type { KubePort } from './port.ts';

/** How long an answer is kept: a minute, short next to a rehearsal, long next to its passes. */
export const SERVED_TTL_MS = 60_000;

export interface ServedCache {
  /** The cached answer, or the API server's when none is fresh. */
  served(kube: KubePort, apiVersion: string, kind: string): Promise<boolean>;
}

export function servedCache(clock: { now(): number }, ttlMs = SERVED_TTL_MS): ServedCache {
  const answers = new Map<string, { served: boolean; atMs: number }>();
  return {
    async served(kube, apiVersion, kind) {
      const key = `${apiVersion}/${kind}`;
      const hit = answers.get(key);
      const now = clock.now();
      if (hit && now - hit.atMs < ttlMs) return hit.served;
      const served = await kube.served(apiVersion, kind);
      answers.set(key, { served, atMs: now });
      return served;
    },
  };
}
