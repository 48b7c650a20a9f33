/**
 * The dev cluster's PKI, made with Debian's `openssl` (node:crypto cannot sign X.509 certificates):
 * a CA, the kube-apiserver serving certificate, an admin client certificate in `system:masters`, and
 * the service-account token signing key pair. Keys are ECDSA P-256 (fast to generate, accepted by
 * every component). Called by devcluster/cluster.ts once per cluster; the certificate profiles are
 * pure functions so tests can read them without running openssl.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Paths of everything `createClusterCerts` writes (PEM files). */
export interface ClusterCerts {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  /** Signs service-account tokens (kube-apiserver `--service-account-signing-key-file`). */
  serviceAccountKey: string;
  /** Verifies them (`--service-account-key-file`). */
  serviceAccountPub: string;
}

/** The client identity of the admin kubeconfig: a user in the `system:masters` group. */
export const ADMIN_USER = 'pushpull-devcluster-admin';
export const ADMIN_GROUP = 'system:masters';

/** What one certificate is for: the CA itself, a TLS server, or a TLS client. */
export type CertProfile = 'ca' | 'server' | 'client';

/** The subject of a certificate: a common name and optional organisations (Kubernetes groups). */
export interface CertSubject {
  cn: string;
  o?: string[];
}

/**
 * Pure: the `-subj` argument for a subject, with `/` and `\` escaped as openssl wants.
 * Organisations come first, as kubeadm writes them; Kubernetes reads O as groups, CN as the user.
 */
export function subjectArg(subject: CertSubject): string {
  const esc = (s: string) => s.replace(/[\\/]/g, (c) => `\\${c}`);
  return [...(subject.o ?? []).map((o) => `/O=${esc(o)}`), `/CN=${esc(subject.cn)}`].join('');
}

/**
 * Pure: the DNS names and IPs the apiserver certificate must cover so clients on loopback and
 * in-cluster clients (the `kubernetes` Service's ClusterIP and names) both verify it.
 */
export function apiserverSans(serviceIP: string): string[] {
  return [
    'IP:127.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
    `IP:${serviceIP}`,
  ];
}

/** Pure: an openssl config whose `[ext]` section holds the X.509v3 extensions of a profile. */
export function extensionsConfig(profile: CertProfile, sans: readonly string[] = []): string {
  const lines = ['[req]', 'distinguished_name = dn', '[dn]', '[ext]', 'subjectKeyIdentifier = hash'];
  if (profile === 'ca') {
    lines.push(
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,keyCertSign,cRLSign,digitalSignature',
    );
  } else {
    lines.push(
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage = ${profile === 'server' ? 'serverAuth' : 'clientAuth'}`,
      'authorityKeyIdentifier = keyid',
    );
    if (sans.length > 0) lines.push(`subjectAltName = ${sans.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** openssl failed: names the step and carries what openssl printed. */
export class OpensslError extends Error {
  constructor(step: string, detail: string) {
    super(`openssl failed while ${step}: ${detail.trim() || 'no output'}`);
    this.name = 'OpensslError';
  }
}

function openssl(step: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: 30_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new OpensslError(
          step,
          missing ? 'the openssl program is not installed (apt-get install openssl)' : stderr,
        ),
      );
    });
  });
}

/** A positive random 128-bit serial, so two clusters' certificates never collide. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return `0x${bytes.toString('hex')}`;
}

async function genKey(path: string): Promise<void> {
  await openssl(`generating ${path}`, [
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    path,
  ]);
}

const DAYS = '365';

/** Signs a leaf certificate for `subject` with the CA; the CSR and config are scratch files. */
async function issue(
  dir: string,
  name: string,
  subject: CertSubject,
  profile: 'server' | 'client',
  ca: { cert: string; key: string },
  sans: readonly string[] = [],
): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const csr = join(dir, `${name}.csr`);
  const cnf = join(dir, `${name}.cnf`);
  await genKey(key);
  await writeFile(cnf, extensionsConfig(profile, sans));
  await openssl(`making the ${name} CSR`, [
    'req',
    '-new',
    '-key',
    key,
    '-subj',
    subjectArg(subject),
    '-config',
    cnf,
    '-out',
    csr,
  ]);
  await openssl(`signing the ${name} certificate`, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-set_serial',
    serial(),
    '-days',
    DAYS,
    '-sha256',
    '-extfile',
    cnf,
    '-extensions',
    'ext',
    '-out',
    cert,
  ]);
  await rm(csr, { force: true });
  await rm(cnf, { force: true });
  return { cert, key };
}

/**
 * Writes a fresh PKI into `dir` (created if missing): the CA, the apiserver serving certificate
 * (loopback, localhost and the in-cluster names of `serviceIP`), the admin client certificate and
 * the service-account key pair. Throws `OpensslError` naming the step that failed.
 */
export async function createClusterCerts(dir: string, serviceIP: string): Promise<ClusterCerts> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.crt');
  const caCnf = join(dir, 'ca.cnf');
  await genKey(caKey);
  await writeFile(caCnf, extensionsConfig('ca'));
  await openssl('making the CA certificate', [
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-subj',
    subjectArg({ cn: 'pushpull-devcluster-ca' }),
    '-days',
    DAYS,
    '-sha256',
    '-config',
    caCnf,
    '-extensions',
    'ext',
    '-out',
    caCert,
  ]);
  await rm(caCnf, { force: true });
  const ca = { cert: caCert, key: caKey };
  const serviceAccountKey = join(dir, 'service-account.key');
  const serviceAccountPub = join(dir, 'service-account.pub');
  const [apiserver, admin] = await Promise.all([
    issue(dir, 'apiserver', { cn: 'kube-apiserver' }, 'server', ca, apiserverSans(serviceIP)),
    issue(dir, 'admin', { cn: ADMIN_USER, o: [ADMIN_GROUP] }, 'client', ca),
    (async () => {
      await genKey(serviceAccountKey);
      await openssl('extracting the service-account public key', [
        'pkey',
        '-in',
        serviceAccountKey,
        '-pubout',
        '-out',
        serviceAccountPub,
      ]);
    })(),
  ]);
  return {
    dir,
    caCert,
    caKey,
    apiserverCert: apiserver.cert,
    apiserverKey: apiserver.key,
    adminCert: admin.cert,
    adminKey: admin.key,
    serviceAccountKey,
    serviceAccountPub,
  };
}

/**
 * A serving certificate signed by the cluster's CA (a node's kubelet: its clients, the apiserver and
 * the operator, verify it against the CA they already trust, never skipping verification).
 */
export function issueServingCert(
  dir: string,
  name: string,
  sans: readonly string[],
  certs: Pick<ClusterCerts, 'caCert' | 'caKey'>,
): Promise<{ cert: string; key: string }> {
  return issue(dir, name, { cn: name }, 'server', { cert: certs.caCert, key: certs.caKey }, sans);
}

/** The PEM bytes a TLS client needs to talk to the apiserver as admin. */
export interface ClientTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Reads the CA and admin client certificate and key for node:https or a kubeconfig. */
export async function readAdminTls(certs: ClusterCerts): Promise<ClientTls> {
  const [ca, cert, key] = await Promise.all([
    readFile(certs.caCert),
    readFile(certs.adminCert),
    readFile(certs.adminKey),
  ]);
  return { ca, cert, key };
}
