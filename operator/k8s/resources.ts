/**
 * REST paths of the kinds the operator touches. A fixed table (not API discovery): the operator knows
 * every kind it reads or writes, and a table costs no API calls. Unknown kinds are a programming error.
 */

import { CRD_PLURAL } from '../../api/v1alpha1/crd.ts';
import { API_GROUP, API_VERSION, KIND } from '../../api/v1alpha1/schema.ts';

interface Resource {
  plural: string;
  namespaced: boolean;
}

const RESOURCES: Record<string, Resource> = {
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/Pod': { plural: 'pods', namespaced: true },
  'v1/Event': { plural: 'events', namespaced: true },
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'apps/v1/StatefulSet': { plural: 'statefulsets', namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'coordination.k8s.io/v1/Lease': { plural: 'leases', namespaced: true },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': {
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
  [`${API_GROUP}/${API_VERSION}/${KIND}`]: { plural: CRD_PLURAL, namespaced: true },
};

/** The RBAC group and resource of a kind (what a Role's rule names). */
export function rbacResourceOf(apiVersion: string, kind: string): { group: string; resource: string } {
  const r = RESOURCES[`${apiVersion}/${kind}`];
  if (!r) throw new Error(`operator/k8s: no REST mapping for ${apiVersion} ${kind}`);
  return { group: apiVersion.includes('/') ? apiVersion.split('/')[0]! : '', resource: r.plural };
}

/** The collection path of a kind, in one namespace or across all (namespace undefined). */
export function collectionPath(apiVersion: string, kind: string, namespace?: string): string {
  const r = RESOURCES[`${apiVersion}/${kind}`];
  if (!r) throw new Error(`operator/k8s: no REST mapping for ${apiVersion} ${kind}`);
  const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  if (!r.namespaced || namespace === undefined) return `${prefix}/${r.plural}`;
  return `${prefix}/namespaces/${encodeURIComponent(namespace)}/${r.plural}`;
}

/** The path of one object. */
export function objectPath(apiVersion: string, kind: string, name: string, namespace?: string): string {
  return `${collectionPath(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`;
}
