import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { KUBECONFIG_CONTEXT, renderKubeconfig } from './kubeconfig.ts';

describe('renderKubeconfig', () => {
  const tls = { ca: Buffer.from('CA'), cert: Buffer.from('CERT'), key: Buffer.from('KEY') };
  const doc = parse(renderKubeconfig('https://127.0.0.1:1234', tls));

  it('selects its one context by default', () => {
    assert.equal(doc['current-context'], KUBECONFIG_CONTEXT);
    assert.equal(doc.contexts[0].context.cluster, KUBECONFIG_CONTEXT);
    assert.equal(doc.contexts[0].context.user, KUBECONFIG_CONTEXT);
  });

  it('embeds the server, the CA and the client certificate as base64', () => {
    assert.equal(doc.clusters[0].cluster.server, 'https://127.0.0.1:1234');
    assert.equal(
      Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
      'CA',
    );
    assert.equal(Buffer.from(doc.users[0].user['client-certificate-data'], 'base64').toString(), 'CERT');
    assert.equal(Buffer.from(doc.users[0].user['client-key-data'], 'base64').toString(), 'KEY');
  });
});
