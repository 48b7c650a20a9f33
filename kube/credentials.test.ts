import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CredentialsFs, chooseSource, loadCredentials } from './credentials.ts';
import { KubeconfigError } from './kubeconfig-error.ts';

/** An in-memory file table; `files` can be changed between calls (a rotated token). */
function memFs(files: Record<string, string>): CredentialsFs {
  const get = (p: string): Buffer => {
    const text = files[p];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return Buffer.from(text);
  };
  return { readFileSync: get, existsSync: (p) => p in files, readFile: async (p) => get(p) };
}

const KUBECONFIG = (server: string, user = '{token: t0}') =>
  [
    `clusters: [{name: c, cluster: {server: "${server}"}}]`,
    `users: [{name: u, user: ${user}}]`,
    'contexts: [{name: x, context: {cluster: c, user: u, namespace: ns1}}]',
    'current-context: x',
  ].join('\n');

const SA = '/sa';
const IN_CLUSTER_ENV = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

describe('chooseSource', () => {
  const fs = memFs({ '/home/me/.kube/config': 'x', '/a': 'x', '/b': 'x' });

  it('uses an explicit file and nothing else', () => {
    assert.deepEqual(chooseSource({ kubeconfig: '/x', env: { KUBECONFIG: '/a' }, home: '/home/me' }, fs), {
      kind: 'files',
      paths: ['/x'],
    });
  });

  it('uses every existing file of $KUBECONFIG, in order, once', () => {
    assert.deepEqual(chooseSource({ env: { KUBECONFIG: '/b::/missing:/a:/b' }, home: '/home/me' }, fs), {
      kind: 'files',
      paths: ['/b', '/a'],
    });
  });

  it('fails when $KUBECONFIG lists no existing file', () => {
    assert.throws(
      () => chooseSource({ env: { KUBECONFIG: '/missing' }, home: '/home/me' }, fs),
      /KUBECONFIG=\/missing: none of the files it lists exists/,
    );
  });

  it('prefers ~/.kube/config over the in-cluster service account, as kubectl does', () => {
    assert.deepEqual(chooseSource({ env: IN_CLUSTER_ENV, home: '/home/me' }, fs), {
      kind: 'files',
      paths: ['/home/me/.kube/config'],
    });
    assert.deepEqual(chooseSource({ env: IN_CLUSTER_ENV, home: '/nobody' }, fs), { kind: 'in-cluster' });
  });

  it('says what to do when there is no cluster at all', () => {
    assert.throws(
      () => chooseSource({ env: {}, home: '/nobody' }, fs),
      /no Kubernetes cluster configured: pass --kubeconfig FILE, set KUBECONFIG, create ~\/\.kube\/config, or run in a pod/,
    );
  });
});

describe('loadCredentials', () => {
  it('reads the TLS files a kubeconfig names, relative to it', async () => {
    const fs = memFs({
      '/cfg/kubeconfig': KUBECONFIG(
        'https://h:6443',
        '{client-certificate: pki/c.crt, client-key: pki/c.key}',
      ).replace(
        'server: "https://h:6443"',
        'server: "https://h:6443", certificate-authority: ca.crt, tls-server-name: api',
      ),
      '/cfg/ca.crt': 'CA',
      '/cfg/pki/c.crt': 'CERT',
      '/cfg/pki/c.key': 'KEY',
    });
    const c = loadCredentials({ kubeconfig: '/cfg/kubeconfig', fs });
    assert.equal(c.server, 'https://h:6443');
    assert.equal(c.namespace, 'ns1');
    assert.equal(c.inCluster, false);
    assert.equal(c.tls.ca?.toString(), 'CA');
    assert.equal(c.tls.cert?.toString(), 'CERT');
    assert.equal(c.tls.key?.toString(), 'KEY');
    assert.equal(c.tls.servername, 'api');
    assert.equal(c.tls.rejectUnauthorized, true);
    assert.equal((await c.auth()).authorization, undefined);
  });

  it('names the kubeconfig field of a TLS file it cannot read', () => {
    const fs = memFs({
      '/k': KUBECONFIG('https://h', '{client-certificate: /nope.crt, client-key: /nope.key}'),
    });
    assert.throws(
      () => loadCredentials({ kubeconfig: '/k', fs }),
      (err: unknown) =>
        err instanceof KubeconfigError &&
        /^\/k: users\[0\]\.user\.client-certificate \/nope\.crt: cannot read \(ENOENT\)$/.test(err.message),
    );
  });

  it('names an explicit kubeconfig it cannot read', () => {
    assert.throws(
      () => loadCredentials({ kubeconfig: '/missing', fs: memFs({}) }),
      /kubeconfig \/missing: cannot read \(ENOENT\)/,
    );
  });

  it('sends a kubeconfig token as a bearer token', async () => {
    const c = loadCredentials({ kubeconfig: '/k', fs: memFs({ '/k': KUBECONFIG('https://h') }) });
    assert.equal((await c.auth()).authorization, 'Bearer t0');
  });

  it('never asks again for a static token the server refused (only an exec plugin can do better)', async () => {
    const c = loadCredentials({ kubeconfig: '/k', fs: memFs({ '/k': KUBECONFIG('https://h') }) });
    assert.equal(c.rejected(await c.auth()), false);
  });

  it('runs no exec plugin until a request needs a credential', () => {
    const user =
      '{exec: {apiVersion: client.authentication.k8s.io/v1, command: /nonexistent/plugin, interactiveMode: Never}}';
    const c = loadCredentials({ kubeconfig: '/k', fs: memFs({ '/k': KUBECONFIG('https://h', user) }) });
    assert.equal(c.server, 'https://h');
    assert.equal(c.tls.cert, undefined);
  });

  it('uses the pod service account in a cluster and reads the token before every request', async () => {
    const files: Record<string, string> = {
      [`${SA}/token`]: 'first\n',
      [`${SA}/ca.crt`]: 'POD-CA',
      [`${SA}/namespace`]: 'pushpull-system',
    };
    const c = loadCredentials({
      env: IN_CLUSTER_ENV,
      home: '/nobody',
      serviceAccountDir: SA,
      fs: memFs(files),
    });
    assert.equal(c.inCluster, true);
    assert.equal(c.server, 'https://10.96.0.1:443');
    assert.equal(c.namespace, 'pushpull-system');
    assert.equal(c.tls.ca?.toString(), 'POD-CA');
    assert.equal((await c.auth()).authorization, 'Bearer first');
    files[`${SA}/token`] = 'rotated';
    assert.equal((await c.auth()).authorization, 'Bearer rotated');
    // A failed read (mid-rotation) keeps the last token, as client-go does.
    delete files[`${SA}/token`];
    assert.equal((await c.auth()).authorization, 'Bearer rotated');
  });

  it('fails at startup when the in-cluster token file is missing', () => {
    assert.throws(
      () =>
        loadCredentials({
          env: IN_CLUSTER_ENV,
          home: '/nobody',
          serviceAccountDir: SA,
          fs: memFs({ [`${SA}/ca.crt`]: 'CA' }),
        }),
      /in-cluster token \/sa\/token: cannot read \(ENOENT\)/,
    );
  });

  it('prefers a token file over a token (client-go: the file is the fresher one)', async () => {
    const fs = memFs({ '/k': KUBECONFIG('https://h', '{token: stale, tokenFile: tok}'), '/tok': 'fresh' });
    assert.equal((await loadCredentials({ kubeconfig: '/k', fs }).auth()).authorization, 'Bearer fresh');
  });
});
