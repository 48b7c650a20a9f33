import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { SelfSubjectReview, TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { PodList } from 'kubernetes-types/core/v1.js';
import type { Status } from 'kubernetes-types/meta/v1.js';
import { parse } from 'yaml';
import { type DevCluster, startDevCluster } from './cluster.ts';
import { COMPONENTS } from './components.ts';
import { isAlive } from './workdir.ts';

const NS = 'pp-devcluster-itest';
const DOOMED_NS = 'pp-devcluster-doomed';

/** Polls `probe` every 250 ms for at most `timeoutMs`; returns its first truthy value or fails with `what`. */
async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < timeoutMs / 250; i++) {
    last = await probe();
    if (last) return last as T;
    await sleep(250);
  }
  assert.fail(`${what} within ${timeoutMs / 1000}s (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

function deployment(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          // kwok never pulls the image: nothing runs, the status is played.
          containers: [
            {
              name: 'main',
              image: 'registry.invalid/never-pulled:1',
              resources: { requests: { cpu: '100m' } },
            },
          ],
        },
      },
    },
  };
}

/** A GET with a bearer token and no client certificate (as a pod using its service-account token would). */
function getWithToken(cluster: DevCluster, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.server}${path}`,
      { ca: cluster.tls.ca, headers: { authorization: `Bearer ${token}` }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('dev cluster: real etcd, kube-apiserver, controller manager, scheduler and kwok on loopback', () => {
  let cluster: DevCluster;
  let failed = false;

  /** Runs a test body; on failure, attaches the controllers' log tails and keeps the work dir. */
  const withEvidence = (fn: (t: TestContext) => Promise<void>) => async (t: TestContext) => {
    try {
      await fn(t);
    } catch (err) {
      failed = true;
      for (const name of ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const) {
        t.diagnostic(`--- ${name} ---\n${await cluster?.logTail(name, 20)}`);
      }
      throw err;
    }
  };

  before(async () => {
    const lines: string[] = [];
    cluster = await startDevCluster({ log: (l) => lines.push(l), keepDirOnFailure: true });
    process.stderr.write(`# ${lines.join('\n# ')}\n`);
  });

  after(async () => {
    // A no-op when the last test already stopped it; after a failure, keeps the logs for a post-mortem.
    await cluster?.stop({ keepDir: failed });
    if (failed) process.stderr.write(`# dev cluster work dir kept: ${cluster?.dir}\n`);
  });

  it(
    'answers as the pinned Kubernetes version to the admin kubeconfig identity',
    withEvidence(async (t) => {
      t.diagnostic(`cluster start took ${(cluster.startupMs / 1000).toFixed(1)}s`);
      const res = await cluster.client.request<{ gitVersion: string }>('GET', '/version');
      assert.equal(res.status, 200);
      assert.equal(res.body?.gitVersion, 'v1.36.3');
      const kubeconfig = parse(readFileSync(cluster.kubeconfigPath, 'utf8'));
      assert.equal(kubeconfig.clusters[0].cluster.server, cluster.server);
      assert.match(cluster.server, /^https:\/\/127\.0\.0\.1:\d+$/);
      const review = await cluster.client.request<SelfSubjectReview>(
        'POST',
        '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        {
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
        },
      );
      assert.ok(review.body?.status?.userInfo?.groups?.includes('system:masters'));
    }),
  );

  it(
    "schedules a Deployment's pods onto kwok nodes, where they go Running and Ready",
    withEvidence(async () => {
      const api = cluster.client;
      const ns = await api.request('POST', '/api/v1/namespaces', { body: { metadata: { name: NS } } });
      assert.equal(ns.status, 201, ns.text);
      const created = await api.request('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
        body: deployment('web', 2),
      });
      assert.equal(created.status, 201, created.text);
      const pods = await eventually('2 Running, Ready pods', 60_000, async () => {
        const res = await api.request<PodList>(
          'GET',
          `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`,
        );
        const items = res.body?.items ?? [];
        const running = items.filter(
          (p) =>
            p.status?.phase === 'Running' &&
            p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        return running.length === 2 ? running : undefined;
      });
      for (const p of pods) {
        assert.ok(cluster.nodeNames.includes(p.spec?.nodeName ?? ''), `pod on ${p.spec?.nodeName}`);
        assert.match(p.status?.podIP ?? '', /^10\.244\./);
      }
      await eventually('the Deployment reporting 2 ready replicas', 30_000, async () => {
        const res = await api.request<Deployment>('GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`);
        return res.body?.status?.readyReplicas === 2 ? true : undefined;
      });
    }),
  );

  it(
    'forbids a ServiceAccount without a RoleBinding to list pods, and allows it once bound (RBAC)',
    withEvidence(async () => {
      const api = cluster.client;
      const sa = await api.request('POST', `/api/v1/namespaces/${NS}/serviceaccounts`, {
        body: { metadata: { name: 'reader' } },
      });
      assert.equal(sa.status, 201, sa.text);
      const asReader = { 'Impersonate-User': `system:serviceaccount:${NS}:reader` };
      const denied = await api.request<Status>('GET', `/api/v1/namespaces/${NS}/pods`, { headers: asReader });
      assert.equal(denied.status, 403, denied.text);
      assert.match(
        denied.body?.message ?? '',
        /system:serviceaccount:pp-devcluster-itest:reader.*cannot list resource "pods"/,
      );

      // A real token from the TokenRequest API (the apiserver's service-account signing key) is denied too.
      const tr = await api.request<TokenRequest>(
        'POST',
        `/api/v1/namespaces/${NS}/serviceaccounts/reader/token`,
        {
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: { expirationSeconds: 600 },
          },
        },
      );
      assert.equal(tr.status, 201, tr.text);
      const token = tr.body?.status?.token ?? '';
      assert.equal(await getWithToken(cluster, `/api/v1/namespaces/${NS}/pods`, token), 403);

      const role = await api.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, {
        body: {
          metadata: { name: 'pod-reader' },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
        },
      });
      assert.equal(role.status, 201, role.text);
      const binding = await api.request(
        'POST',
        `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`,
        {
          body: {
            metadata: { name: 'reader-reads-pods' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
            subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: NS }],
          },
        },
      );
      assert.equal(binding.status, 201, binding.text);
      await eventually('the bound ServiceAccount listing pods', 10_000, async () => {
        const res = await api.request('GET', `/api/v1/namespaces/${NS}/pods`, { headers: asReader });
        return res.status === 200 ? true : undefined;
      });
      assert.equal(await getWithToken(cluster, `/api/v1/namespaces/${NS}/pods`, token), 200);
      const other = await api.request('GET', '/api/v1/namespaces/default/pods', { headers: asReader });
      assert.equal(other.status, 403, 'a Role binds in its own namespace only');
    }),
  );

  it(
    "garbage-collects a deleted Deployment's ReplicaSet and pods",
    withEvidence(async () => {
      const api = cluster.client;
      const del = await api.request('DELETE', `/apis/apps/v1/namespaces/${NS}/deployments/web`, {
        body: { propagationPolicy: 'Background' },
      });
      assert.equal(del.status, 200, del.text);
      await eventually('the ReplicaSet and pods gone', 60_000, async () => {
        const rs = await api.request<{ items: unknown[] }>(
          'GET',
          `/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3Dweb`,
        );
        const pods = await api.request<PodList>(
          'GET',
          `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`,
        );
        return rs.body?.items.length === 0 && pods.body?.items.length === 0 ? true : undefined;
      });
    }),
  );

  it(
    'finishes deleting a namespace that holds running pods (namespace controller + kwok)',
    withEvidence(async () => {
      const api = cluster.client;
      assert.equal(
        (await api.request('POST', '/api/v1/namespaces', { body: { metadata: { name: DOOMED_NS } } })).status,
        201,
      );
      await api.request('POST', `/apis/apps/v1/namespaces/${DOOMED_NS}/deployments`, {
        body: deployment('doomed', 1),
      });
      await api.request('POST', `/api/v1/namespaces/${DOOMED_NS}/configmaps`, {
        body: { metadata: { name: 'c' }, data: { k: 'v' } },
      });
      await eventually('the doomed pod Running', 60_000, async () => {
        const res = await api.request<PodList>('GET', `/api/v1/namespaces/${DOOMED_NS}/pods`);
        return res.body?.items.some((p) => p.status?.phase === 'Running');
      });
      const del = await api.request('DELETE', `/api/v1/namespaces/${DOOMED_NS}`);
      assert.equal(del.status, 200, del.text);
      await eventually('the namespace gone', 90_000, async () => {
        const res = await api.request('GET', `/api/v1/namespaces/${DOOMED_NS}`);
        return res.status === 404 ? true : undefined;
      });
    }),
  );

  it(
    'stops every component and leaves no process and no work dir behind',
    withEvidence(async () => {
      assert.deepEqual(cluster.exitedComponents(), [], 'no component died during the tests');
      assert.deepEqual(
        cluster.components.map((c) => c.name),
        [...COMPONENTS],
      );
      const pids = cluster.components.map((c) => c.pid);
      for (const pid of pids) assert.ok(isAlive(pid), `pid ${pid} runs before stop`);
      await cluster.stop();
      for (const pid of pids) {
        assert.ok(!isAlive(pid), `pid ${pid} is gone`);
        assert.throws(() => process.kill(-pid, 0), { code: 'ESRCH' }, `process group ${pid} is empty`);
      }
      assert.equal(existsSync(cluster.dir), false);
    }),
  );
});
