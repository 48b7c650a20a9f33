/**
 * Leader election on a coordination.k8s.io/v1 Lease, so only one replica reconciles at a time. The
 * decision (acquire, renew, wait) is a pure function of the lease, our identity and the clock; the loop
 * around it does the API calls with the lease's resourceVersion as a precondition, so two candidates
 * cannot both win. Losing the lease ends the process (the Deployment restarts it as a follower).
 */
import type { Lease, LeaseSpec } from 'kubernetes-types/coordination/v1.js';
import type { Typed } from '../kube/objects.ts';
import type { KubePort } from './k8s/port.ts';
import type { Logger } from './log.ts';

export type { LeaseSpec } from 'kubernetes-types/coordination/v1.js';

export type LeaseDecision = 'acquire' | 'renew' | 'wait';

/** What to do with `lease` (undefined: none exists) at `nowMs`. */
export function leaseDecision(lease: LeaseSpec | undefined, identity: string, nowMs: number): LeaseDecision {
  if (!lease?.holderIdentity) return 'acquire';
  if (lease.holderIdentity === identity) return 'renew';
  const renewed = Date.parse(lease.renewTime ?? lease.acquireTime ?? '');
  const ttlMs = (lease.leaseDurationSeconds ?? 15) * 1000;
  return Number.isFinite(renewed) && nowMs < renewed + ttlMs ? 'wait' : 'acquire';
}

export interface LeaderOptions {
  kube: KubePort;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  renewEveryMs: number;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  log: Logger;
}

const micro = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

/** One attempt: true when we hold the lease afterwards. */
export async function tryAcquireOrRenew(o: LeaderOptions): Promise<boolean> {
  const key = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: o.namespace,
    name: o.name,
  } as const;
  const live = await o.kube.get(key);
  const spec = live?.spec;
  const now = o.now();
  const decision = leaseDecision(spec, o.identity, now);
  if (decision === 'wait') return false;
  const next: LeaseSpec = {
    holderIdentity: o.identity,
    leaseDurationSeconds: o.leaseDurationSeconds,
    acquireTime: decision === 'renew' && spec?.acquireTime ? spec.acquireTime : micro(now),
    renewTime: micro(now),
    leaseTransitions: (spec?.leaseTransitions ?? 0) + (decision === 'acquire' && live ? 1 : 0),
  };
  const obj: Typed<Lease> = {
    apiVersion: key.apiVersion,
    kind: key.kind,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      ...(live ? { resourceVersion: live.metadata.resourceVersion } : {}),
    },
    spec: next,
  };
  try {
    if (live) await o.kube.replace(obj);
    else await o.kube.create(obj);
    return true;
  } catch (err) {
    o.log.debug('lease attempt lost a race', { error: (err as Error).message });
    return false;
  }
}

/** Blocks until this replica leads (or `signal` aborts). */
export async function acquireLeadership(o: LeaderOptions, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    if (await tryAcquireOrRenew(o).catch(() => false)) {
      o.log.info('leader lease acquired', { lease: `${o.namespace}/${o.name}`, identity: o.identity });
      return;
    }
    await o.sleep(o.renewEveryMs, signal);
  }
}

/** Renews until `signal` aborts; resolves 'lost' when the lease could not be renewed within its duration. */
export async function holdLeadership(o: LeaderOptions, signal: AbortSignal): Promise<'lost' | 'stopped'> {
  let lastRenew = o.now();
  while (!signal.aborted) {
    await o.sleep(o.renewEveryMs, signal);
    if (signal.aborted) break;
    if (await tryAcquireOrRenew(o).catch(() => false)) lastRenew = o.now();
    else if (o.now() - lastRenew >= o.leaseDurationSeconds * 1000) return 'lost';
  }
  return 'stopped';
}
