/**
 * report.json's TypeScript types, for the modules that only need the shape (measure/, the renderers,
 * both runtimes). They are derived from the one schema, report/schema.ts; nothing is declared here.
 */
export {
  type ChartSeries,
  type CollectorResources,
  type ExpectationResult,
  type FailureSignal,
  type Figure,
  type Headroom,
  type HeadroomKind,
  type Liveness,
  type LivenessFault,
  type MachineLoad,
  type NetworkFaultResult,
  type NetworkResult,
  type OtlpArmResult,
  type PhaseWindow,
  type PullArmResult,
  type PushBooks,
  REPORT_SCHEMA_VERSION,
  type Report,
  type RigHealth,
  type SignalKind,
  type StatsdArmResult,
  type Verdict,
  type VerdictAnswer,
} from './schema.ts';
