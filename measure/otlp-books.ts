/**
 * Closes the books of the OTLP arm request by request: every point the producers' exporters sent (each
 * retry sends its points again) was accepted, refused or failed by otelcol's receiver, which counts per
 * request too — sent = accepted + refused + failed + unaccounted, with unaccounted 0 on a quiet loopback.
 * The producers' own view of the refusals (requests answered 429/503 or UNAVAILABLE, and their points)
 * stands beside it, so a refusal is seen from both ends. Points in succeeded exports alone do not add up
 * once otelcol refuses: a refused request retried and then accepted is counted by otelcol twice. A term
 * the rig could not read leaves the books open with the reason. A request the producer got no answer to (a
 * timeout, or still in flight at its final ledger) may or may not have been counted by otelcol, so such
 * books are `explained` when what otelcol did not count lies within those requests' points, and `closed`
 * only when nothing is unaccounted. Pure; measure/assemble.ts calls it.
 */
import type { OtlpAttemptBooks } from '../loadgen/arms/otlp-attempts.ts';
import type { Figure, OtlpBooks } from '../report/types.ts';
import type { Reading } from './inputs.ts';

export interface OtlpBooksInput {
  /** The producers' request books summed over the fleet (measure/ledger-books.ts). */
  attempts: Reading<OtlpAttemptBooks> | undefined;
  /** otelcol's receiver counters, cut-off − baseline. */
  accepted: Figure;
  refused: Figure;
  failed: Figure;
  /**
   * Points the short-lived jobs of the otlp path exported at their SDK shutdown (their ledgers), which
   * otelcol counted too; absent when the spec runs no such jobs.
   */
  jobsPointsExported?: number;
}

const NO_ATTEMPTS = 'the runtime read no request books';

function fromAttempts(
  attempts: Reading<OtlpAttemptBooks> | undefined,
  key: keyof OtlpAttemptBooks,
  unit: Figure['unit'],
): Figure {
  const source = `${attempts?.source ?? 'producer ledgers: exportAttempts'}: ${key}`;
  if (!attempts) return { value: null, unit, source, missing: NO_ATTEMPTS };
  if (attempts.value === null) return { value: null, unit, source, missing: attempts.missing };
  return { value: attempts.value[key], unit, source };
}

function unanswered(attempts: Reading<OtlpAttemptBooks> | undefined): Figure {
  const source = `${attempts?.source ?? 'producer ledgers: exportAttempts'}: pointsSent − pointsAccepted − pointsRefused`;
  if (!attempts) return { value: null, unit: 'points', source, missing: NO_ATTEMPTS };
  if (attempts.value === null) return { value: null, unit: 'points', source, missing: attempts.missing };
  const a = attempts.value;
  return { value: a.pointsSent - a.pointsAccepted - a.pointsRefused, unit: 'points', source };
}

function inFlight(attempts: Reading<OtlpAttemptBooks> | undefined): Figure {
  const source = `${attempts?.source ?? 'producer ledgers: exportAttempts'}: requests − accepted − refused − failed`;
  if (!attempts) return { value: null, unit: 'count', source, missing: NO_ATTEMPTS };
  if (attempts.value === null) return { value: null, unit: 'count', source, missing: attempts.missing };
  const a = attempts.value;
  return { value: a.requests - a.accepted - a.refused - a.failed, unit: 'count', source };
}

/** The OTLP arm's books. */
export function closeOtlpBooks(input: OtlpBooksInput): OtlpBooks {
  const producersSent = fromAttempts(input.attempts, 'pointsSent', 'points');
  const sent =
    input.jobsPointsExported === undefined || producersSent.value === null
      ? producersSent
      : {
          ...producersSent,
          value: producersSent.value + input.jobsPointsExported,
          source: `${producersSent.source} + job ledgers: sum of pointsExported`,
        };
  const parts = [sent, input.accepted, input.refused, input.failed];
  const source = 'sent − accepted − refused − failed';
  const missing = parts.filter((f) => f.value === null);
  let unaccounted: Figure;
  if (missing.length > 0) {
    unaccounted = {
      value: null,
      unit: 'points',
      source,
      missing: `cannot close the books without ${missing.map((f) => f.source).join(', ')}`,
    };
  } else {
    const [s, a, r, f] = parts.map((p) => p.value as number) as [number, number, number, number];
    unaccounted = { value: s - a - r - f, unit: 'points', source };
  }
  const pointsUnanswered = unanswered(input.attempts);
  const u = unaccounted.value;
  return {
    sent,
    accepted: input.accepted,
    refused: input.refused,
    failed: input.failed,
    unaccounted,
    closed: u === 0,
    pointsUnanswered,
    explained: u !== null && pointsUnanswered.value !== null && u >= 0 && u <= pointsUnanswered.value,
    requests: fromAttempts(input.attempts, 'requests', 'count'),
    requestsRefused: fromAttempts(input.attempts, 'refused', 'count'),
    requestsFailed: fromAttempts(input.attempts, 'failed', 'count'),
    requestsInFlight: inFlight(input.attempts),
    pointsRefusedAtProducers: fromAttempts(input.attempts, 'pointsRefused', 'points'),
  };
}
