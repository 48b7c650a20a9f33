/** The otelcol renderer's golden-test input, shared with the otelcol integration test. */
import type { OtelcolConfigInput } from '../otelcol-config.ts';

export const FULL_OTELCOL: OtelcolConfigInput = {
  experiment: 'quick',
  grpcPort: 40040,
  httpPort: 40041,
  exporterPort: 40020,
  telemetryPort: 40021,
};
