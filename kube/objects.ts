/**
 * Kubernetes object types for every caller of the API client (the operator's port, the dev cluster, the
 * CLI): the shapes come from `kubernetes-types`, imported as types only, so they erase at run time and
 * the pure folders may use them. Kinds the client knows by name (resources.ts) map to their type here,
 * so `get`/`list` of a `v1` `Pod` return a typed Pod; any other kind is a plain KubeObject.
 */
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { Deployment, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type {
  ConfigMap,
  Event,
  Namespace,
  Node,
  Pod,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';

/** Object metadata with the name every stored object has. */
export type NamedMeta = ObjectMeta & { name: string };

/** Any Kubernetes object: apiVersion, kind, named metadata and whatever the kind carries. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: NamedMeta;
  [field: string]: unknown;
}

/** A kubernetes-types kind as the API server returns it: apiVersion, kind and a name always set. */
export type Typed<T extends { metadata?: ObjectMeta }> = Omit<T, 'apiVersion' | 'kind' | 'metadata'> & {
  apiVersion: string;
  kind: string;
  metadata: NamedMeta;
};

/** The built-in kinds by `apiVersion/kind` (the keys of resources.ts' REST table). */
export interface BuiltinKinds {
  'v1/ConfigMap': ConfigMap;
  'v1/Service': Service;
  'v1/ServiceAccount': ServiceAccount;
  'v1/Pod': Pod;
  'v1/Event': Event;
  'v1/Namespace': Namespace;
  'v1/Node': Node;
  'apps/v1/Deployment': Deployment;
  'apps/v1/StatefulSet': StatefulSet;
  'batch/v1/Job': Job;
  'rbac.authorization.k8s.io/v1/Role': Role;
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding;
  'coordination.k8s.io/v1/Lease': Lease;
  'apiextensions.k8s.io/v1/CustomResourceDefinition': CustomResourceDefinition;
}

/** `apiVersion/kind` of a built-in kind. */
export type BuiltinKind = keyof BuiltinKinds;

/** The type of an object of `apiVersion` `A`, kind `K`: typed for a built-in kind, else KubeObject. */
export type ObjectOf<A extends string, K extends string> = `${A}/${K}` extends BuiltinKind
  ? Typed<BuiltinKinds[`${A}/${K}`]>
  : KubeObject;

/** A List answer: its items (apiVersion and kind put back) and the resourceVersion to watch from. */
export interface ObjectList<T> {
  items: T[];
  resourceVersion: string;
}
