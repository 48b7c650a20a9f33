/**
 * The two 64-bit hashes Prometheus's scrape offset rule uses, over UTF-8 bytes, as BigInt arithmetic
 * modulo 2^64: FNV-1a (Go's hash/fnv New64a, for the target hash and the server's offset seed) and
 * XXH64 with seed 0 (cespare/xxhash Sum64, behind labels.Labels.Hash()). prometheus-offset.ts calls them;
 * nothing here knows about Prometheus.
 */

const MASK = (1n << 64n) - 1n;
const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;

/** FNV-1a, 64-bit, of `bytes`. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV_OFFSET;
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
  return h;
}

const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (a: bigint, b: bigint): bigint => (a + b) & MASK;

function readU64(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k]!);
  return v;
}

function readU32(b: Uint8Array, i: number): bigint {
  return BigInt((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0);
}

const round = (acc: bigint, lane: bigint): bigint => mul(rotl(add(acc, mul(lane, P2)), 31n), P1);
const mergeRound = (h: bigint, v: bigint): bigint => add(mul(h ^ round(0n, v), P1), P4);

/** XXH64 with seed 0 of `bytes`. */
export function xxhash64(bytes: Uint8Array): bigint {
  const n = bytes.length;
  let i = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = add(P1, P2);
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, readU64(bytes, i));
      v2 = round(v2, readU64(bytes, i + 8));
      v3 = round(v3, readU64(bytes, i + 16));
      v4 = round(v4, readU64(bytes, i + 24));
    }
    h = add(add(rotl(v1, 1n), rotl(v2, 7n)), add(rotl(v3, 12n), rotl(v4, 18n)));
    for (const v of [v1, v2, v3, v4]) h = mergeRound(h, v);
  } else {
    h = P5;
  }
  h = add(h, BigInt(n));
  for (; i + 8 <= n; i += 8) h = add(mul(rotl(h ^ round(0n, readU64(bytes, i)), 27n), P1), P4);
  if (i + 4 <= n) {
    h = add(mul(rotl(h ^ mul(readU32(bytes, i), P1), 23n), P2), P3);
    i += 4;
  }
  for (; i < n; i++) h = mul(rotl(h ^ mul(BigInt(bytes[i]!), P5), 11n), P1);
  h ^= h >> 33n;
  h = mul(h, P2);
  h ^= h >> 29n;
  h = mul(h, P3);
  h ^= h >> 32n;
  return h;
}
