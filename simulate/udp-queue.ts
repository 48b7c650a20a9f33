/**
 * The collector's UDP socket as a queue, one millisecond at a time: what arrives in a millisecond comes
 * back to back at the senders' speed (per datagram, plus per payload byte) while statsd_exporter drains it
 * at its own; the receive buffer
 * bounds the queue, and what does not fit is a kernel drop (the socket's drop counter, RcvbufErrors).
 * Linux doubles the SO_RCVBUF a program asks for, after capping it at net.core.rmem_max, and charges each
 * queued datagram its skb's truesize: the data buffer — payload plus headroom and shared info, from a
 * power-of-two slab — plus the sk_buff itself (`datagramTruesize`). So 68-byte datagrams cost 768 bytes
 * of buffer and 1,389-byte ones 2,304; the bound in datagrams is 2 × min(asked, rmem_max) / truesize.
 */

/** The socket's parameters. */
export interface UdpQueueInput {
  datagrams: Float64Array;
  bytes: Float64Array;
  senders: Float64Array;
  receiveBufferBytes: number;
  rmemMaxBytes: number;
  /** Bytes the kernel adds to a payload before rounding it up to a slab (headroom, shared info). */
  overheadBytes: number;
  drainPerSecond: number;
  senderDatagramsPerSecond: number;
  senderSecondsPerByte: number;
}

/** Per ms: datagrams dropped by the kernel and taken by the collector; the queue's bound. */
export interface UdpQueueResult {
  drops: Float64Array;
  received: Float64Array;
  capacityDatagrams: number;
  /** Bytes the kernel accounts the buffer at: 2 × min(asked, rmem_max). */
  effectiveBufferBytes: number;
}

/** The sk_buff structure the kernel charges on top of the data buffer, bytes. */
const SKB_BYTES = 256;

/** The buffer bytes the kernel charges for one queued datagram of `payload` bytes. */
export function datagramTruesize(payload: number, overheadBytes: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, payload + overheadBytes))) + SKB_BYTES;
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
  const capacityFor = (bytes: number) => effectiveBufferBytes / datagramTruesize(bytes, input.overheadBytes);
  const capacity = capacityFor(payload);
  const drainPerMs = input.drainPerSecond / 1000;
  const drops = new Float64Array(n);
  const received = new Float64Array(n);
  let q = 0;
  // Datagrams handed to the senders but not yet on the wire: a burst can take more than a millisecond to send.
  let pending = 0;
  let senders = 1;
  let payloadBytes = payload;
  for (let i = 0; i < n; i++) {
    const a = input.datagrams[i]!;
    if (a > 0) {
      senders = Math.max(1, input.senders[i]!);
      payloadBytes = input.bytes[i]! / a;
    }
    pending += a;
    // Datagrams the senders put on the wire per ms, and what they put on it this ms.
    const sendMs = 1000 / input.senderDatagramsPerSecond + payloadBytes * input.senderSecondsPerByte * 1000;
    const perMs = senders / sendMs;
    const sent = Math.min(pending, perMs);
    pending -= sent;
    const landMs = sent / perMs;
    const bound = capacityFor(payloadBytes);
    const peak = q + sent - drainPerMs * landMs;
    const dropped = Math.max(0, peak - bound);
    const afterLanding = Math.max(0, Math.min(bound, peak));
    const end = Math.max(0, afterLanding - drainPerMs * (1 - landMs));
    drops[i] = dropped;
    received[i] = q + sent - dropped - end;
    q = end;
  }
  return { drops, received, capacityDatagrams: capacity, effectiveBufferBytes };
}
