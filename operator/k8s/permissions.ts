/**
 * The RBAC permission each KubePort call needs, kept beside the port so a new method cannot go
 * unmapped (the table is keyed by every method of KubePort). operator/rbac.test.ts records the calls a
 * whole reconcile makes and checks the chart's ClusterRole grants exactly what they need.
 */

import { rbacResourceOf as kubeRbacResourceOf } from '../../kube/resources.ts';
import type { KubeObject } from '../render/types.ts';
import { OPERATOR_RESOURCES } from './client.ts';
import type { KubePort } from './port.ts';

const rbacResourceOf = (apiVersion: string, kind: string) =>
  kubeRbacResourceOf(apiVersion, kind, OPERATOR_RESOURCES);

/** One call the operator made through the port, as a recorder saw it. */
export interface PortCall {
  method: keyof KubePort;
  apiVersion: string;
  kind: string;
  /** For `proxy`: the HTTP method sent through the apiserver proxy. */
  httpMethod?: 'GET' | 'POST';
  /** For writes: the object written (Roles and owner references imply more permissions). */
  obj?: KubeObject;
}

/** One RBAC grant: verb on group/resource (resource may carry a subresource, `pods/proxy`). */
export interface Permission {
  group: string;
  resource: string;
  verb: string;
}

type VerbsOf = (call: PortCall) => { verbs: readonly string[]; subresource?: string };

/**
 * The verbs of each port method. Server-side apply is authorized as `patch`, and as `create` too when
 * the object does not exist yet; a proxied GET is `get` and a proxied POST `create` on `<kind>/proxy`.
 */
export const PORT_VERBS: Record<keyof KubePort, VerbsOf> = {
  get: () => ({ verbs: ['get'] }),
  list: () => ({ verbs: ['list'] }),
  watch: () => ({ verbs: ['watch'] }),
  apply: () => ({ verbs: ['patch', 'create'] }),
  applyStatus: () => ({ verbs: ['patch'], subresource: 'status' }),
  mergePatch: () => ({ verbs: ['patch'] }),
  create: () => ({ verbs: ['create'] }),
  replace: () => ({ verbs: ['update'] }),
  delete: () => ({ verbs: ['delete'] }),
  createEvent: () => ({ verbs: ['create'] }),
  // API discovery: a non-resource URL every authenticated client may read (system:discovery).
  served: () => ({ verbs: [] }),
  proxy: (c) => ({ verbs: [c.httpMethod === 'POST' ? 'create' : 'get'], subresource: 'proxy' }),
  // The kubelet's webhook authorization maps GET /metrics/* to get on nodes/metrics.
  kubeletMetrics: () => ({ verbs: ['get'], subresource: 'metrics' }),
};

/**
 * What writing `obj` implies beyond the write itself: a Role's rules (RBAC refuses to grant what the
 * writer lacks) and `update` on the owner's finalizers for a blockOwnerDeletion owner reference.
 */
export function impliedPermissions(obj: KubeObject): Permission[] {
  const out: Permission[] = [];
  if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
    const rules = (obj as { rules?: RbacRule[] }).rules ?? [];
    out.push(...rulePermissions(rules));
  }
  for (const ref of obj.metadata.ownerReferences ?? []) {
    if (!ref.blockOwnerDeletion) continue;
    const { group, resource } = rbacResourceOf(ref.apiVersion, ref.kind);
    out.push({ group, resource: `${resource}/finalizers`, verb: 'update' });
  }
  return out;
}

/** The permissions a list of recorded calls needs, de-duplicated. */
export function requiredPermissions(calls: readonly PortCall[]): Permission[] {
  const out: Permission[] = [];
  for (const c of calls) {
    const { verbs, subresource } = PORT_VERBS[c.method](c);
    if (verbs.length === 0) continue;
    const { group, resource } = rbacResourceOf(c.apiVersion, c.kind);
    const res = subresource ? `${resource}/${subresource}` : resource;
    for (const verb of verbs) out.push({ group, resource: res, verb });
    if (c.obj) out.push(...impliedPermissions(c.obj));
  }
  return dedupe(out);
}

/** A Role or ClusterRole rule, as written in RBAC objects. */
export interface RbacRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

/** Flattens rules into one Permission per (group, resource, verb). */
export function rulePermissions(rules: readonly RbacRule[]): Permission[] {
  const out: Permission[] = [];
  for (const r of rules)
    for (const group of r.apiGroups ?? [''])
      for (const resource of r.resources ?? [])
        for (const verb of r.verbs) out.push({ group, resource, verb });
  return dedupe(out);
}

/** `group/resource:verb`, the sortable text form tests compare. */
export function permissionText(p: Permission): string {
  return `${p.group || 'core'}/${p.resource}:${p.verb}`;
}

function dedupe(ps: Permission[]): Permission[] {
  const seen = new Map<string, Permission>();
  for (const p of ps) seen.set(permissionText(p), p);
  return [...seen.values()].sort((a, b) => permissionText(a).localeCompare(permissionText(b)));
}
