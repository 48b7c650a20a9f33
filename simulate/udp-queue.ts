/**
 * The collector's UDP socket as a queue, one millisecond at a time: what arrives in a millisecond comes
 * back to back at the senders' speed while statsd_exporter drains it at its own; the receive buffer
 * bounds the queue, and what does not fit is a kernel drop (the socket's drop counter, RcvbufErrors).
 * Linux doubles the SO_RCVBUF a program asks for, after capping it at net.core.rmem_max, and charges each
 * queued datagram its payload plus the skb overhead; so the bound in datagrams is
 * 2 × min(asked, rmem_max) / (payload + overhead).
 */

/** The socket's parameters. */
export interface UdpQueueInput {
  datagrams: Float64Array;
  bytes: Float64Array;
  senders: Float64Array;
  receiveBufferBytes: number;
  rmemMaxBytes: number;
  overheadBytes: number;
  drainPerSecond: number;
  senderDatagramsPerSecond: number;
}

/** Per ms: datagrams dropped by the kernel and taken by the collector; the queue's bound. */
export interface UdpQueueResult {
  drops: Float64Array;
  received: Float64Array;
  capacityDatagrams: number;
  /** Bytes the kernel accounts the buffer at: 2 × min(asked, rmem_max). */
  effectiveBufferBytes: number;
}

/** Runs the queue over the arrivals. */
export function udpQueue(input: UdpQueueInput): UdpQueueResult {
  const n = input.datagrams.length;
  let totalD = 0;
  let totalB = 0;
  for (let i = 0; i < n; i++) {
    totalD += input.datagrams[i]!;
    totalB += input.bytes[i]!;
  }
  const payload = totalD > 0 ? totalB / totalD : 0;
  const effectiveBufferBytes = 2 * Math.min(input.receiveBufferBytes, input.rmemMaxBytes);
  const capacity = effectiveBufferBytes / (payload + input.overheadBytes);
  const drainPerMs = input.drainPerSecond / 1000;
  const drops = new Float64Array(n);
  const received = new Float64Array(n);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const a = input.datagrams[i]!;
    // How long the arrivals take to land (ms), at most the whole millisecond.
    const senders = Math.max(1, input.senders[i]!);
    const landMs = Math.min(1, a / ((input.senderDatagramsPerSecond / 1000) * senders));
    const peak = q + a - drainPerMs * landMs;
    const dropped = Math.max(0, peak - capacity);
    const afterLanding = Math.max(0, Math.min(capacity, peak));
    const end = Math.max(0, afterLanding - drainPerMs * (1 - landMs));
    drops[i] = dropped;
    received[i] = q + a - dropped - end;
    q = end;
  }
  return { drops, received, capacityDatagrams: capacity, effectiveBufferBytes };
}
