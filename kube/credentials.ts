/**
 * The I/O half of kubeconfig.ts: picks where the credentials come from (the order kubectl uses),
 * reads the kubeconfig files and the TLS files they name, reads a token file before every request
 * so a rotated service-account token is picked up, and asks an exec plugin (exec-plugin.ts) when the
 * user has one. kube/client.ts calls it once per client.
 */
import * as nodeFs from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ExecResult } from './exec-credential.ts';
import { type ExecAuthenticatorOptions, execAuthenticator } from './exec-plugin.ts';
import type { ClientCertificate } from './http.ts';
import {
  inClusterTarget,
  type KubeconfigFile,
  type KubeTarget,
  type Material,
  resolveKubeconfig,
  SERVICE_ACCOUNT_DIR,
} from './kubeconfig.ts';
import { KubeconfigError } from './kubeconfig-error.ts';

/** The file operations used; tests pass an in-memory table. */
export interface CredentialsFs {
  readFileSync(path: string): Buffer;
  existsSync(path: string): boolean;
  readFile(path: string): Promise<Buffer>;
}

const realFs: CredentialsFs = {
  readFileSync: (p) => nodeFs.readFileSync(p),
  existsSync: (p) => nodeFs.existsSync(p),
  readFile: (p) => nodeFs.promises.readFile(p),
};

export interface LoadCredentialsOptions {
  /** An explicit kubeconfig file (`--kubeconfig`); nothing else is consulted then. */
  kubeconfig?: string;
  env?: Record<string, string | undefined>;
  home?: string;
  serviceAccountDir?: string;
  fs?: CredentialsFs;
  /** How an exec plugin runs (tests: a clock, whether stdin is a terminal). */
  exec?: Pick<ExecAuthenticatorOptions, 'now' | 'stdinIsTTY' | 'timeoutMs'>;
}

/** Where the credentials come from. */
export type CredentialsSource = { kind: 'files'; paths: string[] } | { kind: 'in-cluster' };

/** TLS options for the connection pool (an https.Agent, i.e. `tls.connect`). */
export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** How to authenticate one request. */
export interface RequestAuth {
  /** The Authorization header. */
  authorization?: string;
  /** A client certificate beside the pool's TLS options (an exec plugin's). */
  clientCertificate?: ClientCertificate;
  /** The exec credential these came from, for `rejected`. */
  exec?: ExecResult;
}

/** What a client needs to talk to the API server. */
export interface Credentials {
  origin: string;
  inCluster: boolean;
  server: string;
  namespace: string | undefined;
  tls: TlsOptions;
  /**
   * The identity for the next request: a token file is read afresh each time, an exec plugin's
   * credential is reused until it expires.
   */
  auth(): Promise<RequestAuth>;
  /**
   * The server answered 401 to `used`. True when asking again may help (an exec plugin runs again on
   * the next `auth()`); false for static credentials.
   */
  rejected(used: RequestAuth): boolean;
}

/**
 * kubectl's order: an explicit file; else every file listed in $KUBECONFIG that exists (merged);
 * else ~/.kube/config; else, in a pod, the service account.
 */
export function chooseSource(o: LoadCredentialsOptions, fs: CredentialsFs): CredentialsSource {
  const env = o.env ?? process.env;
  if (o.kubeconfig) return { kind: 'files', paths: [o.kubeconfig] };
  const list = env.KUBECONFIG;
  if (list) {
    const paths = [...new Set(list.split(delimiter).filter((p) => p !== ''))];
    const existing = paths.filter((p) => fs.existsSync(p));
    if (existing.length === 0)
      throw new KubeconfigError(`KUBECONFIG=${list}: none of the files it lists exists`);
    return { kind: 'files', paths: existing };
  }
  const home = join(o.home ?? homedir(), '.kube', 'config');
  if (fs.existsSync(home)) return { kind: 'files', paths: [home] };
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) return { kind: 'in-cluster' };
  throw new KubeconfigError(
    'no Kubernetes cluster configured: pass --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, ' +
      'or run in a pod (KUBERNETES_SERVICE_HOST)',
  );
}

function read(fs: CredentialsFs, what: string, path: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (err) {
    throw new KubeconfigError(`${what} ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

function load(fs: CredentialsFs, m: Material | undefined): Buffer | undefined {
  if (!m) return undefined;
  return 'data' in m ? m.data : read(fs, m.field, m.file);
}

/** Finds, reads and checks the credentials; throws KubeconfigError with the file and field. */
export function loadCredentials(o: LoadCredentialsOptions = {}): Credentials {
  const fs = o.fs ?? realFs;
  const env = o.env ?? process.env;
  const source = chooseSource(o, fs);
  let target: KubeTarget;
  if (source.kind === 'files') {
    const files: KubeconfigFile[] = source.paths.map((path) => ({
      path,
      text: read(fs, 'kubeconfig', path).toString('utf8'),
    }));
    target = resolveKubeconfig(files);
  } else {
    const dir = o.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
    const nsFile = `${dir}/namespace`;
    target = inClusterTarget({
      host: env.KUBERNETES_SERVICE_HOST!,
      port: env.KUBERNETES_SERVICE_PORT!,
      namespace: fs.existsSync(nsFile)
        ? read(fs, 'in-cluster namespace', nsFile).toString().trim()
        : undefined,
      dir,
    });
  }
  return credentialsOf(target, source.kind === 'in-cluster', fs, o.exec ?? {}, env);
}

/** Reads the TLS material now (once) and returns a token reader for later. */
function credentialsOf(
  t: KubeTarget,
  inCluster: boolean,
  fs: CredentialsFs,
  execOptions: NonNullable<LoadCredentialsOptions['exec']>,
  env: Record<string, string | undefined>,
): Credentials {
  const tls: TlsOptions = { rejectUnauthorized: !t.insecureSkipTlsVerify };
  const ca = load(fs, t.ca);
  const cert = load(fs, t.clientCert);
  const key = load(fs, t.clientKey);
  if (ca) tls.ca = ca;
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  if (t.tlsServerName) tls.servername = t.tlsServerName;
  const tokenFile = t.tokenFile;
  const what = t.tokenFileField ?? 'tokenFile';
  // Fail at startup, not on the first request, when the token file is missing.
  if (tokenFile) read(fs, what, tokenFile);
  const exec = t.exec
    ? execAuthenticator({
        ...execOptions,
        config: t.exec,
        cluster: {
          server: t.server,
          insecureSkipTlsVerify: t.insecureSkipTlsVerify,
          ...(t.tlsServerName ? { tlsServerName: t.tlsServerName } : {}),
          ...(ca ? { certificateAuthorityData: ca } : {}),
          ...(t.execClusterConfig !== undefined ? { config: t.execClusterConfig } : {}),
        },
        env,
      })
    : undefined;
  let lastGood: string | undefined;
  const bearer = async (): Promise<string | undefined> => {
    if (tokenFile) {
      try {
        const token = (await fs.readFile(tokenFile)).toString('utf8').trim();
        if (token !== '') lastGood = token;
      } catch (err) {
        // As client-go: keep the last token read; a rotation swaps the file atomically.
        if (lastGood === undefined)
          throw new KubeconfigError(
            `${what} ${tokenFile}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`,
          );
      }
      if (lastGood !== undefined) return lastGood;
    }
    return t.token;
  };
  return {
    origin: t.origin,
    inCluster,
    server: t.server,
    namespace: t.namespace,
    tls,
    async auth() {
      if (exec) {
        const r = await exec.credential();
        return {
          exec: r,
          ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
          ...(r.clientCert && r.clientKey
            ? { clientCertificate: { cert: r.clientCert, key: r.clientKey } }
            : {}),
        };
      }
      const token = await bearer();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    rejected(used) {
      if (!exec || !used.exec) return false;
      exec.invalidate(used.exec);
      return true;
    },
  };
}
