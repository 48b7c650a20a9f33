/**
 * The two 64-bit hashes Prometheus's scrape offset rule uses, over bytes: FNV-1a (Go's hash/fnv New64a,
 * for the target hash and the server's offset seed) and XXH64 with seed 0 (cespare/xxhash Sum64, behind
 * labels.Labels.Hash()). prometheus-offset.ts calls them for every modelled target, up to 100,000 per
 * run, so the arithmetic is modulo 2^64 on pairs of 32-bit halves (BigInt was 100× slower); only the
 * result becomes a BigInt. Nothing here knows about Prometheus.
 */

// The result of the last 64-bit operation, as high and low unsigned 32-bit halves.
let rh = 0;
let rl = 0;

const TWO32 = 4294967296;

/** (ah:al) × (bh:bl) mod 2^64 into rh:rl: al × bl in 16-bit limbs, the cross terms' low halves by imul. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const t = a0 * b0;
  const m1 = a1 * b0 + (t >>> 16);
  const m2 = a0 * b1 + (m1 & 0xffff);
  const hi = a1 * b1 + (m1 >>> 16) + (m2 >>> 16);
  rl = Math.imul(al, bl) >>> 0;
  rh = (hi + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** (ah:al) + (bh:bl) mod 2^64 into rh:rl. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const low = al + bl;
  rl = low >>> 0;
  rh = (ah + bh + (low >= TWO32 ? 1 : 0)) >>> 0;
}

/** (h:l) rotated left by r (0 < r < 64) into rh:rl. */
function rotl(h: number, l: number, r: number): void {
  if (r >= 32) {
    const t = h;
    h = l;
    l = t;
    r -= 32;
  }
  if (r === 0) {
    rh = h >>> 0;
    rl = l >>> 0;
    return;
  }
  rh = ((h << r) | (l >>> (32 - r))) >>> 0;
  rl = ((l << r) | (h >>> (32 - r))) >>> 0;
}

const toBigInt = (h: number, l: number): bigint => (BigInt(h >>> 0) << 32n) | BigInt(l >>> 0);

const FNV_OFFSET_H = 0xcbf29ce4;
const FNV_OFFSET_L = 0x84222325;
const FNV_PRIME_H = 0x100;
const FNV_PRIME_L = 0x1b3;

/** FNV-1a, 64-bit, of the first `length` bytes of `bytes`. */
export function fnv1a64(bytes: Uint8Array, length = bytes.length): bigint {
  let h = FNV_OFFSET_H;
  let l = FNV_OFFSET_L;
  for (let i = 0; i < length; i++) {
    mul(h, (l ^ bytes[i]!) >>> 0, FNV_PRIME_H, FNV_PRIME_L);
    h = rh;
    l = rl;
  }
  return toBigInt(h, l);
}

// XXH64 primes as 32-bit halves.
const P1H = 0x9e3779b1;
const P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d;
const P2L = 0x27d4eb4f;
const P3H = 0x165667b1;
const P3L = 0x9e3779f9;
const P4H = 0x85ebca77;
const P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;

const u32 = (b: Uint8Array, i: number) =>
  (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** XXH64 round: rotl(acc + lane × P2, 31) × P1, into rh:rl. */
function round(ah: number, al: number, lh: number, ll: number): void {
  mul(lh, ll, P2H, P2L);
  add(ah, al, rh, rl);
  rotl(rh, rl, 31);
  mul(rh, rl, P1H, P1L);
}

/** XXH64 merge round: (h ^ round(0, v)) × P1 + P4, into rh:rl. */
function mergeRound(hh: number, hl: number, vh: number, vl: number): void {
  round(0, 0, vh, vl);
  mul((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, P1H, P1L);
  add(rh, rl, P4H, P4L);
}

/** XXH64 with seed 0 of the first `length` bytes of `bytes`. */
export function xxhash64(bytes: Uint8Array, length = bytes.length): bigint {
  let i = 0;
  let hh: number;
  let hl: number;
  if (length >= 32) {
    add(P1H, P1L, P2H, P2L);
    let v1h = rh;
    let v1l = rl;
    let v2h = P2H;
    let v2l = P2L;
    let v3h = 0;
    let v3l = 0;
    // 0 − P1 mod 2^64.
    add(~P1H >>> 0, ~P1L >>> 0, 0, 1);
    let v4h = rh;
    let v4l = rl;
    for (; i + 32 <= length; i += 32) {
      round(v1h, v1l, u32(bytes, i + 4), u32(bytes, i));
      v1h = rh;
      v1l = rl;
      round(v2h, v2l, u32(bytes, i + 12), u32(bytes, i + 8));
      v2h = rh;
      v2l = rl;
      round(v3h, v3l, u32(bytes, i + 20), u32(bytes, i + 16));
      v3h = rh;
      v3l = rl;
      round(v4h, v4l, u32(bytes, i + 28), u32(bytes, i + 24));
      v4h = rh;
      v4l = rl;
    }
    rotl(v1h, v1l, 1);
    hh = rh;
    hl = rl;
    rotl(v2h, v2l, 7);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    rotl(v3h, v3l, 12);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    rotl(v4h, v4l, 18);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    for (const [vh, vl] of [
      [v1h, v1l],
      [v2h, v2l],
      [v3h, v3l],
      [v4h, v4l],
    ] as const) {
      mergeRound(hh, hl, vh, vl);
      hh = rh;
      hl = rl;
    }
  } else {
    hh = P5H;
    hl = P5L;
  }
  add(hh, hl, Math.floor(length / TWO32), length >>> 0);
  hh = rh;
  hl = rl;
  for (; i + 8 <= length; i += 8) {
    round(0, 0, u32(bytes, i + 4), u32(bytes, i));
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 27);
    mul(rh, rl, P1H, P1L);
    add(rh, rl, P4H, P4L);
    hh = rh;
    hl = rl;
  }
  if (i + 4 <= length) {
    mul(0, u32(bytes, i), P1H, P1L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 23);
    mul(rh, rl, P2H, P2L);
    add(rh, rl, P3H, P3L);
    hh = rh;
    hl = rl;
    i += 4;
  }
  for (; i < length; i++) {
    mul(0, bytes[i]!, P5H, P5L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 11);
    mul(rh, rl, P1H, P1L);
    hh = rh;
    hl = rl;
  }
  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32.
  hl = (hl ^ (hh >>> 1)) >>> 0;
  mul(hh, hl, P2H, P2L);
  hh = rh;
  hl = rl;
  hl = (hl ^ ((hl >>> 29) | (hh << 3))) >>> 0;
  hh = (hh ^ (hh >>> 29)) >>> 0;
  mul(hh, hl, P3H, P3L);
  hh = rh;
  hl = rl;
  hl = (hl ^ hh) >>> 0;
  return toBigInt(hh, hl);
}
