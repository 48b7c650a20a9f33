/**
 * Where the real node lives: its private network (one /24 that exists only on a bridge this machine
 * creates), its names, ports and every path, all under the cluster's directory. Pure; the config
 * renderers (configs.ts), the teardown script (teardown.ts) and the starter (start.ts) read it.
 */
import { join } from 'node:path';

/** The node's pod network: the bridge holds .1 (the node IP), pods get .10-.250. Never routed off-box. */
export const NODE_SUBNET = '10.213.47.0/24';
export const NODE_IP = '10.213.47.1';
const POD_RANGE = { start: '10.213.47.10', end: '10.213.47.250' };
/** Only one real node per machine: kube-proxy's KUBE-* chains are global to the host. */
export const BRIDGE = 'pp-node0';
/** The node's name in the cluster. */
export const NODE_NAME = 'pushpull-real-node';
/** Our own iptables chain (filter FORWARD): pods talk to each other and the host, never beyond. */
export const GUARD_CHAIN = 'PUSHPULL-NODE-GUARD';
/** Where the pod-side end of the apiserver forwarder listens (the `kubernetes` Service's endpoint). */
export const APISERVER_FORWARD_PORT = 6443;
export const KUBELET_PORT = 10250;
export const CLUSTER_DOMAIN = 'cluster.local';
/** The sandbox image containerd runs for each pod (built locally, never pulled). */
export const PAUSE_IMAGE = 'pushpull.local/pause:1';

/** The programs the node runs, as the project's scripts cache them. */
export interface NodeBinaries {
  kubelet: string;
  kubeProxy: string;
  coredns: string;
  pause: string;
  /** tools/node-debs.sh's folder: bin/ (containerd, ctr, runc, iptables wrappers), root/usr/lib/cni. */
  debs: string;
}

/** Loopback ports of the node's own health endpoints. */
export interface NodePorts {
  kubeletHealthz: number;
  proxyHealthz: number;
  proxyMetrics: number;
  dnsReady: number;
}

/** Everything the node's configs depend on. */
export interface NodeLayout {
  /** The cluster's work dir; the node keeps everything in `<dir>/real-node`. */
  clusterDir: string;
  root: string;
  binaries: NodeBinaries;
  ports: NodePorts;
  kubeconfigPath: string;
  caCert: string;
  paths: {
    containerdConfig: string;
    containerdRoot: string;
    containerdState: string;
    containerdSocket: string;
    containerdOpt: string;
    runcRoot: string;
    cniConfDir: string;
    cniIpamDir: string;
    cniBinDir: string;
    kubeletConfig: string;
    kubeletRoot: string;
    /** The kubelet's serving certificate, signed by the cluster's CA (and its key). */
    kubeletCert: string;
    kubeletKey: string;
    podLogs: string;
    volumePlugins: string;
    resolvConf: string;
    proxyConfig: string;
    corefile: string;
    teardown: string;
    images: string;
  };
  podRange: { subnet: string; start: string; end: string; gateway: string };
  /** The cgroup (in every v1 hierarchy) that holds all pods, so teardown finds every pod process. */
  cgroupRoot: string;
}

/** Pure: the node's layout inside a cluster dir. */
export function nodeLayout(o: {
  clusterDir: string;
  binaries: NodeBinaries;
  ports: NodePorts;
  kubeconfigPath: string;
  caCert: string;
}): NodeLayout {
  const root = join(o.clusterDir, 'real-node');
  const c = join(root, 'containerd');
  return {
    ...o,
    root,
    paths: {
      containerdConfig: join(c, 'config.toml'),
      containerdRoot: join(c, 'root'),
      containerdState: join(c, 'state'),
      containerdSocket: join(c, 'containerd.sock'),
      containerdOpt: join(c, 'opt'),
      runcRoot: join(c, 'runc'),
      cniConfDir: join(root, 'cni', 'net.d'),
      cniIpamDir: join(root, 'cni', 'ipam'),
      cniBinDir: join(o.binaries.debs, 'root', 'usr', 'lib', 'cni'),
      kubeletConfig: join(root, 'kubelet.yaml'),
      kubeletRoot: join(root, 'kubelet'),
      kubeletCert: join(root, 'pki', 'kubelet-serving.crt'),
      kubeletKey: join(root, 'pki', 'kubelet-serving.key'),
      podLogs: join(root, 'pod-logs'),
      volumePlugins: join(root, 'volume-plugins'),
      resolvConf: join(root, 'resolv.conf'),
      proxyConfig: join(root, 'kube-proxy.yaml'),
      corefile: join(root, 'Corefile'),
      teardown: join(root, 'teardown.sh'),
      images: join(root, 'images'),
    },
    podRange: { subnet: NODE_SUBNET, ...POD_RANGE, gateway: NODE_IP },
    cgroupRoot: '/pushpull-node',
  };
}

/** Host paths kubelet, containerd and the CNI plugins use whatever they are told; removed by teardown when we made them. */
export const HOST_PATHS = [
  '/var/lib/kubelet',
  '/var/log/containers',
  '/var/log/pods',
  '/var/lib/cni',
  '/run/containerd',
  '/opt/containerd',
  '/etc/cni',
] as const;
