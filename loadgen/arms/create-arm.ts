/**
 * Picks and builds the process's arm from the spec and the producer's flags. The one place that knows which
 * flag each arm needs; errors name the missing flag. Arms are imported on demand: the OpenTelemetry SDK and
 * gRPC take a while to load and a pull or statsd producer never needs them.
 */
import type { ArmName } from '../../api/v1alpha1/schema.ts';
import type { HostPort } from '../address.ts';
import type { Arm, ArmContext } from './arm.ts';

/** Where the arm's traffic goes (statsd, otlp) or is served from (pull). */
export interface ArmTargets {
  metricsListen: HostPort;
  statsd?: HostPort;
  otlpEndpoint?: string;
}

/** Builds the arm `name`; throws a RangeError naming the spec field or flag that is missing. */
export async function createArm(name: ArmName, ctx: ArmContext, targets: ArmTargets): Promise<Arm> {
  const arms = ctx.spec.arms;
  switch (name) {
    case 'pull':
      if (!arms.pull)
        throw new RangeError('--arm: "pull" is not an arm of this spec (spec.arms.pull is missing)');
      return (await import('./pull.ts')).createPullArm(ctx, targets.metricsListen);
    case 'statsd':
      if (!arms.statsd)
        throw new RangeError('--arm: "statsd" is not an arm of this spec (spec.arms.statsd is missing)');
      if (!targets.statsd) throw new RangeError('--statsd: required with --arm statsd; expected HOST:PORT');
      return (await import('./statsd.ts')).createStatsdArm(ctx, arms.statsd, targets.statsd);
    case 'otlp':
      if (!arms.otlp)
        throw new RangeError('--arm: "otlp" is not an arm of this spec (spec.arms.otlp is missing)');
      if (!targets.otlpEndpoint)
        throw new RangeError('--otlp-endpoint: required with --arm otlp; expected a URL');
      return (await import('./otlp.ts')).createOtlpArm(ctx, arms.otlp, targets.otlpEndpoint);
  }
}
