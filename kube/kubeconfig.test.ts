import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inClusterTarget, type KubeconfigFile, resolveKubeconfig } from './kubeconfig.ts';
import { KubeconfigError } from './kubeconfig-error.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');
const fixture = (name: string): KubeconfigFile => {
  const path = join(TESTDATA, name);
  return { path, text: readFileSync(path, 'utf8') };
};
const inline = (text: string, path = '/home/me/.kube/config'): KubeconfigFile[] => [{ path, text }];

/** A minimal valid kubeconfig whose cluster and user bodies the test supplies (YAML flow maps). */
function withBodies(cluster: string, user = '{}'): KubeconfigFile[] {
  return inline(
    [
      `clusters: [{name: c, cluster: ${cluster}}]`,
      `users: [{name: u, user: ${user}}]`,
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n'),
  );
}

function rejects(files: KubeconfigFile[], pattern: RegExp): void {
  assert.throws(
    () => resolveKubeconfig(files),
    (err: unknown) => {
      assert.ok(err instanceof KubeconfigError, String(err));
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('resolveKubeconfig', () => {
  it('reads the embedded CA and client certificate the dev cluster writes', () => {
    const t = resolveKubeconfig([fixture('embedded-certs.yaml')]);
    assert.equal(t.server, 'https://127.0.0.1:6443');
    assert.ok(t.ca && 'data' in t.ca);
    assert.match(t.ca.data.toString(), /fixture-ca/);
    assert.ok(t.clientCert && 'data' in t.clientCert);
    assert.match(t.clientCert.data.toString(), /fixture-client/);
    assert.ok(t.clientKey && 'data' in t.clientKey);
    assert.match(t.clientKey.data.toString(), /fixture-key/);
    assert.equal(t.insecureSkipTlsVerify, false);
    assert.equal(t.namespace, undefined);
    assert.equal(t.token, undefined);
    assert.match(t.origin, /embedded-certs\.yaml, context dev$/);
  });

  it('follows current-context and resolves relative paths against the kubeconfig file', () => {
    const t = resolveKubeconfig([fixture('file-paths.yaml')]);
    assert.equal(t.server, 'https://staging.example.test:6443');
    assert.equal(t.namespace, 'rehearsal');
    assert.equal(t.tlsServerName, 'kubernetes.default');
    assert.deepEqual(t.ca, {
      field: `${join(TESTDATA, 'file-paths.yaml')}: clusters[0].cluster.certificate-authority`,
      file: join(TESTDATA, 'pki/ca.crt'),
    });
    assert.ok(t.clientCert && 'file' in t.clientCert);
    assert.equal(t.clientCert.file, join(TESTDATA, 'pki/client.crt'));
    assert.ok(t.clientKey && 'file' in t.clientKey);
    assert.equal(t.clientKey.file, '/etc/pushpull/client.key');
    assert.equal(t.tokenFile, join(TESTDATA, 'token'));
    assert.match(t.tokenFileField ?? '', /users\[0\]\.user\.tokenFile$/);
  });

  it('reads a bearer token and insecure-skip-tls-verify', () => {
    const t = resolveKubeconfig([fixture('token-insecure.yaml')]);
    assert.equal(t.token, 'fixture-token-abc');
    assert.equal(t.insecureSkipTlsVerify, true);
    assert.equal(t.ca, undefined);
  });

  it('merges several files as $KUBECONFIG does: the first to define a name or current-context wins', () => {
    const t = resolveKubeconfig([fixture('merge-first.yaml'), fixture('merge-second.yaml')]);
    assert.equal(t.server, 'https://first.example.test');
    assert.equal(t.token, 'fixture-second-token');
    assert.match(t.origin, /merge-first\.yaml, context work$/);
  });

  it("reads a cloud provider's exec credential plugin, v1beta1 defaults included", () => {
    const t = resolveKubeconfig([fixture('exec-plugin.yaml')]);
    assert.equal(t.server, 'https://34.0.0.1');
    assert.deepEqual(t.exec, {
      field: `${join(TESTDATA, 'exec-plugin.yaml')}: users[0].user.exec`,
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'gke-gcloud-auth-plugin',
      args: [],
      env: [],
      installHint:
        'Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin',
      provideClusterInfo: true,
      interactiveMode: 'IfAvailable',
    });
    assert.deepEqual(t.execClusterConfig, { audience: 'fixture' });
    assert.equal(t.token, undefined);
  });

  it('resolves an exec command with a slash against the kubeconfig, and keeps a bare name for PATH', () => {
    const exec = (command: string) =>
      resolveKubeconfig(
        withBodies(
          '{server: https://h}',
          `{exec: {apiVersion: client.authentication.k8s.io/v1, command: "${command}", interactiveMode: Never, args: [a, b], env: [{name: K, value: v}]}}`,
        ),
      ).exec;
    assert.equal(exec('./bin/plugin')?.command, '/home/me/.kube/bin/plugin');
    assert.equal(exec('/opt/plugin')?.command, '/opt/plugin');
    assert.equal(exec('aws')?.command, 'aws');
    assert.deepEqual(exec('aws')?.args, ['a', 'b']);
    assert.deepEqual(exec('aws')?.env, [{ name: 'K', value: 'v' }]);
  });

  it('names the exec field that is wrong and what is allowed', () => {
    const user = (exec: string) => withBodies('{server: https://h}', `{exec: ${exec}}`);
    rejects(
      user('{command: aws}'),
      /users\[0\]\.user\.exec\.apiVersion: not set; expected one of client\.authentication\.k8s\.io\/v1, client\.authentication\.k8s\.io\/v1beta1/,
    );
    rejects(
      user('{apiVersion: client.authentication.k8s.io/v1alpha1, command: aws}'),
      /exec\.apiVersion: "client\.authentication\.k8s\.io\/v1alpha1" is not supported/,
    );
    rejects(
      user('{apiVersion: client.authentication.k8s.io/v1beta1}'),
      /exec\.command: expected the plugin's program name or path, got nothing/,
    );
    rejects(
      user('{apiVersion: client.authentication.k8s.io/v1, command: aws}'),
      /exec\.interactiveMode: required with client\.authentication\.k8s\.io\/v1; set one of Never, IfAvailable, Always/,
    );
    rejects(
      user('{apiVersion: client.authentication.k8s.io/v1beta1, command: aws, interactiveMode: Sometimes}'),
      /exec\.interactiveMode: "Sometimes" is not allowed; expected one of Never, IfAvailable, Always/,
    );
    rejects(
      user('{apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: eks}'),
      /exec\.args: expected a list of strings, got a string/,
    );
    rejects(
      user('{apiVersion: client.authentication.k8s.io/v1beta1, command: aws, env: [{name: K}]}'),
      /exec\.env\[0\]: expected \{name: STRING, value: STRING\}/,
    );
    rejects(
      user('{apiVersion: client.authentication.k8s.io/v1beta1, command: aws, arg: [x]}'),
      /exec\.arg: unknown field; allowed: apiVersion, command, args/,
    );
    rejects(
      withBodies(
        '{server: https://h}',
        '{token: t, exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}}',
      ),
      /users\[0\]\.user\.exec: set together with token; keep one/,
    );
  });

  it('rejects an auth-provider plugin and basic authentication', () => {
    rejects(
      [fixture('auth-provider.yaml')],
      /users\[0\]\.user\.auth-provider: auth-provider plugins are not supported/,
    );
    rejects([fixture('basic-auth.yaml')], /users\[0\]\.user\.username: basic authentication/);
  });

  it('never repeats a secret in a message', () => {
    assert.throws(
      () => resolveKubeconfig([fixture('basic-auth.yaml')]),
      (err: Error) => !err.message.includes('fixture-password'),
    );
    assert.throws(
      () => resolveKubeconfig(withBodies('{server: https://h}', '{token: 12345}')),
      (err: Error) =>
        /user\.token: expected a string, got a number/.test(err.message) && !err.message.includes('12345'),
    );
  });

  it('asks for a current context when there is none', () => {
    rejects(
      [fixture('no-current-context.yaml')],
      /current-context is not set; choose one with `kubectl config use-context NAME`/,
    );
  });

  it('names a context, cluster or user that does not exist, and lists what does', () => {
    rejects(
      inline('contexts: [{name: a, context: {cluster: c}}]\ncurrent-context: b'),
      /current-context: "b" names no entry of contexts \(have: a\)/,
    );
    rejects(
      inline('contexts: [{name: a, context: {cluster: c}}]\ncurrent-context: a'),
      /contexts\[0\]\.context\.cluster: "c" names no entry of clusters \(have: none\)/,
    );
    rejects(
      inline(
        'clusters: [{name: c, cluster: {server: "https://h"}}]\ncontexts: [{name: a, context: {cluster: c, user: nobody}}]\ncurrent-context: a',
      ),
      /contexts\[0\]\.context\.user: "nobody" names no entry of users/,
    );
    rejects(inline('contexts: [{name: a, context: {}}]\ncurrent-context: a'), /context "a" names no cluster/);
  });

  it('accepts a context without a user (anonymous)', () => {
    const t = resolveKubeconfig(
      inline(
        'clusters: [{name: c, cluster: {server: "http://127.0.0.1:8080"}}]\ncontexts: [{name: a, context: {cluster: c}}]\ncurrent-context: a',
      ),
    );
    assert.equal(t.server, 'http://127.0.0.1:8080');
    assert.equal(t.token, undefined);
    assert.equal(t.clientCert, undefined);
  });

  it('rejects a server that is missing, not a URL, or not http(s)', () => {
    rejects(withBodies('{}'), /clusters\[0\]\.cluster\.server: not set; expected an https:\/\/ URL/);
    rejects(
      withBodies('{server: "ftp://h:6443"}'),
      /cluster\.server: "ftp:\/\/h:6443" is not allowed; expected an https:\/\//,
    );
    rejects(withBodies('{server: "127.0.0.1:6443"}'), /cluster\.server: "127\.0\.0\.1:6443" is not a URL/);
  });

  it('rejects conflicting or incomplete TLS settings, as client-go does', () => {
    rejects(
      withBodies('{server: "https://h", certificate-authority: ca.crt, certificate-authority-data: QUJD}'),
      /cluster\.certificate-authority and certificate-authority-data are both set; keep one/,
    );
    rejects(
      withBodies('{server: "https://h", insecure-skip-tls-verify: true, certificate-authority-data: QUJD}'),
      /insecure-skip-tls-verify: true together with certificate-authority\[-data\] is not allowed/,
    );
    rejects(
      withBodies('{server: "https://h", insecure-skip-tls-verify: "yes"}'),
      /insecure-skip-tls-verify: expected true or false, got a string/,
    );
    rejects(
      withBodies('{server: "https://h"}', '{client-certificate-data: QUJD}'),
      /user\.client-key: not set/,
    );
    rejects(withBodies('{server: "https://h"}', '{client-key: k.pem}'), /user\.client-certificate: not set/);
    rejects(
      withBodies('{server: "https://h", certificate-authority-data: "not base64!"}'),
      /certificate-authority-data: not valid base64/,
    );
  });

  it('rejects proxy-url and impersonation rather than ignoring them', () => {
    rejects(
      withBodies('{server: "https://h", proxy-url: "http://proxy:3128"}'),
      /cluster\.proxy-url: proxy-url is not supported/,
    );
    rejects(
      withBodies('{server: "https://h"}', '{token: t, as: someone}'),
      /user\.as: impersonation is not supported/,
    );
  });

  it('reports YAML and shape errors with the file', () => {
    rejects(inline('clusters: [\n', '/tmp/broken'), /^\/tmp\/broken: not valid YAML/);
    rejects(inline('- a\n- b\n', '/tmp/list'), /^\/tmp\/list: expected a kubeconfig map, got a list/);
    rejects(inline('clusters: {a: 1}\n'), /clusters: expected a list, got a object/);
    rejects(inline('users: [{user: {}}]\n'), /users\[0\]\.name: expected a non-empty string/);
  });

  it('skips an empty file in a list', () => {
    const t = resolveKubeconfig([{ path: '/empty', text: '' }, fixture('token-insecure.yaml')]);
    assert.equal(t.server, 'https://10.0.0.1:6443');
  });
});

describe('inClusterTarget', () => {
  it('points at the kubernetes Service with the pod CA and a token file', () => {
    const t = inClusterTarget({ host: '10.96.0.1', port: '443', namespace: 'pushpull-system' });
    assert.equal(t.server, 'https://10.96.0.1:443');
    assert.equal(t.namespace, 'pushpull-system');
    assert.deepEqual(t.ca, {
      field: 'in-cluster ca.crt',
      file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    });
    assert.equal(t.tokenFile, '/var/run/secrets/kubernetes.io/serviceaccount/token');
    assert.equal(t.insecureSkipTlsVerify, false);
  });

  it('brackets an IPv6 service host', () => {
    assert.equal(
      inClusterTarget({ host: 'fd00::1', port: '443', namespace: undefined }).server,
      'https://[fd00::1]:443',
    );
  });
});
