/**
 * The client against the real control plane (devcluster/): the embedded-certificate kubeconfig the dev
 * cluster writes, watch events, and in-cluster credentials (a service-account token from the
 * TokenRequest API, re-read from its file when it rotates). The ERROR event of an expired
 * resourceVersion is tested in kube/watch.itest.ts: the apiserver's watch cache answers an old
 * resourceVersion with its current state until its event window rolls over, which a test cannot
 * force quickly.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import { type DevCluster, startDevCluster } from '../../devcluster/cluster.ts';
import { ApiError } from '../../kube/api-error.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { WatchEventType } from '../../kube/watch-events.ts';
import { createKubeClient } from './client.ts';

const NS = 'pp-k8s-client-itest';

describe('the Kubernetes client on the dev control plane', () => {
  let cluster: DevCluster;
  let kube: ReturnType<typeof createKubeClient>;
  const dir = mkdtempSync(join(tmpdir(), 'pushpull-k8s-client-'));

  before(async () => {
    cluster = await startDevCluster({ keepDirOnFailure: true });
    kube = createKubeClient({ kubeconfig: cluster.kubeconfigPath });
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });

  after(async () => {
    await kube?.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('talks to the server with the kubeconfig it writes (embedded CA and client certificate)', async () => {
    assert.equal(kube.server, cluster.server);
    const ns = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS });
    assert.equal(ns?.metadata.name, NS);
    assert.equal(
      await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'none' }),
      undefined,
    );
  });

  it('watches changes from a list resourceVersion', async () => {
    const list = await kube.list('v1', 'ConfigMap', NS);
    const seen: Array<[WatchEventType, string]> = [];
    let notify = () => {};
    const w = await kube.watch(
      'v1',
      'ConfigMap',
      NS,
      { resourceVersion: list.resourceVersion },
      (type, obj: KubeObject) => {
        if (type !== 'BOOKMARK') seen.push([type, obj.metadata.name]);
        notify();
      },
      () => {},
    );
    try {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: NS } };
      await kube.apply({ ...cm, data: { a: '1' } });
      await kube.apply({ ...cm, data: { a: '2' } });
      await kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'watched' });
      for (let i = 0; i < 100 && seen.length < 3; i++)
        await new Promise<void>((r) => {
          notify = r;
          setTimeout(r, 100);
        });
      assert.deepEqual(seen, [
        ['ADDED', 'watched'],
        ['MODIFIED', 'watched'],
        ['DELETED', 'watched'],
      ]);
    } finally {
      w.stop();
    }
  });

  it('uses the in-cluster service account and re-reads its token file when it rotates', async () => {
    const api = cluster.client;
    const tokens: Record<string, string> = {};
    for (const name of ['first', 'second']) {
      const sa = await api.request('POST', `/api/v1/namespaces/${NS}/serviceaccounts`, {
        body: { metadata: { name } },
      });
      assert.equal(sa.status, 201, sa.text);
      const tr = await api.request<TokenRequest>(
        'POST',
        `/api/v1/namespaces/${NS}/serviceaccounts/${name}/token`,
        {
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: { expirationSeconds: 600 },
          },
        },
      );
      assert.equal(tr.status, 201, tr.text);
      tokens[name] = tr.body?.status?.token ?? '';
    }
    const sa = join(dir, 'serviceaccount');
    mkdirSync(sa);
    writeFileSync(join(sa, 'ca.crt'), cluster.tls.ca);
    writeFileSync(join(sa, 'namespace'), NS);
    writeFileSync(join(sa, 'token'), tokens.first!);
    const port = new URL(cluster.server).port;
    const pod = createKubeClient({
      credentials: {
        env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
        home: join(dir, 'no-home'),
        serviceAccountDir: sa,
      },
    });
    try {
      assert.equal(pod.origin, 'in-cluster service account');
      assert.equal(pod.contextNamespace, NS);
      const whoIsDenied = async (): Promise<string> => {
        try {
          await pod.list('v1', 'Pod', NS);
        } catch (err) {
          assert.ok(err instanceof ApiError, String(err));
          return `${err.statusCode} ${err.message}`;
        }
        return 'allowed';
      };
      assert.match(await whoIsDenied(), new RegExp(`^403 .*system:serviceaccount:${NS}:first`));
      writeFileSync(join(sa, 'token'), tokens.second!);
      assert.match(await whoIsDenied(), new RegExp(`^403 .*system:serviceaccount:${NS}:second`));
      writeFileSync(join(sa, 'token'), 'not-a-token');
      assert.match(await whoIsDenied(), /^401 /);
    } finally {
      await pod.close();
    }
  });
});
