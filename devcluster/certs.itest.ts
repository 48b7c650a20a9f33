import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ADMIN_GROUP, ADMIN_USER, type ClusterCerts, createClusterCerts } from './certs.ts';

describe('createClusterCerts (real openssl)', () => {
  let dir = '';
  let certs: ClusterCerts;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushpull-certs-'));
    certs = await createClusterCerts(join(dir, 'pki'), '10.96.0.1');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (path: string) => new X509Certificate(await readFile(path));

  it('makes a self-signed CA', async () => {
    const ca = await load(certs.caCert);
    assert.equal(ca.ca, true);
    assert.ok(ca.verify(ca.publicKey));
  });

  it('signs an apiserver certificate valid for loopback and the kubernetes Service', async () => {
    const ca = await load(certs.caCert);
    const server = await load(certs.apiserverCert);
    assert.ok(server.verify(ca.publicKey));
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkIP('10.96.0.1'), '10.96.0.1');
    assert.equal(server.checkHost('kubernetes.default.svc'), 'kubernetes.default.svc');
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  });

  it('signs an admin client certificate in system:masters', async () => {
    const admin = await load(certs.adminCert);
    assert.ok(admin.verify((await load(certs.caCert)).publicKey));
    assert.match(admin.subject, new RegExp(`O=${ADMIN_GROUP}`));
    assert.match(admin.subject, new RegExp(`CN=${ADMIN_USER}`));
    assert.deepEqual(admin.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.equal(admin.checkPrivateKey(createPrivateKey(await readFile(certs.adminKey))), true);
  });

  it('passes openssl verify against the CA', () => {
    const out = execFileSync(
      'openssl',
      ['verify', '-CAfile', certs.caCert, certs.apiserverCert, certs.adminCert],
      {
        encoding: 'utf8',
      },
    );
    assert.match(out, /apiserver\.crt: OK/);
    assert.match(out, /admin\.crt: OK/);
  });

  it('writes a service-account key pair whose halves match', async () => {
    const priv = createPrivateKey(await readFile(certs.serviceAccountKey));
    const pub = createPublicKey(await readFile(certs.serviceAccountPub));
    assert.equal(
      createPublicKey(priv).export({ format: 'pem', type: 'spki' }),
      pub.export({ format: 'pem', type: 'spki' }),
    );
  });
});
