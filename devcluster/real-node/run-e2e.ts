/**
 * Runs test-e2e/run.sh on the real node with the given PUSHPULL_E2E_* settings and returns its exit code and
 * everything it printed (the real-node itests assert on its lines). The script bounds itself
 * (PUSHPULL_E2E_TIMEOUT) and tears its cluster down on every exit.
 */
import { spawn } from 'node:child_process';

const RUN = new URL('../../test-e2e/run.sh', import.meta.url).pathname;

export async function runE2e(
  settings: Record<string, string>,
): Promise<{ code: number | null; text: string }> {
  const out: Buffer[] = [];
  const child = spawn('bash', [RUN], {
    env: { ...process.env, PUSHPULL_E2E_PROVIDER: 'real-node', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => out.push(d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, text: Buffer.concat(out).toString('utf8') };
}
