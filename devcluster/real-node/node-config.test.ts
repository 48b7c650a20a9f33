/**
 * The real node's rendered configuration: the settings this machine needs (cgroup v1, no
 * CAP_SYS_RESOURCE, no resolver for pods), every path under the node dir, and a teardown script the
 * shell accepts that covers each kind of leftover.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { cniConflist, containerdConfig, corefile, kubeletConfig, kubeProxyConfig } from './configs.ts';
import { writeImageArchive } from './image-archive.ts';
import { dockerfileCopies, lddLibraries } from './images.ts';
import { BRIDGE, GUARD_CHAIN, NODE_IP, nodeLayout } from './layout.ts';
import { teardownScript } from './teardown.ts';

const layout = nodeLayout({
  clusterDir: '/tmp/c1',
  binaries: {
    kubelet: '/t/kubelet',
    kubeProxy: '/t/kube-proxy',
    coredns: '/t/coredns',
    pause: '/t/pause',
    debs: '/t/debs',
  },
  ports: { kubeletHealthz: 1, proxyHealthz: 2, proxyMetrics: 3, dnsReady: 4 },
  kubeconfigPath: '/tmp/c1/kubeconfig',
  caCert: '/tmp/c1/pki/ca.crt',
});

test('containerd keeps its state under the node dir and never lowers oom_score_adj', () => {
  const t = containerdConfig(layout);
  assert.match(t, /restrict_oom_score_adj = true/);
  assert.match(t, /SystemdCgroup = false/);
  assert.match(t, /root = "\/tmp\/c1\/real-node\/containerd\/root"/);
  assert.match(t, /address = "\/tmp\/c1\/real-node\/containerd\/containerd.sock"/);
  assert.match(t, /BinaryName = "\/t\/debs\/bin\/runc"/);
});

test('kubelet runs on cgroup v1 with cgroupfs, serves only on the node IP and gives pods no host resolver', () => {
  const k = parse(kubeletConfig(layout));
  assert.equal(k.failCgroupV1, false);
  assert.equal(k.cgroupDriver, 'cgroupfs');
  assert.equal(k.address, NODE_IP);
  assert.equal(k.readOnlyPort, 0);
  assert.equal(k.healthzBindAddress, '127.0.0.1');
  assert.equal(k.authentication.anonymous.enabled, false);
  assert.equal(k.authorization.mode, 'Webhook');
  assert.equal(k.resolvConf, '/tmp/c1/real-node/resolv.conf');
  assert.deepEqual(k.clusterDNS, [NODE_IP]);
});

test('the pod network is the private bridge, no masquerade; kube-proxy and CoreDNS stay local', () => {
  const c = JSON.parse(cniConflist(layout));
  assert.equal(c.plugins[0].bridge, BRIDGE);
  assert.equal(c.plugins[0].ipMasq, false);
  assert.equal(c.plugins[0].ipam.dataDir, '/tmp/c1/real-node/cni/ipam');
  const p = parse(kubeProxyConfig(layout));
  assert.equal(p.mode, 'iptables');
  assert.match(p.healthzBindAddress, /^127\.0\.0\.1:/);
  assert.equal(p.conntrack.maxPerCore, 0);
  const dns = corefile(layout);
  assert.match(dns, new RegExp(`bind ${NODE_IP.replaceAll('.', '\\.')}`));
  assert.doesNotMatch(dns, /forward/);
});

test('the teardown script parses and covers processes, mounts, cgroups, iptables, bridge, sysctls', () => {
  const s = teardownScript(layout);
  execFileSync('sh', ['-n'], { input: s });
  assert.doesNotMatch(s, /\$h[a-z]/, 'shell variables next to text are braced');
  for (const want of [
    'kill -9',
    'umount -l',
    'rmdir',
    `${GUARD_CHAIN}`,
    `ip link del ${BRIDGE}`,
    '/proc/sys/',
    'KUBE-',
  ])
    assert.ok(s.includes(want), want);
});

test('ldd output gives the libraries to copy, the Dockerfile the folders', () => {
  const ldd = [
    '\tlinux-vdso.so.1 (0x00007ffd)',
    '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)',
    '\t/lib64/ld-linux-x86-64.so.2 (0x00007f)',
  ].join('\n');
  assert.deepEqual(lddLibraries(ldd), ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  assert.deepEqual(
    dockerfileCopies('COPY bin ./bin\nCOPY package.json package-lock.json ./\nCOPY cli ./cli\n'),
    ['bin', 'cli'],
  );
});

test('a docker-archive holds manifest.json naming the config and the layer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushpull-image-'));
  try {
    const a = writeImageArchive(
      {
        name: 'example.local/x:1',
        items: [
          { kind: 'content', path: '/etc/hello', data: 'hi\n' },
          { kind: 'dir', path: '/tmp', mode: 0o1777 },
        ],
        runtime: { Entrypoint: ['/x'], User: '65532', Env: [] },
      },
      join(dir, 'x.tar'),
    );
    execFileSync('tar', ['-xf', a.path, '-C', dir]);
    const [m] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    assert.deepEqual(m.RepoTags, ['example.local/x:1']);
    assert.equal(`sha256:${m.Config.replace('.json', '')}`, a.imageId);
    const layer = execFileSync('tar', ['-tvf', join(dir, m.Layers[0])], { encoding: 'utf8' });
    assert.match(layer, /etc\/hello/);
    assert.match(layer, /^drwxrwxrwt .* tmp\/$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
