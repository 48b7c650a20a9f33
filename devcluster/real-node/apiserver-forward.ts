/**
 * Pods reach the apiserver the standard way, through the `kubernetes` Service (10.96.0.1:443): the dev
 * apiserver listens on loopback only, so this forwards TCP from the node IP to it (TLS stays end to
 * end: the serving certificate names 10.96.0.1), and an EndpointSlice points the Service at the
 * forwarder. It lives in the process that owns the cluster and dies with it. Called by start.ts.
 */
import { createConnection, createServer, type Server } from 'node:net';
import type { KubeApi } from '../../kube/client.ts';
import { DevClusterError } from '../errors.ts';
import { APISERVER_FORWARD_PORT, NODE_IP } from './layout.ts';

/** Forwards NODE_IP:APISERVER_FORWARD_PORT to 127.0.0.1:`apiserverPort`; resolves once listening. */
export function startApiserverForward(apiserverPort: number): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = createConnection({ host: '127.0.0.1', port: apiserverPort });
    inbound.pipe(outbound).pipe(inbound);
    const end = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', end);
    outbound.on('error', end);
    inbound.on('close', end);
    outbound.on('close', end);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(new DevClusterError(`apiserver forwarder on ${NODE_IP}: ${e.message}`)),
    );
    server.listen(APISERVER_FORWARD_PORT, NODE_IP, () => resolve(server));
  });
}

/** Pure: the EndpointSlice that makes the `kubernetes` Service lead to the forwarder. */
export function kubernetesEndpointSlice(): Record<string, unknown> {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kubernetes-real-node',
      namespace: 'default',
      labels: {
        'kubernetes.io/service-name': 'kubernetes',
        'endpointslice.kubernetes.io/managed-by': 'pushpull.dev-real-node',
      },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [NODE_IP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: APISERVER_FORWARD_PORT, protocol: 'TCP' }],
  };
}

/** Creates (or keeps) the EndpointSlice. */
export async function publishKubernetesEndpoint(client: KubeApi): Promise<void> {
  const res = await client.request('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
    body: kubernetesEndpointSlice(),
  });
  if (res.status !== 201 && res.status !== 409)
    throw new DevClusterError(`creating the kubernetes EndpointSlice: HTTP ${res.status} ${res.text}`);
}
