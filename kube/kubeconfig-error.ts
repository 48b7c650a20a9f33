/**
 * The error of bad or unsupported credentials configuration, shared by the kubeconfig parser
 * (kubeconfig.ts, exec-config.ts), the file reader (credentials.ts) and the exec plugin runner
 * (exec-plugin.ts). Pure.
 */

/** Bad or unsupported kubeconfig content; the message names the file, the field and what is allowed. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

/** The type of a bad value for a message; never the value itself (it may be a secret). */
export function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`;
}

/** A map (a YAML/JSON object that is not a list). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
