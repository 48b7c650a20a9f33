/**
 * `pushpull tools [check|build] [--control-plane]`: checks or builds the pinned real programs
 * (tools/versions.env) that tools/build.sh caches outside the repository. `check` runs each binary's
 * version command and exits 1 when one is missing or broken; `build` runs tools/build.sh, its progress on
 * stderr, and then checks.
 */
import { spawn } from 'node:child_process';
import { inspectTools, type ToolGroup, toolsDir, toolVersions } from '../../tools/locate.ts';
import type { Command } from '../command.ts';

interface Args {
  action: 'check' | 'build';
  controlPlane: boolean;
}

const BUILD_SCRIPT = new URL('../../tools/build.sh', import.meta.url).pathname;

async function check(groups: ToolGroup[]): Promise<number> {
  const statuses = inspectTools({ groups });
  const rows: string[][] = [['tool', 'pinned', 'reports', 'status', 'path']];
  let bad = 0;
  for (const s of statuses) {
    let reports = '-';
    let status = s.present ? 'OK' : 'missing';
    if (s.present) {
      try {
        const [v] = await toolVersions([s]);
        reports = v?.reported ?? '?';
      } catch {
        status = 'broken';
      }
    }
    if (status !== 'OK') bad++;
    rows.push([s.name, s.pinned, reports, status, s.path]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) {
    process.stdout.write(`${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ')}\n`);
  }
  if (bad > 0) {
    const what = groups.includes('control-plane') ? 'all' : 'collectors';
    process.stderr.write(
      `pushpull tools: ${bad} of ${statuses.length} not usable in ${toolsDir()}: run \`npx pushpull tools build${groups.includes('control-plane') ? ' --control-plane' : ''}\` (or \`bash tools/build.sh ${what}\`)\n`,
    );
    return 1;
  }
  return 0;
}

function build(groups: ToolGroup[]): Promise<number> {
  process.stderr.write(
    `pushpull tools: building ${groups.join(' + ')} into ${toolsDir()} (cached tools are reused)\n`,
  );
  return new Promise((resolve) => {
    const child = spawn('bash', [BUILD_SCRIPT, ...groups], { stdio: ['ignore', 2, 2] });
    child.once('error', (err) => {
      process.stderr.write(`pushpull tools: cannot run ${BUILD_SCRIPT}: ${err.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

export const toolsCommand: Command = {
  command: 'tools [action]',
  describe:
    'Check (default) or build the pinned real programs: Prometheus, statsd_exporter, otelcol, Pushgateway',
  builder: (y) =>
    y
      .positional('action', { choices: ['check', 'build'] as const, default: 'check' as const })
      .option('control-plane', {
        type: 'boolean',
        default: false,
        describe:
          'Include the test control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, helm',
      }),
  handler: async (args: Args) => {
    const groups: ToolGroup[] = args.controlPlane ? ['collectors', 'control-plane'] : ['collectors'];
    if (args.action === 'build') {
      const code = await build(groups);
      if (code !== 0) {
        process.stderr.write(`pushpull tools: tools/build.sh failed (exit ${code}); its output is above\n`);
        return code;
      }
    }
    return check(groups);
  },
};
