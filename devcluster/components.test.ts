import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterCerts } from './certs.ts';
import { type ClusterLayout, COMPONENTS, CONTROLLERS, componentSpecs } from './components.ts';

const certs: ClusterCerts = {
  dir: '/w/pki',
  caCert: '/w/pki/ca.crt',
  caKey: '/w/pki/ca.key',
  apiserverCert: '/w/pki/apiserver.crt',
  apiserverKey: '/w/pki/apiserver.key',
  adminCert: '/w/pki/admin.crt',
  adminKey: '/w/pki/admin.key',
  serviceAccountKey: '/w/pki/service-account.key',
  serviceAccountPub: '/w/pki/service-account.pub',
};

const layout: ClusterLayout = {
  dir: '/w',
  binaries: {
    etcd: '/bin/etcd',
    'kube-apiserver': '/bin/kube-apiserver',
    'kube-controller-manager': '/bin/kcm',
    'kube-scheduler': '/bin/ks',
    kwok: '/bin/kwok',
  },
  ports: { etcdClient: 2001, etcdPeer: 2002, apiserver: 2003, scheduler: 2004 },
  certs,
  kubeconfigPath: '/w/kubeconfig',
  stageFiles: ['/s/a.yaml', '/s/b.yaml'],
};

const specs = componentSpecs(layout);
const argsOf = (name: string) => specs.find((s) => s.name === name)!.args;
const flag = (name: string, key: string) =>
  argsOf(name)
    .find((a) => a.startsWith(`--${key}=`))
    ?.slice(key.length + 3);

describe('componentSpecs', () => {
  it('lists every component once, in start order, with its binary', () => {
    assert.deepEqual(
      specs.map((s) => s.name),
      [...COMPONENTS],
    );
    assert.equal(specs[0]!.command, '/bin/etcd');
    assert.equal(specs[4]!.command, '/bin/kwok');
  });

  it('binds every listener to loopback only', () => {
    assert.equal(flag('etcd', 'listen-client-urls'), 'http://127.0.0.1:2001');
    assert.equal(flag('etcd', 'listen-peer-urls'), 'http://127.0.0.1:2002');
    assert.equal(flag('kube-apiserver', 'bind-address'), '127.0.0.1');
    assert.equal(flag('kube-apiserver', 'secure-port'), '2003');
    assert.equal(flag('kube-scheduler', 'bind-address'), '127.0.0.1');
    assert.equal(flag('kube-controller-manager', 'secure-port'), '0');
    for (const s of specs) {
      for (const a of s.args) assert.doesNotMatch(a, /0\.0\.0\.0/, `${s.name} ${a}`);
    }
  });

  it('points the apiserver at etcd and turns on RBAC and service-account tokens', () => {
    assert.equal(flag('kube-apiserver', 'etcd-servers'), 'http://127.0.0.1:2001');
    assert.equal(flag('kube-apiserver', 'authorization-mode'), 'RBAC');
    assert.equal(flag('kube-apiserver', 'client-ca-file'), '/w/pki/ca.crt');
    assert.equal(flag('kube-apiserver', 'service-account-signing-key-file'), '/w/pki/service-account.key');
    assert.equal(flag('kube-apiserver', 'service-account-key-file'), '/w/pki/service-account.pub');
    assert.equal(flag('kube-apiserver', 'disable-admission-plugins'), undefined);
  });

  it('runs the controllers that Deployments, garbage collection, namespaces and nodes need', () => {
    const controllers: string[] = flag('kube-controller-manager', 'controllers')!.split(',');
    assert.deepEqual([...CONTROLLERS], controllers);
    for (const needed of [
      'deployment-controller',
      'replicaset-controller',
      'garbage-collector-controller',
      'namespace-controller',
      'node-lifecycle-controller',
      'serviceaccount-controller',
    ]) {
      assert.ok(controllers.includes(needed), needed);
    }
  });

  it('gives kwok every stage file, the fake-node selector and a private HOME', () => {
    const kwok = specs.find((s) => s.name === 'kwok')!;
    assert.deepEqual(
      kwok.args.filter((a) => a.startsWith('--config=')),
      ['--config=/s/a.yaml', '--config=/s/b.yaml'],
    );
    assert.equal(flag('kwok', 'manage-nodes-with-annotation-selector'), 'kwok.x-k8s.io/node=fake');
    assert.equal(kwok.env.HOME, '/w/kwok');
  });

  it('keeps all state inside the work dir', () => {
    assert.equal(flag('etcd', 'data-dir'), '/w/etcd');
    assert.equal(flag('kube-apiserver', 'cert-dir'), '/w/kube-apiserver');
    assert.equal(flag('kube-scheduler', 'cert-dir'), '/w/kube-scheduler');
  });
});
