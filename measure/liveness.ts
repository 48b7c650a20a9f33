/**
 * Game day, a dead or hung producer: who knew, and how soon. From the faults the driver applied (measured
 * instants, the producers they took) and the subject Prometheus's `ALERTS` series of the liveness rules
 * (collectors/liveness.ts), the time to detect each fault — the first firing of its arm's alert for one of
 * its producers, minus the fault's instant — and the false alarms: firings for producers that were alive.
 * An arm no rule can watch (StatsD without a heartbeat) is "never", with the reason. Pure; assemble calls it.
 */
import type { ArmName, ExperimentSpec, FaultKind } from '../api/v1alpha1/schema.ts';
import { LIVENESS_ALERTS } from '../collectors/liveness.ts';
import { formatSeconds } from '../report/format.ts';
import type { Liveness, LivenessFault } from '../report/types.ts';
import type { Reading } from './inputs.ts';
import type { PromSeries } from './prom-api.ts';

/** A fault as the driver applied it. */
export interface AppliedFault {
  kind: FaultKind;
  arm: ArmName;
  atMs: number;
  /** A hang's end; null: for the rest of the run. */
  untilMs: number | null;
  producers: string[];
}

/** What the liveness section is computed from. */
export interface RawLiveness {
  faults: AppliedFault[];
  /** `ALERTS{alertstate="firing"}` of the subject Prometheus over the run. */
  alerts: Reading<PromSeries[]>;
  /** The arms a liveness rule watches in this run. */
  watched: ArmName[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const ARM_WORDS: Record<ArmName, string> = { pull: 'pull', statsd: 'StatsD', otlp: 'OTLP' };

/** First firing per (arm, producer), unix ms. */
function firstFirings(alerts: readonly PromSeries[]): Map<string, number> {
  const byArmAlert = new Map<string, ArmName>();
  for (const arm of Object.keys(LIVENESS_ALERTS) as ArmName[])
    byArmAlert.set(LIVENESS_ALERTS[arm].alert, arm);
  const first = new Map<string, number>();
  for (const s of alerts) {
    const arm = byArmAlert.get(s.labels.alertname ?? '');
    if (!arm) continue;
    const producer = s.labels[LIVENESS_ALERTS[arm].producerLabel];
    const t = s.samples.find(([, v]) => v > 0)?.[0];
    if (producer === undefined || t === undefined) continue;
    const key = `${arm}/${producer}`;
    first.set(key, Math.min(first.get(key) ?? Number.POSITIVE_INFINITY, t * 1000));
  }
  return first;
}

function whyNever(arm: ArmName, spec: ExperimentSpec, watched: readonly ArmName[]): string {
  if (arm === 'statsd' && !watched.includes('statsd')) {
    return 'no heartbeat (arms.statsd.heartbeatIntervalSeconds 0): nothing can tell a dead StatsD producer from a quiet one';
  }
  return `${LIVENESS_ALERTS[arm].alert} never fired for these producers before the cut-off${arm === 'otlp' ? ` (otelcol keeps a silent producer's series for arms.otlp.seriesExpirationSeconds = ${spec.arms.otlp?.seriesExpirationSeconds ?? '?'} s)` : ''}`;
}

/** The liveness section of the report. */
export function assembleLiveness(raw: RawLiveness, spec: ExperimentSpec): Liveness {
  const alerts = raw.alerts.value ?? [];
  const first = firstFirings(alerts);
  const source = raw.alerts.source;
  const faults: LivenessFault[] = [...raw.faults]
    .sort((a, b) => a.atMs - b.atMs)
    .map((f) => {
      const watched = raw.watched.includes(f.arm);
      const firings = f.producers
        .map((p) => first.get(`${f.arm}/${p}`))
        .filter((t): t is number => t !== undefined && t >= f.atMs);
      const detected = firings.length > 0 ? Math.min(...firings) : null;
      const missing =
        raw.alerts.value === null && watched
          ? raw.alerts.missing
          : detected === null
            ? whyNever(f.arm, spec, raw.watched)
            : undefined;
      return {
        kind: f.kind,
        arm: f.arm,
        at: iso(f.atMs),
        until: f.untilMs === null ? null : iso(f.untilMs),
        producers: f.producers,
        alert: watched ? LIVENESS_ALERTS[f.arm].alert : null,
        detectedAt: detected === null ? null : iso(detected),
        timeToDetect: {
          value: detected === null ? null : (detected - f.atMs) / 1000,
          unit: 'seconds',
          source: watched
            ? `first firing of ${LIVENESS_ALERTS[f.arm].alert} (${source}) − the fault's instant`
            : 'no rule',
          ...(missing !== undefined ? { missing } : {}),
        },
      };
    });
  const falseAlarms: Liveness['falseAlarms'] = [];
  for (const [key, t] of [...first.entries()].sort(([, a], [, b]) => a - b)) {
    const [arm, producer] = [key.slice(0, key.indexOf('/')) as ArmName, key.slice(key.indexOf('/') + 1)];
    const explained = raw.faults.some((f) => f.arm === arm && f.producers.includes(producer) && t >= f.atMs);
    if (!explained) falseAlarms.push({ arm, alert: LIVENESS_ALERTS[arm].alert, producer, firstAt: iso(t) });
  }
  return { faults, falseAlarms, sentence: livenessSentence(faults, falseAlarms) };
}

/** "Killed producers: pull knew in 7.2 s, StatsD never (no heartbeat). No false alarms." */
export function livenessSentence(
  faults: readonly LivenessFault[],
  falseAlarms: Liveness['falseAlarms'],
): string {
  if (faults.length === 0) return 'No producer was killed or hung in this run.';
  const parts: string[] = [];
  for (const kind of ['kill', 'hang'] as const) {
    const ofKind = faults.filter((f) => f.kind === kind);
    if (ofKind.length === 0) continue;
    const answers = ofKind.map((f) => {
      const who = ARM_WORDS[f.arm];
      if (f.timeToDetect.value !== null) return `${who} knew in ${formatSeconds(f.timeToDetect.value)}`;
      return f.alert === null ? `${who} never (no heartbeat)` : `${who} never (within the run)`;
    });
    parts.push(`${kind === 'kill' ? 'A killed producer' : 'A hung producer'}: ${answers.join(', ')}.`);
  }
  parts.push(
    falseAlarms.length === 0
      ? 'No alert fired for a live producer.'
      : `${falseAlarms.length} alert${falseAlarms.length > 1 ? 's' : ''} fired for live producers (false alarms).`,
  );
  return parts.join(' ');
}
