/**
 * The OTLP producers' per-request books: every request an exporter's transport sends (first attempts and
 * retries), with its data points and how the collector answered it — accepted, refused (a retryable
 * answer from the server: what otelcol's memory_limiter sends when it refuses data) or failed (no answer,
 * a timeout, a non-retryable status). otelcol counts per request too (`otelcol_receiver_{accepted,refused,
 * failed}_metric_points`), so the report can close the arm's books request by request. The arm
 * (loadgen/arms/otlp.ts) installs the watch; the classification is pure.
 */

/**
 * Per-process counts of requests and their data points; every counter only grows. A request is counted
 * sent when it is handed to the transport and answered when it settles, so requests still in flight when
 * the ledger is written are `requests − accepted − refused − failed` (their points count as sent: the
 * collector may have counted them already).
 */
export interface OtlpAttemptBooks {
  /** Requests sent: first attempts and retries. */
  requests: number;
  /** Data points in them; a retried request counts each time it is sent. */
  pointsSent: number;
  /** Requests the collector accepted, and their points. */
  accepted: number;
  pointsAccepted: number;
  /**
   * Requests the collector refused with a retryable answer (HTTP 429/502/503/504; gRPC RESOURCE_EXHAUSTED or
   * UNAVAILABLE — over gRPC a connection that could not be made is UNAVAILABLE too), and their points.
   */
  refused: number;
  pointsRefused: number;
  /** Requests with no answer (network error, timeout) or a non-retryable one, and their points. */
  failed: number;
  pointsFailed: number;
}

/** How the collector answered one request. */
export type AttemptOutcome = 'accepted' | 'refused' | 'failed';

/** Empty attempt books. */
export function newAttemptBooks(): OtlpAttemptBooks {
  return {
    requests: 0,
    pointsSent: 0,
    accepted: 0,
    pointsAccepted: 0,
    refused: 0,
    pointsRefused: 0,
    failed: 0,
    pointsFailed: 0,
  };
}

/** Adds one request sent to `books`. */
export function recordSent(books: OtlpAttemptBooks, points: number): void {
  books.requests++;
  books.pointsSent += points;
}

/** Adds the answer to one request sent to `books`. */
export function recordOutcome(books: OtlpAttemptBooks, points: number, outcome: AttemptOutcome): void {
  if (outcome === 'accepted') {
    books.accepted++;
    books.pointsAccepted += points;
  } else if (outcome === 'refused') {
    books.refused++;
    books.pointsRefused += points;
  } else {
    books.failed++;
    books.pointsFailed += points;
  }
}

/** gRPC status codes that mean "the server refused, try again later" (grpc/status codes). */
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNAVAILABLE = 14;

/**
 * How the collector answered one request, from what the innermost transport of
 * @opentelemetry/otlp-exporter-base 0.223 resolves: `{status: 'success'}`; over HTTP `{status: 'retryable'}`
 * with no error when the server answered 429/502/503/504 (http-transport-utils.js), with an error for a
 * timeout or a network error; over gRPC `{status: 'failure', error}` where the error is a gRPC ServiceError
 * (a numeric `code` and `metadata`) when the server answered (grpc-exporter-transport.js).
 */
export function attemptOutcome(response: unknown): AttemptOutcome {
  if (typeof response !== 'object' || response === null) return 'failed';
  const r = response as { status?: unknown; error?: unknown };
  if (r.status === 'success') return 'accepted';
  if (r.status === 'retryable') return r.error === undefined ? 'refused' : 'failed';
  const e = r.error as { code?: unknown; metadata?: unknown } | undefined;
  if (
    typeof e === 'object' &&
    e !== null &&
    e.metadata !== undefined &&
    (e.code === GRPC_RESOURCE_EXHAUSTED || e.code === GRPC_UNAVAILABLE)
  ) {
    return 'refused';
  }
  return 'failed';
}

/** A transport as otlp-exporter-base 0.223 keeps one: `send` per attempt, a wrapped one in `_transport`. */
interface TransportInternals {
  send(data: unknown, timeoutMillis: number): Promise<unknown>;
  _transport?: unknown;
}

function isTransport(t: unknown): t is TransportInternals {
  return typeof t === 'object' && t !== null && typeof (t as TransportInternals).send === 'function';
}

/** One request as the watch saw it being sent. */
export interface SentRequest {
  /** True when this request was sent before (a retry re-sends the same serialized request). */
  retry: boolean;
  points: number;
}

/** One request as the watch saw it settle. */
export interface Attempt extends SentRequest {
  outcome: AttemptOutcome;
}

/** What the watch tells: each request when it is sent, and again when it settles. */
export interface AttemptObserver {
  sent(request: SentRequest): void;
  settled(attempt: Attempt): void;
}

/** A watch on one exporter's transport. */
export interface AttemptWatch {
  /**
   * Sends nothing more: a request after this resolves as failed without reaching the network, and is not
   * counted. Called once the final ledger is taken, so no request leaves that the ledger does not hold.
   */
  stop(): void;
}

/** What a request after AttemptWatch.stop() resolves to. */
export const STOPPED_RESPONSE = Object.freeze({
  status: 'failure',
  error: new Error('the producer has stopped; the request was not sent'),
});

/**
 * Watches every request the exporter's innermost transport sends; null when its transport is not where
 * @opentelemetry/otlp-exporter-base 0.223 keeps it (then nothing can be counted). The exporter's
 * `_delegate` (otlp-export-delegate.js) serializes an export and hands it to `_transport.send` at once:
 * over HTTP a RetryingTransport (retrying-transport.js) that passes each attempt, the same serialized
 * request, to its own `_transport`; over gRPC the gRPC transport itself, with no retrying layer
 * (otlp-grpc-export-delegate.js). `pointsOfNewRequest` is read when a request is first seen, which is
 * synchronously inside the export that made it, so the caller sets it just before calling export().
 */
export function watchAttempts(
  exporter: object,
  pointsOfNewRequest: () => number,
  observer: AttemptObserver,
): AttemptWatch | null {
  const outer = (exporter as { _delegate?: { _transport?: unknown } })._delegate?._transport;
  if (!isTransport(outer)) return null;
  let transport: TransportInternals = outer;
  // A few layers at most; the bound only guards against a cycle.
  for (let depth = 0; depth < 8 && isTransport(transport._transport); depth++) {
    transport = transport._transport;
  }
  const send = transport.send.bind(transport);
  const pointsOf = new WeakMap<object, number>();
  let stopped = false;
  transport.send = (data, timeoutMillis) => {
    if (stopped) return Promise.resolve(STOPPED_RESPONSE);
    let retry = false;
    let points = 0;
    if (typeof data === 'object' && data !== null) {
      const seen = pointsOf.get(data);
      if (seen === undefined) {
        points = pointsOfNewRequest();
        pointsOf.set(data, points);
      } else {
        retry = true;
        points = seen;
      }
    }
    observer.sent({ retry, points });
    return send(data, timeoutMillis).then(
      (response) => {
        observer.settled({ retry, points, outcome: attemptOutcome(response) });
        return response;
      },
      (err: unknown) => {
        observer.settled({ retry, points, outcome: 'failed' });
        throw err;
      },
    );
  };
  return {
    stop() {
      stopped = true;
    },
  };
}
