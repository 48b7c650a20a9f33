/**
 * The I/O half of kubeconfig.ts: picks where the credentials come from (the order kubectl uses),
 * reads the kubeconfig files and the TLS files they name, and reads a token file before every request
 * so a rotated service-account token is picked up. operator/k8s/client.ts calls it once at startup.
 */
import * as nodeFs from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  inClusterTarget,
  KubeconfigError,
  type KubeconfigFile,
  type KubeTarget,
  type Material,
  resolveKubeconfig,
  SERVICE_ACCOUNT_DIR,
} from './kubeconfig.ts';

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

/** What a client needs to talk to the API server. */
export interface Credentials {
  origin: string;
  inCluster: boolean;
  server: string;
  namespace: string | undefined;
  tls: TlsOptions;
  /** The Authorization header for the next request, if any; a token file is read afresh each time. */
  authorization(): Promise<string | undefined>;
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
  return credentialsOf(target, source.kind === 'in-cluster', fs);
}

/** Reads the TLS material now (once) and returns a token reader for later. */
function credentialsOf(t: KubeTarget, inCluster: boolean, fs: CredentialsFs): Credentials {
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
  let lastGood: string | undefined;
  return {
    origin: t.origin,
    inCluster,
    server: t.server,
    namespace: t.namespace,
    tls,
    async authorization() {
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
        if (lastGood !== undefined) return `Bearer ${lastGood}`;
      }
      return t.token ? `Bearer ${t.token}` : undefined;
    },
  };
}
