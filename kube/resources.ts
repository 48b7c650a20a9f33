/**
 * REST paths of the kinds the clients touch. A fixed table (not API discovery): every caller knows
 * each kind it reads or writes, and a table costs no API calls. A caller adds its own kinds (the
 * operator its CRD) through `restMapper(extra)`; an unknown kind is a programming error.
 */
import type { BuiltinKind } from './objects.ts';

/** A kind's plural (its URL segment) and whether it lives in a namespace. */
export interface Resource {
  plural: string;
  namespaced: boolean;
}

/** Resources by `apiVersion/kind`. */
export type ResourceTable = Readonly<Record<string, Resource>>;

/** The built-in kinds (their types: objects.ts). */
export const BUILTIN_RESOURCES: Readonly<Record<BuiltinKind, Resource>> = {
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/Pod': { plural: 'pods', namespaced: true },
  'v1/Event': { plural: 'events', namespaced: true },
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'v1/Node': { plural: 'nodes', namespaced: false },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'apps/v1/StatefulSet': { plural: 'statefulsets', namespaced: true },
  'batch/v1/Job': { plural: 'jobs', namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'coordination.k8s.io/v1/Lease': { plural: 'leases', namespaced: true },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': {
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
};

/** Paths of objects and collections. */
export interface RestMapper {
  /** The collection path of a kind, in one namespace or across all (namespace undefined). */
  collectionPath(apiVersion: string, kind: string, namespace?: string): string;
  /** The path of one object. */
  objectPath(apiVersion: string, kind: string, name: string, namespace?: string): string;
}

/** A mapper for the built-in kinds plus `extra`. */
export function restMapper(extra: ResourceTable = {}): RestMapper {
  const table: ResourceTable = { ...BUILTIN_RESOURCES, ...extra };
  const collectionPath = (apiVersion: string, kind: string, namespace?: string) => {
    const r = table[`${apiVersion}/${kind}`];
    if (!r)
      throw new Error(`kube: no REST mapping for ${apiVersion} ${kind}; add it to the client's resources`);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (!r.namespaced || namespace === undefined) return `${prefix}/${r.plural}`;
    return `${prefix}/namespaces/${encodeURIComponent(namespace)}/${r.plural}`;
  };
  return {
    collectionPath,
    objectPath: (apiVersion, kind, name, namespace) =>
      `${collectionPath(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`,
  };
}

/** The RBAC group and resource of a kind (what a Role's rule names), from the built-ins plus `extra`. */
export function rbacResourceOf(
  apiVersion: string,
  kind: string,
  extra: ResourceTable = {},
): { group: string; resource: string } {
  const r = ({ ...BUILTIN_RESOURCES, ...extra } as ResourceTable)[`${apiVersion}/${kind}`];
  if (!r) throw new Error(`kube: no REST mapping for ${apiVersion} ${kind}`);
  return { group: apiVersion.includes('/') ? apiVersion.split('/')[0]! : '', resource: r.plural };
}
