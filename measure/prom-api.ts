/**
 * A thin client of the Prometheus HTTP API, used by the measurement to read the subject and the rig
 * Prometheus. The only network I/O of measure/; everything it returns is plain data for the pure
 * modules. Raw samples are read with range selectors in instant queries (`metric[90s]`), so the
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

/** Evaluates `query` at `timeSeconds`; vectors and matrices come back as PromSeries either way. */
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
    throw new PromQueryError(query, `${baseUrl} did not answer (${(err as Error).message})`);
  }
  let parsed: ApiResponse;
  try {
    parsed = (await res.json()) as ApiResponse;
  } catch {
    throw new PromQueryError(query, `${baseUrl} answered HTTP ${res.status} without JSON`);
  }
  if (parsed.status !== 'success' || !parsed.data) {
    throw new PromQueryError(query, parsed.error ?? `HTTP ${res.status}`);
  }
  return parsed.data.result.map((r) => ({
    labels: r.metric,
    samples: r.values
      ? r.values.map(([t, v]) => [t, Number(v)] as [number, number])
      : r.value
        ? [[r.value[0], Number(r.value[1])]]
        : [],
  }));
}

/** Fetches a Prometheus text exposition (a collector's own /metrics) as text. */
export async function fetchExposition(url: string, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}
