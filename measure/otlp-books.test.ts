import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OtlpAttemptBooks } from '../loadgen/arms/otlp-attempts.ts';
import type { Figure } from '../report/types.ts';
import { closeOtlpBooks } from './otlp-books.ts';

const points = (value: number | null, source: string): Figure =>
  value === null
    ? { value, unit: 'points', source, missing: `${source} unreadable` }
    : { value, unit: 'points', source };

// 100 requests of 10 points: 60 accepted at once, 40 refused and retried, 30 of those then accepted, 10
// refused again and given up: 140 requests, 1,400 points sent, 900 accepted, 500 refused.
const attempts: OtlpAttemptBooks = {
  requests: 140,
  pointsSent: 1400,
  accepted: 90,
  pointsAccepted: 900,
  refused: 50,
  pointsRefused: 500,
  failed: 0,
  pointsFailed: 0,
};

describe('OTLP books', () => {
  it('close when every point sent, retries included, was accepted, refused or failed', () => {
    const b = closeOtlpBooks({
      attempts: { value: attempts, source: 'ledgers' },
      accepted: points(900, 'accepted'),
      refused: points(500, 'refused'),
      failed: points(0, 'failed'),
    });
    assert.equal(b.sent.value, 1400);
    assert.equal(b.unaccounted.value, 0);
    assert.equal(b.closed, true);
    assert.equal(b.explained, true);
    assert.equal(b.requests.value, 140);
    assert.equal(b.requestsRefused.value, 50);
    assert.equal(b.pointsRefusedAtProducers.value, 500);
    assert.equal(b.requestsFailed.value, 0);
    assert.equal(b.requestsInFlight.value, 0);
  });

  it('count requests sent but not answered when the ledgers were written as in flight', () => {
    const b = closeOtlpBooks({
      attempts: { value: { ...attempts, requests: 143, pointsSent: 1430 }, source: 'ledgers' },
      accepted: points(930, 'accepted'),
      refused: points(500, 'refused'),
      failed: points(0, 'failed'),
    });
    assert.equal(b.requestsInFlight.value, 3);
    assert.equal(b.closed, true, 'otelcol answered them after the producers wrote their ledgers');
  });

  it('stay open with the difference when otelcol counted fewer points than were sent', () => {
    const b = closeOtlpBooks({
      attempts: { value: attempts, source: 'ledgers' },
      accepted: points(880, 'accepted'),
      refused: points(500, 'refused'),
      failed: points(0, 'failed'),
    });
    assert.equal(b.unaccounted.value, 20);
    assert.equal(b.closed, false);
    // Every request was answered, so nothing explains the 20 points.
    assert.equal(b.pointsUnanswered.value, 0);
    assert.equal(b.explained, false);
  });

  it('are explained, not closed, when what otelcol did not count lies within the unanswered requests', () => {
    // 3 requests of 10 points timed out at the producers; otelcol counted one of them (accepted).
    const timedOut: OtlpAttemptBooks = {
      ...attempts,
      requests: 143,
      pointsSent: 1430,
      failed: 3,
      pointsFailed: 30,
    };
    const b = closeOtlpBooks({
      attempts: { value: timedOut, source: 'ledgers' },
      accepted: points(910, 'accepted'),
      refused: points(500, 'refused'),
      failed: points(0, 'failed'),
    });
    assert.equal(b.unaccounted.value, 20);
    assert.equal(b.pointsUnanswered.value, 30);
    assert.equal(b.closed, false);
    assert.equal(b.explained, true);
  });

  it('stay open, naming what is missing, when a term could not be read', () => {
    const b = closeOtlpBooks({
      attempts: { value: null, source: 'ledgers', missing: 'producer otlp/0 left no ledger' },
      accepted: points(null, 'otelcol accepted'),
      refused: points(500, 'refused'),
      failed: points(0, 'failed'),
    });
    assert.equal(b.closed, false);
    assert.equal(b.unaccounted.value, null);
    assert.match(b.unaccounted.missing ?? '', /without ledgers: pointsSent, otelcol accepted/);
    assert.equal(b.requestsRefused.missing, 'producer otlp/0 left no ledger');
    const none = closeOtlpBooks({
      attempts: undefined,
      accepted: points(1, 'a'),
      refused: points(0, 'r'),
      failed: points(0, 'f'),
    });
    assert.equal(none.sent.missing, 'the runtime read no request books');
  });
});
