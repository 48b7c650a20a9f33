import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecConfig } from './exec-config.ts';
import { execInfo, interactiveFor, isExpired, parseExecOutput } from './exec-credential.ts';
import { KubeconfigError } from './kubeconfig-error.ts';

const V1 = 'client.authentication.k8s.io/v1';
const config: ExecConfig = {
  field: '/k: users[0].user.exec',
  apiVersion: V1,
  command: 'aws',
  args: ['eks', 'get-token'],
  env: [],
  provideClusterInfo: false,
  interactiveMode: 'Never',
};
const output = (status: unknown, apiVersion = V1) =>
  JSON.stringify({ apiVersion, kind: 'ExecCredential', status });

function rejects(stdout: string, pattern: RegExp): void {
  assert.throws(
    () => parseExecOutput(config, stdout),
    (err: unknown) => {
      assert.ok(err instanceof KubeconfigError, String(err));
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('parseExecOutput', () => {
  it('reads a token and its expiry', () => {
    assert.deepEqual(
      parseExecOutput(config, output({ token: 't', expirationTimestamp: '2026-12-01T09:00:00Z' })),
      {
        token: 't',
        expiresAtMs: Date.parse('2026-12-01T09:00:00Z'),
      },
    );
  });

  it('reads a client certificate and key as PEM bytes, without expiry when none is given', () => {
    const r = parseExecOutput(
      config,
      output({ clientCertificateData: 'CERT PEM', clientKeyData: 'KEY PEM' }),
    );
    assert.equal(r.clientCert?.toString(), 'CERT PEM');
    assert.equal(r.clientKey?.toString(), 'KEY PEM');
    assert.equal(r.token, undefined);
    assert.equal(r.expiresAtMs, undefined);
  });

  it('names the plugin and what is wrong with its answer', () => {
    rejects(
      '',
      /users\[0\]\.user\.exec: the plugin "aws" printed no ExecCredential JSON on stdout \(got nothing\)/,
    );
    rejects('Please log in', /printed no ExecCredential JSON on stdout \(got 13 bytes of other text\)/);
    rejects('[]', /printed a list; expected an ExecCredential object/);
    rejects(
      JSON.stringify({ apiVersion: V1, kind: 'Secret' }),
      /printed kind "Secret"; expected ExecCredential/,
    );
    rejects(
      output({ token: 't' }, 'client.authentication.k8s.io/v1beta1'),
      /answered with apiVersion "client\.authentication\.k8s\.io\/v1beta1", but .*exec\.apiVersion is client\.authentication\.k8s\.io\/v1; set exec\.apiVersion/,
    );
    rejects(JSON.stringify({ apiVersion: V1, kind: 'ExecCredential' }), /returned no status/);
    rejects(output({}), /returned neither status\.token nor status\.clientCertificateData\/clientKeyData/);
    rejects(
      output({ clientCertificateData: 'C' }),
      /returned status\.clientCertificateData without status\.clientKeyData/,
    );
    rejects(output({ token: 7 }), /returned status\.token as a number; expected a string/);
    rejects(
      output({ token: 't', expirationTimestamp: 'soon' }),
      /status\.expirationTimestamp "soon"; expected an RFC 3339 time/,
    );
  });

  it('never repeats the returned secret in a message', () => {
    assert.throws(
      () => parseExecOutput(config, output({ clientKeyData: 'SECRET-KEY' })),
      (err: Error) => !err.message.includes('SECRET-KEY'),
    );
  });
});

describe('isExpired', () => {
  const exp = Date.parse('2026-12-01T09:00:00Z');
  it('keeps a credential until its expirationTimestamp, and drops it from then on', () => {
    assert.equal(isExpired({ token: 't', expiresAtMs: exp }, exp - 1), false);
    assert.equal(isExpired({ token: 't', expiresAtMs: exp }, exp), true);
    assert.equal(isExpired({ token: 't', expiresAtMs: exp }, exp + 60_000), true);
  });

  it('keeps a credential without expiry for good (until the server answers 401)', () => {
    assert.equal(isExpired({ token: 't' }, Number.MAX_SAFE_INTEGER), false);
  });
});

describe('interactiveFor', () => {
  it('is interactive only with a terminal and a mode other than Never', () => {
    assert.equal(interactiveFor({ ...config, interactiveMode: 'IfAvailable' }, true), true);
    assert.equal(interactiveFor({ ...config, interactiveMode: 'IfAvailable' }, false), false);
    assert.equal(interactiveFor({ ...config, interactiveMode: 'Never' }, true), false);
    assert.equal(interactiveFor({ ...config, interactiveMode: 'Always' }, true), true);
  });

  it('refuses Always without a terminal and says what to do', () => {
    assert.throws(
      () => interactiveFor({ ...config, interactiveMode: 'Always' }, false),
      /exec\.interactiveMode: Always, but stdin is not a terminal; run from a terminal/,
    );
  });
});

describe('execInfo', () => {
  const cluster = {
    server: 'https://10.0.0.1:6443',
    tlsServerName: 'kubernetes',
    insecureSkipTlsVerify: false,
    certificateAuthorityData: Buffer.from('CA PEM'),
    config: { audience: 'x' },
  };

  it('tells the plugin whether it may prompt, and nothing about the cluster unless asked', () => {
    assert.deepEqual(JSON.parse(execInfo(config, { interactive: false, cluster })), {
      apiVersion: V1,
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
  });

  it('passes the cluster (server, CA as base64, extension config) with provideClusterInfo', () => {
    assert.deepEqual(
      JSON.parse(execInfo({ ...config, provideClusterInfo: true }, { interactive: true, cluster })),
      {
        apiVersion: V1,
        kind: 'ExecCredential',
        spec: {
          interactive: true,
          cluster: {
            server: 'https://10.0.0.1:6443',
            'tls-server-name': 'kubernetes',
            'certificate-authority-data': Buffer.from('CA PEM').toString('base64'),
            config: { audience: 'x' },
          },
        },
      },
    );
  });
});
