/**
 * The collector socket's receive queue at burst resolution: /proc/net/udp `rx_queue` sampled every
 * 100 ms (a 1 s Prometheus scrape would miss a queue that fills and drains between scrapes), kept as the
 * highest value of the last second per port. The exporter (udp-counters/exporter.ts) samples and serves
 * it as `pushpull_kernel_udp_socket_rx_queue_max_1s_bytes`; the report sets its peak in the burst
 * against the socket's buffer. Pure: the caller passes the clock and the readings.
 */

/** Samples per port within a sliding window, and the maximum over it. */
export class QueuePeak {
  readonly windowMs: number;
  private readonly samples = new Map<number, Array<[number, number]>>();

  constructor(windowMs = 1000) {
    this.windowMs = windowMs;
  }

  /** Records `bytes` queued on `port` at `nowMs`, dropping samples older than the window. */
  record(port: number, nowMs: number, bytes: number): void {
    const list = this.samples.get(port) ?? [];
    list.push([nowMs, bytes]);
    while (list.length > 0 && list[0]![0] <= nowMs - this.windowMs) list.shift();
    this.samples.set(port, list);
  }

  /** The highest queue of the window ending at `nowMs` on `port`, or null with no sample in it. */
  max(port: number, nowMs: number): number | null {
    let best: number | null = null;
    for (const [t, v] of this.samples.get(port) ?? []) {
      if (t > nowMs - this.windowMs && (best === null || v > best)) best = v;
    }
    return best;
  }
}

/** The sampling period: 10 Hz, the resolution the report promises. */
export const QUEUE_SAMPLE_MS = 100;
