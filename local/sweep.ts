/**
 * `pushpull sweep`: the breaking point on one machine. Repeats the local rehearsal at growing load (the
 * multipliers of sweep/plan.ts, the collectors' sizing fixed) until every arm has failed, the rig or the
 * machine became the limit, the steps ran out or the time budget would be exceeded; keeps each step's
 * full report in its own folder and writes the capacity report (capacity.json, capacity.md) beside them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { scheduleSeconds } from '../api/v1alpha1/derived.ts';
import type { ExperimentDocument } from '../api/v1alpha1/schema.ts';
import { CapacityRefusedError } from '../capacity/estimate.ts';
import {
  armCapacities,
  type CapacityReport,
  capacitySentence,
  readStep,
  type SweepPlan,
  type SweepStep,
  shouldStop,
  specAtStep,
  stepMultipliers,
} from '../sweep/plan.ts';
import { renderCapacityMarkdown } from '../sweep/render.ts';
import { runRehearsal } from './rehearsal.ts';

export interface SweepOptions {
  document: ExperimentDocument;
  outDir: string;
  plan: SweepPlan;
  /** Wall-clock budget of the whole sweep, seconds: a step that would end past it is not started. */
  maxSeconds: number;
  log: (line: string) => void;
}

/** Seconds a step takes beyond its schedule (collectors, producers, targets up, collect), measured here. */
const STEP_OVERHEAD_SECONDS = 30;

export async function runSweep(
  o: SweepOptions,
): Promise<{ capacity: CapacityReport; files: { json: string; markdown: string } }> {
  const outDir = resolve(o.outDir);
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const steps: SweepStep[] = [];
  let ended = `the ${o.plan.maxSteps} step(s) of the plan ran out`;
  for (const [i, multiplier] of stepMultipliers(o.plan).entries()) {
    const spec = specAtStep(o.document.spec, multiplier);
    const elapsed = (Date.now() - started) / 1000;
    const needs = scheduleSeconds(spec) + STEP_OVERHEAD_SECONDS;
    if (elapsed + needs > o.maxSeconds) {
      ended = `the time budget (${o.maxSeconds} s) would be exceeded by step ${i + 1}`;
      break;
    }
    const stepDir = join(outDir, `step-${i + 1}-x${multiplier}`);
    mkdirSync(stepDir, { recursive: true });
    const document: ExperimentDocument = { ...o.document, spec };
    const specFile = join(stepDir, 'step.yaml');
    writeFileSync(specFile, stringify(document));
    o.log(`step ${i + 1}: ${multiplier}× the load`);
    try {
      const result = await runRehearsal({ document, specFile, outDir: join(stepDir, 'run'), log: o.log });
      steps.push(readStep(multiplier, relative(outDir, result.files.markdown), result.report));
    } catch (err) {
      if (!(err instanceof CapacityRefusedError)) throw err;
      steps.push({
        multiplier,
        report: null,
        outcome: 'refused',
        rigLimit: err.message.split('\n').slice(1).join('; ').trim(),
        arms: [],
      });
    }
    if (shouldStop(steps)) {
      const last = steps[steps.length - 1]!;
      ended =
        last.outcome === 'refused'
          ? `the rig is the limit: step ${i + 1} does not fit this machine`
          : last.rigLimit !== null
            ? `the rig or the machine was the limit at step ${i + 1} (${last.rigLimit})`
            : `every arm had failed by step ${i + 1}`;
      break;
    }
  }
  const arms = armCapacities(steps);
  const capacity: CapacityReport = {
    schema: 'pushpull.dev/capacity/v1',
    experiment: o.document.metadata.name,
    plan: o.plan,
    steps,
    arms,
    ended,
    sentence: capacitySentence(arms, steps, ended),
  };
  const files = { json: join(outDir, 'capacity.json'), markdown: join(outDir, 'capacity.md') };
  writeFileSync(files.json, `${JSON.stringify(capacity, null, 2)}\n`);
  writeFileSync(files.markdown, renderCapacityMarkdown(capacity));
  return { capacity, files };
}
