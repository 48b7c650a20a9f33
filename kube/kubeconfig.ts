/**
 * Kubeconfig resolution, pure: from the text of one or more kubeconfig files (or the in-cluster
 * environment) to the one API server and identity a client talks to. No file is read here:
 * kube/credentials.ts finds and reads the files and calls this, so every rule is unit-tested on
 * fixtures (kube/testdata/).
 *
 * Supported, as kubectl reads them: several files merged the way $KUBECONFIG merges them (the first
 * file to define a name or current-context wins; relative paths resolve against the file that holds
 * them); current-context → context (cluster, user, namespace) → cluster (server,
 * certificate-authority[-data], insecure-skip-tls-verify, tls-server-name) and user
 * (client-certificate[-data], client-key[-data], token, tokenFile, exec credential plugins: exec-config.ts).
 * Anything else that changes how to connect or authenticate (auth-provider plugins, basic auth,
 * impersonation, proxy-url) is an error naming the field, never silently ignored.
 */
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { EXEC_CLUSTER_EXTENSION, type ExecConfig, parseExecConfig } from './exec-config.ts';
import { isMap, KubeconfigError, typeName } from './kubeconfig-error.ts';

/** TLS material: inline bytes (a `*-data` field) or a file to read, with the field it came from. */
export type Material = { field: string; data: Buffer } | { field: string; file: string };

/** The API server and identity a client uses. */
export interface KubeTarget {
  /** For messages: `kubeconfig FILE, context NAME` or `in-cluster service account`. */
  origin: string;
  /** `https://host:port` (or `http://`), without a trailing slash. */
  server: string;
  /** The context's namespace (the pod's own namespace in a cluster). */
  namespace: string | undefined;
  ca?: Material;
  clientCert?: Material;
  clientKey?: Material;
  insecureSkipTlsVerify: boolean;
  /** The name to verify the server certificate against, when it differs from the server's host. */
  tlsServerName?: string;
  token?: string;
  /** Read before every request (service-account tokens rotate); wins over `token`, as in client-go. */
  tokenFile?: string;
  /** The kubeconfig field `tokenFile` came from, for messages. */
  tokenFileField?: string;
  /** A credential plugin that supplies the token or client certificate. */
  exec?: ExecConfig;
  /** The cluster's `client.authentication.k8s.io/exec` extension, for a plugin with provideClusterInfo. */
  execClusterConfig?: unknown;
}

/** A kubeconfig file's path (for relative paths and messages) and its text. */
export interface KubeconfigFile {
  path: string;
  text: string;
}

const SUPPORTED_USER =
  'supported: client-certificate[-data] with client-key[-data], token, tokenFile, exec ' +
  '(a credential plugin, e.g. `aws eks get-token`, gke-gcloud-auth-plugin, kubelogin)';

/** User fields that would change authentication and that this client does not implement. */
const UNSUPPORTED_USER: Record<string, string> = {
  'auth-provider': 'auth-provider plugins are not supported',
  username: 'basic authentication (username/password) is not supported',
  password: 'basic authentication (username/password) is not supported',
  as: 'impersonation is not supported',
  'as-uid': 'impersonation is not supported',
  'as-groups': 'impersonation is not supported',
  'as-user-extra': 'impersonation is not supported',
};

const UNSUPPORTED_CLUSTER: Record<string, string> = {
  'proxy-url': 'proxy-url is not supported (the operator connects to the server directly)',
};

/** One named entry of `clusters`, `users` or `contexts`, remembering where it was defined. */
interface Entry {
  file: string;
  /** e.g. `users[1]`. */
  at: string;
  body: Record<string, unknown>;
}

type Section = 'clusters' | 'users' | 'contexts';
const BODY_KEY: Record<Section, string> = { clusters: 'cluster', users: 'user', contexts: 'context' };

/**
 * Resolves the current context of `files` (in $KUBECONFIG order) to a target.
 * Throws KubeconfigError naming the file and field for anything bad or unsupported.
 */
export function resolveKubeconfig(files: readonly KubeconfigFile[]): KubeTarget {
  const names: Record<Section, Map<string, Entry>> = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  let current: { name: string; file: string } | undefined;
  for (const f of files) {
    let doc: unknown;
    try {
      doc = parse(f.text);
    } catch (err) {
      throw new KubeconfigError(`${f.path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    if (doc === null || doc === undefined) continue; // kubectl accepts an empty file
    if (!isMap(doc)) throw new KubeconfigError(`${f.path}: expected a kubeconfig map, got ${typeName(doc)}`);
    for (const section of ['clusters', 'users', 'contexts'] as const) {
      const list = doc[section];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list))
        throw new KubeconfigError(`${f.path}: ${section}: expected a list, got ${typeName(list)}`);
      list.forEach((item: unknown, i) => {
        const at = `${section}[${i}]`;
        if (!isMap(item) || typeof item.name !== 'string' || item.name === '')
          throw new KubeconfigError(`${f.path}: ${at}.name: expected a non-empty string`);
        const body = item[BODY_KEY[section]] ?? {};
        if (!isMap(body))
          throw new KubeconfigError(
            `${f.path}: ${at}.${BODY_KEY[section]}: expected a map, got ${typeName(body)}`,
          );
        // The first file to define a name wins, as kubectl merges $KUBECONFIG.
        if (!names[section].has(item.name)) names[section].set(item.name, { file: f.path, at, body });
      });
    }
    const cc = doc['current-context'];
    if (cc !== undefined && cc !== null && cc !== '') {
      if (typeof cc !== 'string')
        throw new KubeconfigError(`${f.path}: current-context: expected a string, got ${typeName(cc)}`);
      current ??= { name: cc, file: f.path };
    }
  }
  const where = files.map((f) => f.path).join(', ') || '(no file)';
  if (!current)
    throw new KubeconfigError(
      `${where}: current-context is not set; choose one with \`kubectl config use-context NAME\``,
    );
  const ctx = names.contexts.get(current.name);
  if (!ctx)
    throw new KubeconfigError(
      `${current.file}: current-context: "${current.name}" names no entry of contexts (have: ${list(names.contexts)})`,
    );
  const ref = (field: 'cluster' | 'user'): string | undefined => {
    const v = ctx.body[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string')
      throw new KubeconfigError(
        `${ctx.file}: ${ctx.at}.context.${field}: expected a string, got ${typeName(v)}`,
      );
    return v;
  };
  const clusterName = ref('cluster');
  if (!clusterName)
    throw new KubeconfigError(
      `${ctx.file}: ${ctx.at}.context.cluster: context "${current.name}" names no cluster`,
    );
  const cluster = names.clusters.get(clusterName);
  if (!cluster)
    throw new KubeconfigError(
      `${ctx.file}: ${ctx.at}.context.cluster: "${clusterName}" names no entry of clusters (have: ${list(names.clusters)})`,
    );
  const userName = ref('user');
  const user = userName === undefined ? undefined : names.users.get(userName);
  if (userName !== undefined && !user)
    throw new KubeconfigError(
      `${ctx.file}: ${ctx.at}.context.user: "${userName}" names no entry of users (have: ${list(names.users)})`,
    );
  const ns = ctx.body.namespace;
  if (ns !== undefined && ns !== null && typeof ns !== 'string')
    throw new KubeconfigError(
      `${ctx.file}: ${ctx.at}.context.namespace: expected a string, got ${typeName(ns)}`,
    );

  const target: KubeTarget = {
    origin: `kubeconfig ${ctx.file}, context ${current.name}`,
    ...clusterFields(cluster),
    namespace: typeof ns === 'string' && ns !== '' ? ns : undefined,
  };
  if (user) Object.assign(target, userFields(user));
  return target;
}

function list(m: Map<string, Entry>): string {
  return m.size === 0 ? 'none' : [...m.keys()].join(', ');
}

/** Reads one optional string field of an entry. */
function str(e: Entry, key: string, prefix: string): string | undefined {
  const v = e.body[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string')
    throw new KubeconfigError(`${e.file}: ${e.at}.${prefix}.${key}: expected a string, got ${typeName(v)}`);
  return v;
}

/** `X` (a path, relative to the file) or `X-data` (base64), not both, as kubectl requires. */
function material(e: Entry, key: string, prefix: string): Material | undefined {
  const file = str(e, key, prefix);
  const data = str(e, `${key}-data`, prefix);
  const field = `${e.file}: ${e.at}.${prefix}.${key}`;
  if (file !== undefined && data !== undefined)
    throw new KubeconfigError(`${field} and ${key}-data are both set; keep one`);
  if (data !== undefined) {
    const compact = data.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0)
      throw new KubeconfigError(`${field}-data: not valid base64 (expected the base64 of a PEM file)`);
    return { field: `${field}-data`, data: Buffer.from(compact, 'base64') };
  }
  if (file !== undefined) return { field, file: resolve(dirname(e.file), file) };
  return undefined;
}

function rejectUnsupported(e: Entry, prefix: string, table: Record<string, string>, supported: string): void {
  for (const [key, why] of Object.entries(table)) {
    const v = e.body[key];
    if (v !== undefined && v !== null && v !== '')
      throw new KubeconfigError(`${e.file}: ${e.at}.${prefix}.${key}: ${why}; ${supported}`);
  }
}

function clusterFields(c: Entry): Omit<KubeTarget, 'origin' | 'namespace'> {
  rejectUnsupported(
    c,
    'cluster',
    UNSUPPORTED_CLUSTER,
    'supported: server, certificate-authority[-data], insecure-skip-tls-verify, tls-server-name',
  );
  const server = str(c, 'server', 'cluster');
  const at = `${c.file}: ${c.at}.cluster`;
  if (!server) throw new KubeconfigError(`${at}.server: not set; expected an https:// URL`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeconfigError(`${at}.server: "${server}" is not a URL; expected https://HOST[:PORT]`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new KubeconfigError(
      `${at}.server: "${server}" is not allowed; expected an https:// (or http://) URL`,
    );
  const insecure = c.body['insecure-skip-tls-verify'];
  if (insecure !== undefined && insecure !== null && typeof insecure !== 'boolean')
    throw new KubeconfigError(
      `${at}.insecure-skip-tls-verify: expected true or false, got ${typeName(insecure)}`,
    );
  const ca = material(c, 'certificate-authority', 'cluster');
  // client-go refuses the same combination: a CA that would never be checked is a mistake.
  if (insecure === true && ca)
    throw new KubeconfigError(
      `${at}.insecure-skip-tls-verify: true together with certificate-authority[-data] is not allowed; keep one`,
    );
  const tlsServerName = str(c, 'tls-server-name', 'cluster');
  const execClusterConfig = execExtension(c);
  return {
    server: server.replace(/\/+$/, ''),
    insecureSkipTlsVerify: insecure === true,
    ...(ca ? { ca } : {}),
    ...(tlsServerName ? { tlsServerName } : {}),
    ...(execClusterConfig !== undefined ? { execClusterConfig } : {}),
  };
}

/** The `extension` of the cluster's `client.authentication.k8s.io/exec` entry (other extensions are for other tools). */
function execExtension(c: Entry): unknown {
  const list = c.body.extensions;
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list))
    throw new KubeconfigError(
      `${c.file}: ${c.at}.cluster.extensions: expected a list, got ${typeName(list)}`,
    );
  const found = list.find((e: unknown) => isMap(e) && e.name === EXEC_CLUSTER_EXTENSION) as
    | Record<string, unknown>
    | undefined;
  return found?.extension;
}

function userFields(u: Entry): Partial<KubeTarget> {
  rejectUnsupported(u, 'user', UNSUPPORTED_USER, SUPPORTED_USER);
  const clientCert = material(u, 'client-certificate', 'user');
  const clientKey = material(u, 'client-key', 'user');
  const at = `${u.file}: ${u.at}.user`;
  if (clientCert && !clientKey)
    throw new KubeconfigError(`${at}.client-key: not set; client-certificate[-data] needs client-key[-data]`);
  if (clientKey && !clientCert)
    throw new KubeconfigError(
      `${at}.client-certificate: not set; client-key[-data] needs client-certificate[-data]`,
    );
  const token = str(u, 'token', 'user');
  const tokenFile = str(u, 'tokenFile', 'user');
  const execValue = u.body.exec;
  let exec: ExecConfig | undefined;
  if (execValue !== undefined && execValue !== null) {
    exec = parseExecConfig(execValue, `${at}.exec`, u.file);
    // One source of identity: client-go refuses a certificate callback beside a static certificate.
    const other = clientCert
      ? 'client-certificate[-data]'
      : token
        ? 'token'
        : tokenFile
          ? 'tokenFile'
          : undefined;
    if (other)
      throw new KubeconfigError(
        `${at}.exec: set together with ${other}; keep one (the plugin supplies the credential)`,
      );
  }
  return {
    ...(exec ? { exec } : {}),
    ...(clientCert ? { clientCert } : {}),
    ...(clientKey ? { clientKey } : {}),
    ...(token ? { token } : {}),
    ...(tokenFile
      ? { tokenFile: resolve(dirname(u.file), tokenFile), tokenFileField: `${at}.tokenFile` }
      : {}),
  };
}

/** The service-account directory every pod gets (token, ca.crt, namespace). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The in-cluster target, as client-go's InClusterConfig builds it: the `kubernetes` Service from
 * KUBERNETES_SERVICE_HOST/PORT, the pod's CA, and its token file read before every request.
 */
export function inClusterTarget(o: {
  host: string;
  port: string;
  namespace: string | undefined;
  dir?: string;
}): KubeTarget {
  const dir = o.dir ?? SERVICE_ACCOUNT_DIR;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    origin: 'in-cluster service account',
    server: `https://${host}:${o.port}`,
    namespace: o.namespace || undefined,
    ca: { field: 'in-cluster ca.crt', file: `${dir}/ca.crt` },
    insecureSkipTlsVerify: false,
    tokenFile: `${dir}/token`,
    tokenFileField: 'in-cluster token',
  };
}
