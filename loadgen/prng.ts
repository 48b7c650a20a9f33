/**
 * Seeded randomness for the producer: every label choice, latency and flush offset comes from here, so a
 * spec's `seed` reproduces the same event stream. Math.random is never used by the rig. The generator is
 * sfc32 (small, fast, passes PractRand far beyond our needs), seeded through a 32-bit mixing hash so that
 * nearby seeds (seed, producer 1 / producer 2) give unrelated streams.
 */

/** A deterministic source of uniform and derived random numbers. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number;
  /** Lognormal with the given median and shape sigma (the standard deviation of its logarithm). */
  lognormal(median: number, sigma: number): number;
}

/** Mixes a 32-bit value into a well-spread 32-bit hash (the murmur3 finaliser). */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Derives a sub-seed from a seed and a path of numbers or strings (e.g. `deriveSeed(seed, 'statsd', 7)`),
 * so each virtual producer and each purpose gets its own independent stream.
 */
export function deriveSeed(seed: number, ...path: (number | string)[]): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (const part of path) {
    if (typeof part === 'number') {
      h = mix32(h ^ mix32(part + 0x632be5ab));
    } else {
      for (let i = 0; i < part.length; i++) h = mix32(h ^ (part.charCodeAt(i) + 0x1b873593));
      h = mix32(h ^ part.length);
    }
  }
  return h;
}

/** Creates a PRNG from a 32-bit seed. */
export function createPrng(seed: number): Prng {
  let a = mix32(seed);
  let b = mix32(a ^ 0x6a09e667);
  let c = mix32(b ^ 0xbb67ae85);
  let d = 1;
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32's state needs a few rounds to spread.
  for (let i = 0; i < 12; i++) nextU32();
  // A cached second normal from Box-Muller halves the logarithms and square roots per draw.
  let spareNormal: number | undefined;
  const next = () => nextU32() / 4294967296;
  const normal = (): number => {
    if (spareNormal !== undefined) {
      const z = spareNormal;
      spareNormal = undefined;
      return z;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal,
    lognormal: (median, sigma) => median * Math.exp(sigma * normal()),
  };
}
