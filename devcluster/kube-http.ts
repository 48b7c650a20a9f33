/**
 * A deliberately thin Kubernetes API client for the harness and its tests: one HTTPS request with the
 * admin client certificate, JSON in and out, optional extra headers (e.g. `Impersonate-User`). No
 * retries, no watches: the operator has its own client; this one only starts and checks the cluster.
 */
import { Agent, request } from 'node:https';
import type { ClientTls } from './certs.ts';

/** What the apiserver answered: the status code, the parsed JSON body (or null) and the raw text. */
export interface KubeResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: API objects are read field by field in tests.
  body: any;
  text: string;
}

/** Options of one request. */
export interface KubeRequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to `application/json`; use `application/merge-patch+json` etc. for PATCH. */
  contentType?: string;
  timeoutMs?: number;
}

/** A client bound to one apiserver and identity. */
export interface KubeClient {
  server: string;
  request(method: string, path: string, options?: KubeRequestOptions): Promise<KubeResponse>;
  /** Closes idle keep-alive sockets so the process can exit. */
  close(): void;
}

/** A client for `server` (`https://127.0.0.1:PORT`) authenticating with the admin certificate. */
export function kubeClient(server: string, tls: ClientTls): KubeClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: tls.ca, cert: tls.cert, key: tls.key });
  const base = new URL(server);
  return {
    server,
    request(method, path, options = {}) {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      if (payload !== undefined) {
        headers['content-type'] = options.contentType ?? 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      return new Promise((resolve, reject) => {
        const req = request(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method,
            path,
            headers,
            timeout: options.timeoutMs ?? 15_000,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let body: unknown = null;
              if ((res.headers['content-type'] ?? '').includes('json')) {
                try {
                  body = JSON.parse(text);
                } catch {
                  body = null;
                }
              }
              resolve({ status: res.statusCode ?? 0, body, text });
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on('error', reject);
        req.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
