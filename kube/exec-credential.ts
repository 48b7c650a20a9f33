/**
 * The ExecCredential exchange with a credential plugin, pure: what the plugin gets in
 * KUBERNETES_EXEC_INFO, what its stdout must hold, and when a returned credential is stale. Time is an
 * input (`nowMs`), so every expiry decision is unit-tested without sleeping. exec-plugin.ts does the I/O.
 */
import type { ExecConfig, InteractiveMode } from './exec-config.ts';
import { isMap, KubeconfigError, typeName } from './kubeconfig-error.ts';

/** What a plugin may learn about the cluster (`spec.cluster`, when `provideClusterInfo` is true). */
export interface ExecClusterInfo {
  server: string;
  tlsServerName?: string;
  insecureSkipTlsVerify: boolean;
  /** The CA the client verifies the server with (PEM bytes). */
  certificateAuthorityData?: Buffer;
  /** The `extension` of the cluster's `client.authentication.k8s.io/exec` extension. */
  config?: unknown;
}

/** A credential the plugin returned. */
export interface ExecResult {
  token?: string;
  clientCert?: Buffer;
  clientKey?: Buffer;
  /** Epoch milliseconds of `status.expirationTimestamp`; absent: valid until the server says 401. */
  expiresAtMs?: number;
}

/**
 * Whether the plugin runs interactively: its stdin is the terminal and `spec.interactive` is true.
 * `Always` without a terminal is an error, as in kubectl.
 */
export function interactiveFor(
  c: Pick<ExecConfig, 'field' | 'interactiveMode'>,
  stdinIsTTY: boolean,
): boolean {
  const mode: InteractiveMode = c.interactiveMode;
  if (mode === 'Always' && !stdinIsTTY)
    throw new KubeconfigError(
      `${c.field}.interactiveMode: Always, but stdin is not a terminal; run from a terminal, or use a plugin (or its flags) that needs no prompt and set interactiveMode: Never`,
    );
  return mode !== 'Never' && stdinIsTTY;
}

/** The JSON the plugin reads from KUBERNETES_EXEC_INFO. */
export function execInfo(c: ExecConfig, o: { interactive: boolean; cluster?: ExecClusterInfo }): string {
  const spec: Record<string, unknown> = { interactive: o.interactive };
  if (c.provideClusterInfo && o.cluster) {
    const k = o.cluster;
    spec.cluster = {
      server: k.server,
      ...(k.tlsServerName ? { 'tls-server-name': k.tlsServerName } : {}),
      ...(k.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(k.certificateAuthorityData
        ? { 'certificate-authority-data': k.certificateAuthorityData.toString('base64') }
        : {}),
      ...(k.config !== undefined ? { config: k.config } : {}),
    };
  }
  return JSON.stringify({ apiVersion: c.apiVersion, kind: 'ExecCredential', spec });
}

/** Parses the plugin's stdout; throws KubeconfigError naming the plugin and what was wrong. */
export function parseExecOutput(c: ExecConfig, stdout: string): ExecResult {
  const who = `${c.field}: the plugin ${JSON.stringify(c.command)}`;
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new KubeconfigError(
      `${who} printed no ExecCredential JSON on stdout (got ${stdout.length === 0 ? 'nothing' : `${stdout.length} bytes of other text`}); run it by hand to see what it says`,
    );
  }
  if (!isMap(doc))
    throw new KubeconfigError(`${who} printed ${typeName(doc)}; expected an ExecCredential object`);
  if (doc.kind !== 'ExecCredential')
    throw new KubeconfigError(`${who} printed kind ${JSON.stringify(doc.kind)}; expected ExecCredential`);
  if (doc.apiVersion !== c.apiVersion)
    throw new KubeconfigError(
      `${who} answered with apiVersion ${JSON.stringify(doc.apiVersion)}, but ${c.field}.apiVersion is ${c.apiVersion}; set exec.apiVersion to the version the plugin speaks`,
    );
  const status = doc.status;
  if (!isMap(status))
    throw new KubeconfigError(`${who} returned no status (expected a token or a client certificate)`);
  const str = (key: string): string | undefined => {
    const v = status[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string')
      throw new KubeconfigError(`${who} returned status.${key} as ${typeName(v)}; expected a string`);
    return v;
  };
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  if ((cert === undefined) !== (key === undefined))
    throw new KubeconfigError(
      `${who} returned status.${cert === undefined ? 'clientKeyData' : 'clientCertificateData'} without status.${cert === undefined ? 'clientCertificateData' : 'clientKeyData'}; a client certificate needs both`,
    );
  if (token === undefined && cert === undefined)
    throw new KubeconfigError(
      `${who} returned neither status.token nor status.clientCertificateData/clientKeyData`,
    );
  const exp = str('expirationTimestamp');
  let expiresAtMs: number | undefined;
  if (exp !== undefined) {
    expiresAtMs = Date.parse(exp);
    if (!Number.isFinite(expiresAtMs))
      throw new KubeconfigError(
        `${who} returned status.expirationTimestamp ${JSON.stringify(exp)}; expected an RFC 3339 time such as 2026-01-02T15:04:05Z`,
      );
  }
  return {
    ...(token !== undefined ? { token } : {}),
    // PEM text, as kubectl passes it to TLS.
    ...(cert !== undefined && key !== undefined
      ? { clientCert: Buffer.from(cert, 'utf8'), clientKey: Buffer.from(key, 'utf8') }
      : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
  };
}

/** True when `r` may no longer be used at `nowMs` (kubectl: from its expirationTimestamp on). */
export function isExpired(r: ExecResult, nowMs: number): boolean {
  return r.expiresAtMs !== undefined && nowMs >= r.expiresAtMs;
}
