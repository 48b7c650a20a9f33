/**
 * The OTLP receiver of `pushpull bench emit`: accepts metric exports over OTLP/HTTP (protobuf, POST
 * /v1/metrics) and OTLP/gRPC (h2c, the MetricsService/Export unary call) and answers each with an empty
 * success, counting requests and bytes. It decodes nothing: the bench measures what emitting costs the
 * producer, not what a collector does with the data (the real otelcol is exercised by `pushpull run`).
 * Its own process, so receiving never shares the producer's event loop. Started by bench/emit.ts:
 *
 *   node bench/otlp-sink.ts
 *
 * Prints {"event":"listening","http":port,"grpc":port}; GET /stats on the HTTP port answers
 * {"requests":n,"bytes":n,"grpcRequests":n,"grpcBytes":n}. Exits when its stdin closes.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createH2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';

const EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
const stats = { requests: 0, bytes: 0, grpcRequests: 0, grpcBytes: 0 };

const http = createHttpServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  let n = 0;
  req.on('data', (chunk: Buffer) => {
    n += chunk.length;
  });
  req.on('end', () => {
    stats.requests++;
    stats.bytes += n;
    // An empty body is an empty ExportMetricsServiceResponse: full success.
    res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
    res.end();
  });
});

// gRPC framing: each message is 1 byte "compressed" flag + 4 bytes big-endian length; an empty response
// message is those 5 zero bytes, and the call's status travels in the trailers.
const EMPTY_GRPC_MESSAGE = Buffer.alloc(5);
const grpc = createH2Server();
grpc.on('stream', (stream, headers) => {
  let n = 0;
  stream.on('data', (chunk: Buffer) => {
    n += chunk.length;
  });
  stream.on('error', () => {});
  stream.on('end', () => {
    if (headers[':path'] !== EXPORT_PATH) {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12' });
      stream.end();
      return;
    }
    stats.grpcRequests++;
    stats.grpcBytes += n;
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(EMPTY_GRPC_MESSAGE);
  });
});

const listen = (server: { listen(port: number, host: string, cb: () => void): unknown }) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
await listen(http);
await listen(grpc);
process.stdout.write(
  `${JSON.stringify({
    event: 'listening',
    http: (http.address() as AddressInfo).port,
    grpc: (grpc.address() as AddressInfo).port,
  })}\n`,
);
process.stdin.resume();
process.stdin.on('close', () => process.exit(0));
