/**
 * The scraper of `pushpull bench emit` for the pull arm: fetches every target's /metrics once per interval,
 * each target at its own offset within the interval (as Prometheus spreads targets), with a timeout, from
 * its own process, so that a producer's event rate is measured while it also renders the bodies a real
 * Prometheus would ask for. Started by bench/worker.ts:
 *
 *   node bench/scraper.ts PORT INTERVAL_MS TIMEOUT_MS MAX_LIFETIME_MS PATH...
 *
 * Prints {"event":"started"}; the line `report` on stdin makes it print
 *   {"event":"report","scrapes":n,"ok":n,"failed":n,"timeouts":n,"maxSeconds":s,"bytes":n}
 * It exits when its stdin closes or after MAX_LIFETIME_MS, whichever is first.
 */
import { createInterface } from 'node:readline';

const [port, intervalMs, timeoutMs, lifetimeMs] = process.argv.slice(2, 6).map(Number) as [
  number,
  number,
  number,
  number,
];
const paths = process.argv.slice(6);
const stats = { scrapes: 0, ok: 0, failed: 0, timeouts: 0, maxSeconds: 0, bytes: 0 };
const timers: NodeJS.Timeout[] = [];

async function scrape(path: string): Promise<void> {
  const started = performance.now();
  stats.scrapes++;
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.arrayBuffer();
    if (res.ok) {
      stats.ok++;
      stats.bytes += body.byteLength;
    } else {
      stats.failed++;
    }
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') stats.timeouts++;
    else stats.failed++;
  }
  stats.maxSeconds = Math.max(stats.maxSeconds, (performance.now() - started) / 1000);
}

paths.forEach((path, i) => {
  const offset = Math.floor((i * intervalMs) / paths.length);
  timers.push(
    setTimeout(() => {
      void scrape(path);
      timers.push(setInterval(() => void scrape(path), intervalMs));
    }, offset),
  );
});

const stop = () => {
  for (const t of timers) clearTimeout(t);
  process.exit(0);
};
setTimeout(stop, lifetimeMs).unref();
process.stdout.write(`${JSON.stringify({ event: 'started' })}\n`);
createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() === 'report') process.stdout.write(`${JSON.stringify({ event: 'report', ...stats })}\n`);
  })
  .on('close', stop);
