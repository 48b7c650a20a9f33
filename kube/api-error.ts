/**
 * The error of a failed API call, and how an answer that is not a success (a `Status` object, or any
 * text) becomes one: for client.ts (REST calls) and watch.ts (a refused watch, an ERROR event). The
 * operator classifies these (operator/errors.ts). Pure.
 */

/** A failed API call: the HTTP status (0: the server was not reached) and the apiserver's message. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly reason: string;
  constructor(statusCode: number, reason: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.reason = reason;
  }
}

/** The fields of a `metav1.Status` this reads. */
interface Status {
  code?: unknown;
  reason?: unknown;
  message?: unknown;
}

/** From a parsed Status object; `what` is e.g. `GET /api/v1/...`. */
export function apiErrorOfStatus(what: string, status: Status, fallbackCode = 500): ApiError {
  const code = typeof status.code === 'number' ? status.code : fallbackCode;
  const reason = typeof status.reason === 'string' && status.reason !== '' ? status.reason : 'Unknown';
  const message = typeof status.message === 'string' ? status.message : '';
  return new ApiError(code, reason, `${what}: ${code} ${reason}: ${message}`);
}

/** From an HTTP status and the response body (a Status as JSON, or raw text kept up to 2,000 chars). */
export function apiErrorOf(what: string, httpStatus: number, body: string): ApiError {
  try {
    const s = JSON.parse(body) as unknown;
    if (typeof s === 'object' && s !== null && !Array.isArray(s))
      return apiErrorOfStatus(what, { ...(s as Status), code: httpStatus }, httpStatus);
  } catch {
    // not a Status object: keep the raw text
  }
  return new ApiError(httpStatus, 'Unknown', `${what}: ${httpStatus} Unknown: ${body.slice(0, 2000)}`);
}
