/**
 * Renders the PushPullExperiment CustomResourceDefinition from the one schema (api/v1alpha1/schema.ts), the
 * status schema (api/v1alpha1/status.ts) and the cross-field rules (api/v1alpha1/rules.ts, as CEL
 * `x-kubernetes-validations`). Pure: no clock, no I/O, stable key order, so the output is golden-tested
 * (api/v1alpha1/testdata/crd.golden.yaml) and the chart and manifests can be generated from it.
 *
 * TypeBox emits JSON Schema; a CRD needs a *structural* OpenAPI v3 schema, so this converts:
 * literal unions become `enum`s, `exclusiveMinimum: n` becomes `minimum: n, exclusiveMinimum: true`,
 * `additionalProperties: false` is dropped (kubectl's strict field validation rejects unknown fields),
 * and fields with a default are not `required` (the apiserver defaults before it validates).
 */
import type { TSchema } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { literalValues } from '../../json-schema/describe.ts';
import { RULES } from './rules.ts';
import { API_GROUP, API_VERSION, ExperimentDocumentSchema, ExperimentSpecSchema, KIND } from './schema.ts';
import { ExperimentStatusSchema } from './status.ts';
import { ruleAttachPath } from './validate.ts';

export const CRD_PLURAL = 'pushpullexperiments';
export const CRD_SINGULAR = 'pushpullexperiment';
export const CRD_NAME = `${CRD_PLURAL}.${API_GROUP}`;

/** Kubernetes' own wording for the two type fields, as `kubectl explain` shows it for built-in kinds. */
const API_VERSION_DESCRIPTION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.';
const KIND_DESCRIPTION =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.';

type Json = Record<string, unknown>;

/** What differs between pushpull's CRDs; everything else is the same for each. */
export interface CrdDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortName: string;
  /** The whole object's TypeBox schema (its description and metadata.name are used). */
  document: TSchema;
  spec: TSchema;
  status: TSchema;
  /** Where an ExperimentSpec sits, for the experiment's rules (`spec`, `spec.template.spec`). */
  specRoot: string;
  printerColumns: Json[];
}

/** A CustomResourceDefinition object (apiextensions.k8s.io/v1) of group pushpull.dev. */
export function customResourceDefinition(d: CrdDefinition): Json {
  const attached = new Set<string>();
  const nameSchema = (d.document.properties as Record<string, TSchema>).metadata!.properties.name as TSchema;
  const openAPIV3Schema: Json = {
    description: d.document.description,
    type: 'object',
    properties: {
      apiVersion: { description: API_VERSION_DESCRIPTION, type: 'string' },
      kind: { description: KIND_DESCRIPTION, type: 'string' },
      // The apiserver owns metadata's schema: a CRD may only restrict name and generateName, and may
      // not even describe metadata itself.
      metadata: {
        type: 'object',
        properties: { name: toStructural(nameSchema, 'metadata.name', attached, d.specRoot) },
      },
      spec: toStructural(d.spec, 'spec', attached, d.specRoot),
      status: toStructural(d.status, 'status', attached, d.specRoot),
    },
    required: ['spec'],
  };
  const orphans = RULES.filter((rule) => !attached.has(rule.id));
  if (orphans.length > 0) {
    throw new Error(
      `api/v1alpha1/crd.ts: rules attached to no schema node of ${d.kind}: ${orphans.map((r) => `${r.id} (${r.attach})`).join(', ')}`,
    );
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${d.plural}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      names: {
        kind: d.kind,
        listKind: `${d.kind}List`,
        plural: d.plural,
        singular: d.singular,
        shortNames: [d.shortName],
        categories: ['pushpull'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: d.printerColumns,
          schema: { openAPIV3Schema },
        },
      ],
    },
  };
}

/** The PushPullExperiment CustomResourceDefinition. */
export function renderCrd(): Json {
  return customResourceDefinition({
    kind: KIND,
    plural: CRD_PLURAL,
    singular: CRD_SINGULAR,
    shortName: 'ppx',
    document: ExperimentDocumentSchema,
    spec: ExperimentSpecSchema,
    status: ExperimentStatusSchema,
    specRoot: 'spec',
    printerColumns: [
      {
        name: 'Phase',
        type: 'string',
        jsonPath: '.status.phase',
        description: 'Where the experiment is: Pending, Running, Collecting, Succeeded, Failed.',
      },
      {
        name: 'Arms',
        type: 'string',
        jsonPath: '.status.arms',
        description: 'Per-arm summary written by the operator.',
      },
      {
        name: 'Passed',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Passed")].status',
        description: 'True when every spec.expect threshold passed (Unknown: none set).',
      },
      {
        name: 'Verdict',
        type: 'string',
        jsonPath: '.status.verdict',
        priority: 0,
        description: 'Which arm lost or delayed data first.',
      },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });
}

/** A CRD as YAML under a header saying where it comes from. */
export function crdYaml(crd: Json, header: string): string {
  return header + stringify(crd, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The CRD as YAML, with a header saying where it comes from. */
export function renderCrdYaml(): string {
  const header =
    '# Generated by api/v1alpha1/crd.ts from api/v1alpha1/schema.ts, api/v1alpha1/status.ts and api/v1alpha1/rules.ts: do not edit.\n' +
    '# Regenerate the golden copy with: UPDATE_GOLDEN=1 npx node --test spec/crd.test.ts\n';
  return crdYaml(renderCrd(), header);
}

/** Keys copied from a TypeBox node to the structural schema, in output order. */
const VALUE_KEYS = [
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
] as const;

/**
 * Converts one TypeBox node (and its children) at `path` into a structural schema node, attaching the
 * experiment's cross-field rules below `specRoot` (where an ExperimentSpec sits: `spec`, or
 * `spec.template.spec` in a schedule) and recording their ids in `attached`.
 */
function toStructural(schema: TSchema, path: string, attached: Set<string>, specRoot = 'spec'): Json {
  if (typeof schema.description !== 'string' || schema.description === '') {
    throw new Error(`api/v1alpha1/crd.ts: schema node ${path} has no description (kubectl explain shows it)`);
  }
  const out: Json = { description: schema.description };
  const literals = literalValues(schema);
  if (literals) {
    out.type = 'string';
    out.enum = literals;
    if (Object.hasOwn(schema, 'default')) out.default = schema.default;
    return out;
  }
  out.type = schema.type;
  if (typeof schema.format === 'string') out.format = schema.format;
  if (Object.hasOwn(schema, 'default')) out.default = schema.default;
  for (const key of VALUE_KEYS) {
    const value = schema[key];
    if (value === undefined) continue;
    // OpenAPI v3.0 (and so Kubernetes) spells exclusive bounds as a boolean beside minimum/maximum.
    if (key === 'exclusiveMinimum') {
      out.minimum = value;
      out.exclusiveMinimum = true;
    } else if (key === 'exclusiveMaximum') {
      out.maximum = value;
      out.exclusiveMaximum = true;
    } else {
      out[key] = value;
    }
  }
  if (schema.type === 'array') {
    out.items = toStructural(schema.items as TSchema, `${path}[*]`, attached, specRoot);
  }
  if (schema.type === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, TSchema>;
    const keys = Object.keys(properties);
    if (keys.length > 0) {
      out.properties = Object.fromEntries(
        keys.map((key) => [key, toStructural(properties[key]!, `${path}.${key}`, attached, specRoot)]),
      );
    }
    const required = ((schema.required ?? []) as string[]).filter(
      (key) => !Object.hasOwn(properties[key] ?? {}, 'default'),
    );
    if (required.length > 0) out.required = required;
  }
  for (const key of Object.keys(schema).sort()) {
    if (key.startsWith('x-kubernetes-')) out[key] = schema[key];
  }
  const rulePath = ruleAttachPath(path, specRoot);
  const rules = RULES.filter((rule) => rule.attach === rulePath);
  if (rules.length > 0) {
    out['x-kubernetes-validations'] = rules.map((rule) => {
      attached.add(rule.id);
      return {
        rule: rule.cel,
        message: rule.message,
        ...(rule.fieldPath ? { fieldPath: rule.fieldPath } : {}),
      };
    });
  }
  return out;
}
