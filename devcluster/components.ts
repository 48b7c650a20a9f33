/**
 * What the dev cluster runs: the command line of etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok, rendered purely from a layout (binaries, ports, paths). Every listener
 * binds 127.0.0.1; kube-controller-manager serves nothing and kwok serves nothing. Called by
 * devcluster/cluster.ts; unit-tested in components.test.ts.
 */
import { join } from 'node:path';
import type { ClusterCerts } from './certs.ts';

/** The components, in start order (stop runs in reverse). */
export const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** ClusterIP range of Services; its first address is the `kubernetes` Service (in the apiserver cert). */
export const SERVICE_CIDR = '10.96.0.0/16';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** Pod IPs kwok hands out (never routed anywhere: nothing runs in the pods). */
export const POD_CIDR = '10.244.0.0/16';
/** kwok's default node IP (fake Nodes created by the harness carry their own InternalIP). */
export const DEFAULT_NODE_IP = '10.240.0.1';
/** The issuer (and default audience) of service-account tokens. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** kwok manages only Nodes with this annotation, as kwok's docs recommend. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const KWOK_NODE_ANNOTATION_VALUE = 'fake';
/** Seconds a fake Node's Lease is valid; kwok renews it as a kubelet would. */
export const NODE_LEASE_SECONDS = 40;

/**
 * The kube-controller-manager controllers the dev cluster runs: enough for Deployments, Jobs,
 * Services' endpoints, garbage collection, namespace deletion, node health and the `default`
 * ServiceAccount every namespace needs before its Pods are admitted.
 */
export const CONTROLLERS = [
  'deployment-controller',
  'replicaset-controller',
  'statefulset-controller',
  'job-controller',
  'cronjob-controller',
  'ttl-after-finished-controller',
  'garbage-collector-controller',
  'pod-garbage-collector-controller',
  'namespace-controller',
  'node-lifecycle-controller',
  'serviceaccount-controller',
  'root-ca-certificate-publisher-controller',
  'clusterrole-aggregation-controller',
  'endpoints-controller',
  'endpointslice-controller',
] as const;

/** The binaries, as tools/build.sh caches them. */
export type ComponentBinaries = Record<ComponentName, string>;

/** Everything the command lines depend on. */
export interface ClusterLayout {
  /** The cluster's work directory; each component keeps its state in a subfolder. */
  dir: string;
  binaries: ComponentBinaries;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number; scheduler: number };
  certs: ClusterCerts;
  /** The admin kubeconfig the in-cluster components use too. */
  kubeconfigPath: string;
  /** kwok Stage files (devcluster/stages/*.yaml). */
  stageFiles: readonly string[];
}

/** One process to start: the program, its arguments, and extra environment. */
export interface ComponentSpec {
  name: ComponentName;
  command: string;
  args: string[];
  env: Record<string, string>;
}

const LOOPBACK = '127.0.0.1';

/** Pure: etcd's client URL for a layout. */
export function etcdClientUrl(layout: ClusterLayout): string {
  return `http://${LOOPBACK}:${layout.ports.etcdClient}`;
}

/** Pure: the apiserver's URL for a layout. */
export function apiserverUrl(layout: ClusterLayout): string {
  return `https://${LOOPBACK}:${layout.ports.apiserver}`;
}

function etcd(l: ClusterLayout): string[] {
  const client = etcdClientUrl(l);
  const peer = `http://${LOOPBACK}:${l.ports.etcdPeer}`;
  return [
    '--name=devcluster',
    `--data-dir=${join(l.dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=devcluster=${peer}`,
    '--initial-cluster-state=new',
    // Test data is thrown away at stop: no fsync makes every apiserver write several times cheaper.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
}

function apiserver(l: ClusterLayout): string[] {
  const c = l.certs;
  return [
    `--etcd-servers=${etcdClientUrl(l)}`,
    `--bind-address=${LOOPBACK}`,
    `--advertise-address=${LOOPBACK}`,
    // Endpoints may not hold loopback IPs, so the `kubernetes` Service keeps no endpoints here;
    // nothing in this cluster runs in a pod that would dial it.
    '--endpoint-reconciler-type=none',
    `--secure-port=${l.ports.apiserver}`,
    `--cert-dir=${join(l.dir, 'kube-apiserver')}`,
    `--tls-cert-file=${c.apiserverCert}`,
    `--tls-private-key-file=${c.apiserverKey}`,
    `--client-ca-file=${c.caCert}`,
    '--authorization-mode=RBAC',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${c.serviceAccountPub}`,
    `--service-account-signing-key-file=${c.serviceAccountKey}`,
    // The default admission chain stays on (ServiceAccount, PodSecurity, NamespaceLifecycle...):
    // the serviceaccount controller creates each namespace's `default` ServiceAccount, so Pods admit.
    '--profiling=false',
    // A real node (dev-cluster up --real-node) is dialled by its InternalIP (it has no DNS name here),
    // and its kubelet authenticates the apiserver by the admin client certificate.
    '--kubelet-preferred-address-types=InternalIP,Hostname',
    `--kubelet-client-certificate=${c.adminCert}`,
    `--kubelet-client-key=${c.adminKey}`,
  ];
}

function controllerManager(l: ClusterLayout): string[] {
  return [
    `--kubeconfig=${l.kubeconfigPath}`,
    '--leader-elect=false',
    // No serving port at all: readiness is observed through its effects (ServiceAccounts, Node taints).
    '--secure-port=0',
    `--controllers=${CONTROLLERS.join(',')}`,
    `--root-ca-file=${l.certs.caCert}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // The defaults (20 qps) throttle a test that creates dozens of Deployments at once.
    '--kube-api-qps=100',
    '--kube-api-burst=200',
  ];
}

function scheduler(l: ClusterLayout): string[] {
  return [
    `--kubeconfig=${l.kubeconfigPath}`,
    '--leader-elect=false',
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${l.ports.scheduler}`,
    `--cert-dir=${join(l.dir, 'kube-scheduler')}`,
  ];
}

function kwok(l: ClusterLayout): string[] {
  return [
    `--kubeconfig=${l.kubeconfigPath}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=${KWOK_NODE_ANNOTATION_VALUE}`,
    `--cidr=${POD_CIDR}`,
    `--node-ip=${DEFAULT_NODE_IP}`,
    `--node-lease-duration-seconds=${NODE_LEASE_SECONDS}`,
    ...l.stageFiles.map((f) => `--config=${f}`),
  ];
}

/** Pure: the command line of every component, in start order. */
export function componentSpecs(layout: ClusterLayout): ComponentSpec[] {
  const argsOf: Record<ComponentName, (l: ClusterLayout) => string[]> = {
    etcd,
    'kube-apiserver': apiserver,
    'kube-controller-manager': controllerManager,
    'kube-scheduler': scheduler,
    kwok,
  };
  return COMPONENTS.map(
    (name): ComponentSpec => ({
      name,
      command: layout.binaries[name],
      args: argsOf[name](layout),
      // kwok also reads ~/.kwok/kwok.yaml when it exists: a private HOME keeps a user's kwok config out.
      env: name === 'kwok' ? { HOME: join(layout.dir, 'kwok') } : {},
    }),
  );
}
