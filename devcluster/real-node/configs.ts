/**
 * The real node's configuration files, rendered purely from its layout: containerd's config.toml, the
 * CNI network, kubelet's and kube-proxy's configs and CoreDNS's Corefile. Each setting that exists
 * because of this machine (cgroup v1, root without CAP_SYS_RESOURCE, no resolver for pods) says so.
 * Called by start.ts; unit-tested in configs.test.ts.
 */
import { stringify } from 'yaml';
import {
  BRIDGE,
  CLUSTER_DOMAIN,
  KUBELET_PORT,
  NODE_IP,
  NODE_NAME,
  type NodeLayout,
  PAUSE_IMAGE,
} from './layout.ts';

const q = (s: string) => JSON.stringify(s);

/** containerd 1.6 (config version 2): root, state, socket, runc's root and the CNI dirs under the node dir. */
export function containerdConfig(l: NodeLayout): string {
  const p = l.paths;
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `${[
    'version = 2',
    `root = ${q(p.containerdRoot)}`,
    `state = ${q(p.containerdState)}`,
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]',
    '',
    '[grpc]',
    `  address = ${q(p.containerdSocket)}`,
    '',
    '[metrics]',
    '  address = ""',
    '',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q(p.containerdOpt)}`,
    '',
    `[${cri}]`,
    `  sandbox_image = ${q(PAUSE_IMAGE)}`,
    // Root here lacks CAP_SYS_RESOURCE: runc may not lower oom_score_adj below ours.
    '  restrict_oom_score_adj = true',
    '  netns_mounts_under_state_dir = true',
    '  disable_apparmor = true',
    '  enable_selinux = false',
    '',
    `[${cri}.containerd]`,
    '  snapshotter = "overlayfs"',
    '  default_runtime_name = "runc"',
    '',
    `[${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    `[${cri}.containerd.runtimes.runc.options]`,
    `  BinaryName = ${q(`${l.binaries.debs}/bin/runc`)}`,
    `  Root = ${q(p.runcRoot)}`,
    '  SystemdCgroup = false',
    '',
    `[${cri}.cni]`,
    `  bin_dir = ${q(p.cniBinDir)}`,
    `  conf_dir = ${q(p.cniConfDir)}`,
    '  max_conf_num = 1',
  ].join('\n')}\n`;
}

/** The pod network: one bridge (the node IP is its gateway), host-local addresses, no masquerade. */
export function cniConflist(l: NodeLayout): string {
  const r = l.podRange;
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'pushpull',
      plugins: [
        {
          type: 'bridge',
          bridge: BRIDGE,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: l.paths.cniIpamDir,
            ranges: [[{ subnet: r.subnet, rangeStart: r.start, rangeEnd: r.end, gateway: r.gateway }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

/** kubelet: cgroup v1 with cgroupfs, x509 + webhook auth (the apiserver presents the admin cert). */
export function kubeletConfig(l: NodeLayout): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // This machine has cgroup v1 only; kubelet 1.36 refuses it unless told.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: l.cgroupRoot,
    containerRuntimeEndpoint: `unix://${l.paths.containerdSocket}`,
    address: NODE_IP,
    port: KUBELET_PORT,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: l.ports.kubeletHealthz,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: l.caCert },
    },
    authorization: { mode: 'Webhook' },
    // Signed by the cluster's CA: the operator reads /metrics/cadvisor verifying it (nodes/metrics).
    tlsCertFile: l.paths.kubeletCert,
    tlsPrivateKeyFile: l.paths.kubeletKey,
    clusterDNS: [NODE_IP],
    clusterDomain: CLUSTER_DOMAIN,
    // Empty: pods never query this machine's resolver, only the cluster's CoreDNS.
    resolvConf: l.paths.resolvConf,
    podLogsDir: l.paths.podLogs,
    volumePluginDir: l.paths.volumePlugins,
    failSwapOn: false,
    // The disk and memory are shared with everything else on the machine: evict only when nearly out.
    evictionHard: {
      'memory.available': '100Mi',
      'nodefs.available': '1%',
      'imagefs.available': '1%',
      'nodefs.inodesFree': '1%',
    },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    maxPods: 110,
    registerNode: true,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    nodeStatusReportFrequency: '10s',
    nodeStatusUpdateFrequency: '10s',
  });
}

/** The kubelet's flags (what the config file cannot say). */
export function kubeletArgs(l: NodeLayout): string[] {
  return [
    `--config=${l.paths.kubeletConfig}`,
    `--kubeconfig=${l.kubeconfigPath}`,
    `--root-dir=${l.paths.kubeletRoot}`,
    `--hostname-override=${NODE_NAME}`,
    `--node-ip=${NODE_IP}`,
    // cAdvisor finds containerd at /run/containerd by default; without it, the containers' cgroups
    // carry no pod, namespace or container labels in /metrics/cadvisor (the collectors' use is read there).
    `--containerd=${l.paths.containerdSocket}`,
    // The containers' stats every 2 s, not 10 s: a rehearsal's phases last tens of seconds, and each
    // phase's collector use is read from these samples.
    '--housekeeping-interval=2s',
    '--v=1',
  ];
}

/** kube-proxy, iptables mode, every listener on loopback, conntrack sysctls left alone. */
export function kubeProxyConfig(l: NodeLayout): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: l.kubeconfigPath },
    mode: 'iptables',
    hostnameOverride: NODE_NAME,
    clusterCIDR: l.podRange.subnet,
    bindAddress: '127.0.0.1',
    healthzBindAddress: `127.0.0.1:${l.ports.proxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${l.ports.proxyMetrics}`,
    nodePortAddresses: [l.podRange.subnet],
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    iptables: { syncPeriod: '30s', minSyncPeriod: '1s' },
  });
}

/** CoreDNS on the node IP: the cluster's names only (no `forward`: nothing leaves the machine). */
export function corefile(l: NodeLayout): string {
  return `${[
    '.:53 {',
    `  bind ${NODE_IP}`,
    '  errors',
    `  ready 127.0.0.1:${l.ports.dnsReady}`,
    `  kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {`,
    `    kubeconfig ${l.kubeconfigPath}`,
    '    pods insecure',
    '    fallthrough in-addr.arpa ip6.arpa',
    '  }',
    '  cache 30',
    '}',
  ].join('\n')}\n`;
}
