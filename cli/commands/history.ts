/**
 * `pushpull history SCHEDULE [--namespace NS] [--kubeconfig FILE] [--json]`: the trend of a
 * PushPullSchedule's kept runs (report/trend.ts, the same table as `pushpull compare DIR`), each run
 * against the one before under the schedule's spec.regression. Exit 0, 1 when the newest run regressed,
 * 2 on bad input (no cluster, no such schedule).
 */
import { UsageError } from '../../errors/usage-error.ts';
import { createKubeClient } from '../../operator/k8s/client.ts';
import { readScheduleHistory } from '../../operator/schedule/history-source.ts';
import { buildTrend, renderTrendTable } from '../../report/trend.ts';
import type { Command } from '../command.ts';

interface Args {
  schedule?: string;
  namespace?: string;
  kubeconfig?: string;
  json?: boolean;
}

export const historyCommand: Command = {
  command: 'history [schedule]',
  describe: "Print the trend of a PushPullSchedule's runs (verdicts, expectations, key figures, regressions)",
  builder: (y) =>
    y
      .positional('schedule', { type: 'string', describe: 'The PushPullSchedule (NAME or NAMESPACE/NAME)' })
      .option('namespace', { alias: 'n', type: 'string', describe: "Namespace (default: the context's)" })
      .option('kubeconfig', { type: 'string', describe: 'Kubeconfig file (default: as kubectl finds it)' })
      .option('json', { type: 'boolean', describe: 'Print the trend as JSON' })
      .example('$0 history nightly-quick -n staging', 'Every kept run of the schedule, oldest first')
      .epilogue('Exit status: 0, 1 when the newest run regressed against the one before it, 2 bad input.'),
  handler: async (args: Args) => {
    const m = /^(?:([a-z0-9-]+)\/)?([a-z0-9-]+)$/.exec(args.schedule ?? '');
    if (!m) throw new UsageError('name a PushPullSchedule, e.g. `pushpull history nightly-quick -n staging`');
    let kube: ReturnType<typeof createKubeClient>;
    try {
      kube = createKubeClient(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {});
    } catch (err) {
      throw new UsageError(`no cluster to read schedule ${m[2]} from (${(err as Error).message})`);
    }
    const namespace = m[1] ?? args.namespace ?? kube.contextNamespace ?? 'default';
    const history = await readScheduleHistory(kube, namespace, m[2]!);
    const trend = buildTrend(history.runs, history.thresholds);
    if (args.json)
      process.stdout.write(
        `${JSON.stringify({ namespace, schedule: m[2], thresholds: history.thresholds, withoutReport: history.withoutReport, ...trend }, null, 2)}\n`,
      );
    else {
      process.stdout.write(trend.rows.length === 0 ? 'No run with a report yet.\n' : renderTrendTable(trend));
      if (history.withoutReport.length > 0)
        process.stdout.write(`Without a report yet: ${history.withoutReport.join(', ')}\n`);
    }
    return trend.latestBreaches.length > 0 ? 1 : 0;
  },
};
