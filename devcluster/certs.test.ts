import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiserverSans, extensionsConfig, subjectArg } from './certs.ts';

describe('certificate profiles', () => {
  it('writes the organisation (the Kubernetes group) before the common name', () => {
    assert.equal(subjectArg({ cn: 'admin', o: ['system:masters'] }), '/O=system:masters/CN=admin');
  });

  it('escapes slashes in subject values', () => {
    assert.equal(subjectArg({ cn: 'a/b' }), '/CN=a\\/b');
  });

  it('covers loopback and every in-cluster name of the apiserver', () => {
    const sans = apiserverSans('10.96.0.1');
    for (const want of ['IP:127.0.0.1', 'DNS:localhost', 'DNS:kubernetes.default.svc', 'IP:10.96.0.1']) {
      assert.ok(sans.includes(want), want);
    }
  });

  it('marks the CA as a CA and leaves it without extended key usage', () => {
    const text = extensionsConfig('ca');
    assert.match(text, /basicConstraints = critical,CA:TRUE/);
    assert.match(text, /keyCertSign/);
    assert.doesNotMatch(text, /extendedKeyUsage/);
  });

  it('gives a server certificate serverAuth and its SANs, a client certificate clientAuth only', () => {
    const server = extensionsConfig('server', ['IP:127.0.0.1', 'DNS:localhost']);
    assert.match(server, /extendedKeyUsage = serverAuth/);
    assert.match(server, /subjectAltName = IP:127\.0\.0\.1,DNS:localhost/);
    const client = extensionsConfig('client');
    assert.match(client, /extendedKeyUsage = clientAuth/);
    assert.doesNotMatch(client, /subjectAltName/);
  });
});
