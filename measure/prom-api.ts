/**
 * A thin client of the Prometheus HTTP API, used by the measurement to read the subject and the rig
 * Prometheus. The only network I/O of measure/; everything it returns is plain data for the pure
 * modules (operator/reach.ts puts its in-cluster transports behind the same PromClient). Raw samples are read with range selectors in instant queries (`metric[90s]`), so the
 * figures are computed from the samples Prometheus stored, not from a resampled range query.
 */

/** One time series: its labels and [unix seconds, value] samples. */
export interface PromSeries {
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

export class PromQueryError extends Error {
  readonly query: string;
  constructor(query: string, message: string) {
    super(`PromQL ${JSON.stringify(query)}: ${message}`);
    this.name = 'PromQueryError';
    this.query = query;
  }
}

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  data?: {
    resultType: 'matrix' | 'vector' | 'scalar' | 'string';
    result: Array<{
      metric: Record<string, string>;
      value?: [number, string];
      values?: Array<[number, string]>;
    }>;
  };
}

/** The Prometheus HTTP API, wherever it is (a URL here, a Service behind the API server's proxy there). */
export interface PromClient {
  /** Where the figures come from, for the report's provenance. */
  readonly source: string;
  /** Evaluates `query` at `timeSeconds`; vectors and matrices come back as PromSeries either way. */
  query(query: string, timeSeconds: number): Promise<PromSeries[]>;
}

/** Parses the body of `/api/v1/query`; an error answer or a body without data throws PromQueryError. */
export function parsePromResponse(body: string, query: string, status = 200): PromSeries[] {
  let parsed: ApiResponse;
  try {
    parsed = JSON.parse(body) as ApiResponse;
  } catch {
    throw new PromQueryError(query, `HTTP ${status} without JSON: ${body.slice(0, 200)}`);
  }
  if (parsed.status !== 'success' || !parsed.data) {
    throw new PromQueryError(query, parsed.error ?? `HTTP ${status}`);
  }
  return parsed.data.result.map((r) => ({
    labels: r.metric,
    samples: r.values
      ? r.values.map(([t, v]) => [Number(t), Number(v)] as [number, number])
      : r.value
        ? [[Number(r.value[0]), Number(r.value[1])]]
        : [],
  }));
}

/** The server did not answer at all (as opposed to answering with an error). */
export class PromUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromUnreachableError';
  }
}

/** Evaluates `query` at `timeSeconds` on the Prometheus at `baseUrl`. */
export async function promQuery(
  baseUrl: string,
  query: string,
  timeSeconds: number,
  timeoutMs = 15_000,
): Promise<PromSeries[]> {
  const url = new URL('/api/v1/query', baseUrl);
  const body = new URLSearchParams({ query, time: timeSeconds.toFixed(3) });
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new PromUnreachableError(
      `PromQL ${JSON.stringify(query)}: ${baseUrl} did not answer (${(err as Error).message})`,
    );
  }
  return parsePromResponse(await res.text(), query, res.status);
}

/** A PromClient for a Prometheus reachable at `baseUrl`. */
export function httpPromClient(baseUrl: string): PromClient {
  return { source: baseUrl, query: (q, t) => promQuery(baseUrl, q, t) };
}

/**
 * Wraps a client so that once the server fails to answer at all (not a PromQL error: no connection, a
 * proxy error, a timeout), later queries fail at once with the same reason instead of each waiting out
 * its own timeout. A collection then takes seconds, not minutes, when a Prometheus is down.
 */
export function failFast(client: PromClient): PromClient {
  let down: Error | undefined;
  return {
    source: client.source,
    async query(q, t) {
      if (down) throw new Error(`${client.source} did not answer earlier (${down.message}); not asked again`);
      try {
        return await client.query(q, t);
      } catch (err) {
        if (err instanceof PromUnreachableError) down = err;
        throw err;
      }
    },
  };
}

/** Fetches a Prometheus text exposition (a collector's own /metrics) as text. */
export async function fetchExposition(url: string, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}
