/**
 * Renders the dev cluster's admin kubeconfig: one cluster, one user, one context, with the CA and
 * the client certificate embedded so the file works wherever it is copied. Pure; devcluster/cluster.ts
 * writes the text, `pushpull dev-cluster up` prints its path.
 */
import { stringify } from 'yaml';
import type { ClientTls } from './certs.ts';

/** The context (and cluster and user) name the kubeconfig defines. */
export const KUBECONFIG_CONTEXT = 'pushpull-devcluster';

/** Pure: the kubeconfig YAML for `server` (an `https://127.0.0.1:PORT` URL) and the admin TLS material. */
export function renderKubeconfig(server: string, tls: ClientTls, name: string = KUBECONFIG_CONTEXT): string {
  const b64 = (b: Buffer) => b.toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': b64(tls.ca) } }],
    users: [{ name, user: { 'client-certificate-data': b64(tls.cert), 'client-key-data': b64(tls.key) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  });
}
