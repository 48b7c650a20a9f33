/**
 * kubeconfig exec credential plugins for real: a shell script (testdata/exec-plugin.sh) run by the
 * client against the dev control plane, returning a ServiceAccount token (from the TokenRequest API)
 * or the dev cluster's admin client certificate. The clock is injected, so expiry is tested without
 * sleeping; a refused token makes the client run the plugin again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { ConfigMapList } from 'kubernetes-types/core/v1.js';
import { stringify } from 'yaml';
import { type DevCluster, startDevCluster } from '../devcluster/cluster.ts';
import { ApiError } from './api-error.ts';
import { createKubeApi, type KubeApi } from './client.ts';

const NS = 'pp-exec-plugin-itest';
const PLUGIN = join(import.meta.dirname, 'testdata/exec-plugin.sh');
const V1 = 'client.authentication.k8s.io/v1';

/** A kubeconfig whose user runs the fixture plugin with `dir` as its argument. */
function writeKubeconfig(cluster: DevCluster, dir: string, exec: Record<string, unknown> = {}): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: cluster.server,
            'certificate-authority-data': cluster.tls.ca.toString('base64'),
          },
        },
      ],
      users: [
        {
          name: 'u',
          user: {
            exec: {
              apiVersion: V1,
              command: PLUGIN,
              args: [dir],
              env: [{ name: 'EXEC_TEST_GREETING', value: 'hello from exec.env' }],
              interactiveMode: 'Never',
              provideClusterInfo: true,
              ...exec,
            },
          },
        },
      ],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: NS } }],
      'current-context': 'x',
    }),
  );
  return path;
}

const credential = (status: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status });
const runs = (dir: string) => readFileSync(join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length;

describe('exec credential plugins against the dev control plane', () => {
  let cluster: DevCluster;
  let token: string;
  const dirs: string[] = [];
  const clients: KubeApi[] = [];
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'pushpull-exec-'));
    dirs.push(d);
    return d;
  };
  const client = (kubeconfig: string, now: () => number = Date.now) => {
    const c = createKubeApi({ kubeconfig, credentials: { exec: { now, stdinIsTTY: false } } });
    clients.push(c);
    return c;
  };

  before(async () => {
    cluster = await startDevCluster({ keepDirOnFailure: true });
    const api = cluster.client;
    // A ServiceAccount that may list ConfigMaps in NS, and a token for it from the TokenRequest API.
    await api.call('POST', '/api/v1/namespaces', { body: { metadata: { name: NS } } });
    await api.call('POST', `/api/v1/namespaces/${NS}/serviceaccounts`, {
      body: { metadata: { name: 'reader' } },
    });
    await api.call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, {
      body: {
        metadata: { name: 'cm-reader' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
      },
    });
    await api.call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, {
      body: {
        metadata: { name: 'reader-lists-cms' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: NS }],
      },
    });
    await api.call('POST', `/api/v1/namespaces/${NS}/configmaps`, {
      body: { metadata: { name: 'seen-by-exec' }, data: { k: 'v' } },
    });
    const tr = await api.call<TokenRequest>('POST', `/api/v1/namespaces/${NS}/serviceaccounts/reader/token`, {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 600 },
      },
    });
    token = tr.status?.token ?? '';
    assert.notEqual(token, '');
  });

  after(async () => {
    for (const c of clients) c.close();
    await cluster?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const listConfigMaps = async (api: KubeApi) =>
    (await api.call<ConfigMapList>('GET', `/api/v1/namespaces/${NS}/configmaps`)).items.map(
      (c) => c.metadata?.name,
    );

  it('lists with the ServiceAccount token the plugin prints, and gives the plugin its env, args and the cluster', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'credential.json'), credential({ token }));
    const api = client(writeKubeconfig(cluster, dir));
    assert.equal(api.contextNamespace, NS);
    assert.ok((await listConfigMaps(api)).includes('seen-by-exec'));
    assert.equal(readFileSync(join(dir, 'greeting'), 'utf8'), 'hello from exec.env');
    const info = JSON.parse(readFileSync(join(dir, 'info.json'), 'utf8'));
    assert.equal(info.apiVersion, V1);
    assert.equal(info.kind, 'ExecCredential');
    assert.equal(info.spec.interactive, false);
    assert.equal(info.spec.cluster.server, cluster.server);
    assert.equal(
      Buffer.from(info.spec.cluster['certificate-authority-data'], 'base64').toString(),
      cluster.tls.ca.toString(),
    );
    // The token works, and it is the reader's: it may not list pods.
    const pods = await api.request('GET', `/api/v1/namespaces/${NS}/pods`);
    assert.equal(pods.status, 403, pods.text);
  });

  it('authenticates with the client certificate the plugin prints (the admin certificate)', async () => {
    const dir = newDir();
    writeFileSync(
      join(dir, 'credential.json'),
      credential({
        clientCertificateData: cluster.tls.cert.toString(),
        clientKeyData: cluster.tls.key.toString(),
      }),
    );
    const api = client(writeKubeconfig(cluster, dir));
    const nodes = await api.call<{ items: unknown[] }>('GET', '/api/v1/nodes');
    assert.equal(nodes.items.length, cluster.nodeNames.length);
  });

  it('keeps the credential until its expirationTimestamp and runs the plugin again from then on', async () => {
    const dir = newDir();
    const expiry = Date.parse('2030-01-01T00:00:00Z');
    writeFileSync(
      join(dir, 'credential.json'),
      credential({ token, expirationTimestamp: '2030-01-01T00:00:00Z' }),
    );
    let now = expiry - 60_000;
    const api = client(writeKubeconfig(cluster, dir), () => now);
    await Promise.all([listConfigMaps(api), listConfigMaps(api), listConfigMaps(api)]);
    assert.equal(runs(dir), 1, 'concurrent requests share one run');
    now = expiry - 1;
    await listConfigMaps(api);
    assert.equal(runs(dir), 1, 'still fresh one millisecond before expiry');
    now = expiry;
    await listConfigMaps(api);
    assert.equal(runs(dir), 2, 'expired: the plugin ran again');
  });

  it('runs the plugin again when the server answers 401, and the request succeeds', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'credential-1.json'), credential({ token: 'revoked-token' }));
    writeFileSync(join(dir, 'credential.json'), credential({ token }));
    const api = client(writeKubeconfig(cluster, dir));
    assert.ok((await listConfigMaps(api)).includes('seen-by-exec'));
    assert.equal(runs(dir), 2);
  });

  it('gives the 401 to the caller when the fresh credential is refused too', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'credential.json'), credential({ token: 'never-valid' }));
    const api = client(writeKubeconfig(cluster, dir));
    const res = await api.request('GET', `/api/v1/namespaces/${NS}/configmaps`);
    assert.equal(res.status, 401);
    assert.equal(runs(dir), 2, 'one retry, not a loop');
  });

  it("names the kubeconfig field and the plugin's own words when it fails", async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'fail'), '');
    const api = client(writeKubeconfig(cluster, dir));
    await assert.rejects(
      api.request('GET', '/version'),
      (err: unknown) =>
        err instanceof ApiError &&
        err.reason === 'CredentialsError' &&
        /users\[0\]\.user\.exec: the plugin ".*exec-plugin\.sh" exited with code 7; it said: fixture plugin: asked to fail/.test(
          err.message,
        ),
    );
  });

  it('says how to install a plugin that is not there (installHint)', async () => {
    const dir = newDir();
    const api = client(
      writeKubeconfig(cluster, dir, {
        command: 'pushpull-no-such-auth-plugin',
        installHint: 'brew install no-such-plugin',
      }),
    );
    await assert.rejects(
      api.request('GET', '/version'),
      /users\[0\]\.user\.exec\.command: "pushpull-no-such-auth-plugin" was not found on PATH; brew install no-such-plugin/,
    );
  });
});
