/**
 * The `users[].user.exec` stanza of a kubeconfig, parsed and checked, pure: which credential plugin
 * to run and how, as kubectl reads it (client.authentication.k8s.io/v1 and v1beta1). kubeconfig.ts calls
 * it while resolving the current user; exec-plugin.ts runs what it returns.
 */
import { dirname, resolve } from 'node:path';
import { isMap, KubeconfigError, typeName } from './kubeconfig-error.ts';

/** The ExecCredential API versions a plugin may speak (v1alpha1 was removed in Kubernetes 1.24). */
export const EXEC_API_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
] as const;
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];

/** Whether the plugin may talk to the user on the terminal (kubectl's `interactiveMode`). */
export const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'] as const;
export type InteractiveMode = (typeof INTERACTIVE_MODES)[number];

/** The name of the cluster extension whose `extension` is passed to a plugin as `spec.cluster.config`. */
export const EXEC_CLUSTER_EXTENSION = 'client.authentication.k8s.io/exec';

/** A credential plugin to run. */
export interface ExecConfig {
  /** `FILE: users[N].user.exec`, for messages. */
  field: string;
  apiVersion: ExecApiVersion;
  /** A name looked up on PATH, or a path (relative paths with a `/` resolve against the kubeconfig). */
  command: string;
  args: string[];
  /** Added to the environment the plugin inherits. */
  env: Array<{ name: string; value: string }>;
  /** Printed when the command cannot be found. */
  installHint?: string;
  /** Pass the cluster's server, CA and extension config to the plugin (`spec.cluster`). */
  provideClusterInfo: boolean;
  interactiveMode: InteractiveMode;
}

const FIELDS = [
  'apiVersion',
  'command',
  'args',
  'env',
  'installHint',
  'provideClusterInfo',
  'interactiveMode',
] as const;

/**
 * Parses the value of `exec` found at `field` (`FILE: users[N].user.exec`) in the kubeconfig `file`.
 * Throws KubeconfigError naming the field, the bad value's type and what is allowed.
 */
export function parseExecConfig(value: unknown, field: string, file: string): ExecConfig {
  if (!isMap(value)) throw new KubeconfigError(`${field}: expected a map, got ${typeName(value)}`);
  for (const key of Object.keys(value)) {
    if (!(FIELDS as readonly string[]).includes(key))
      throw new KubeconfigError(`${field}.${key}: unknown field; allowed: ${FIELDS.join(', ')}`);
  }
  const apiVersion = value.apiVersion;
  if (typeof apiVersion !== 'string' || !(EXEC_API_VERSIONS as readonly string[]).includes(apiVersion))
    throw new KubeconfigError(
      `${field}.apiVersion: ${apiVersion === undefined ? 'not set' : `${JSON.stringify(apiVersion)} is not supported`}; ` +
        `expected one of ${EXEC_API_VERSIONS.join(', ')} (the plugin's documentation says which it speaks)`,
    );
  const command = value.command;
  if (typeof command !== 'string' || command === '')
    throw new KubeconfigError(
      `${field}.command: expected the plugin's program name or path, got ${command === undefined ? 'nothing' : typeName(command)}`,
    );
  const args = value.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string'))
    throw new KubeconfigError(`${field}.args: expected a list of strings, got ${typeName(args)}`);
  const env = (value.env ?? []) as unknown;
  if (!Array.isArray(env)) throw new KubeconfigError(`${field}.env: expected a list, got ${typeName(env)}`);
  const pairs = env.map((e: unknown, i) => {
    if (!isMap(e) || typeof e.name !== 'string' || e.name === '' || typeof e.value !== 'string')
      throw new KubeconfigError(`${field}.env[${i}]: expected {name: STRING, value: STRING}`);
    return { name: e.name, value: e.value };
  });
  const installHint = value.installHint;
  if (installHint !== undefined && installHint !== null && typeof installHint !== 'string')
    throw new KubeconfigError(`${field}.installHint: expected a string, got ${typeName(installHint)}`);
  const provide = value.provideClusterInfo ?? false;
  if (typeof provide !== 'boolean')
    throw new KubeconfigError(
      `${field}.provideClusterInfo: expected true or false, got ${typeName(provide)}`,
    );
  const mode = value.interactiveMode;
  let interactiveMode: InteractiveMode;
  if (mode === undefined || mode === null || mode === '') {
    // client-go: v1 requires the field; v1beta1 defaults to IfAvailable.
    if (apiVersion === 'client.authentication.k8s.io/v1')
      throw new KubeconfigError(
        `${field}.interactiveMode: required with ${apiVersion}; set one of ${INTERACTIVE_MODES.join(', ')} (Never for a plugin that never prompts)`,
      );
    interactiveMode = 'IfAvailable';
  } else if (typeof mode === 'string' && (INTERACTIVE_MODES as readonly string[]).includes(mode)) {
    interactiveMode = mode as InteractiveMode;
  } else {
    throw new KubeconfigError(
      `${field}.interactiveMode: ${typeof mode === 'string' ? JSON.stringify(mode) : typeName(mode)} is not allowed; expected one of ${INTERACTIVE_MODES.join(', ')}`,
    );
  }
  return {
    field,
    apiVersion: apiVersion as ExecApiVersion,
    // As kubectl: a bare name is looked up on PATH; a path with a separator is relative to the kubeconfig.
    command: command.includes('/') ? resolve(dirname(file), command) : command,
    args: args as string[],
    env: pairs,
    ...(typeof installHint === 'string' && installHint !== '' ? { installHint } : {}),
    provideClusterInfo: provide,
    interactiveMode,
  };
}
