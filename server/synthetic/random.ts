/** A small seeded PRNG (mulberry32) so generated data is identical on every machine. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randInt = (rng: () => number, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

export const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** Zipf-like pick: low indices (head classes) far more often than the tail, as in VG150. */
export const pickHeavy = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(xs.length * rng() ** 2.5)]!;
