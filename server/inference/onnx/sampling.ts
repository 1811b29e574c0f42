/**
 * Next-token choice for the tiny model, with the trainer's rules (sgg_trainer/models/tiny_vlm.py
 * `sample_next` / `filter_logits`): greedy is the first maximum; sampling divides by the temperature,
 * keeps the top-k (ties with the k-th kept), then the nucleus (a token is dropped when the probability
 * mass before it already reaches top_p; the top token always stays), and draws from a seeded PRNG.
 */

/** Index of the first maximum of `logits[offset .. offset + n)`. */
export function argmax(logits: Float32Array, offset: number, n: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = logits[offset + i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

export interface SampleOptions {
  readonly temperature: number;
  readonly topP: number;
  /** 0: no top-k cut. */
  readonly topK: number;
}

/** Probabilities after temperature, top-k and top-p (zero for dropped tokens). Exported for tests. */
export function filteredProbabilities(logits: ArrayLike<number>, o: SampleOptions): Float64Array {
  const n = logits.length;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = logits[i]! / o.temperature;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scaled[b]! - scaled[a]! || a - b);
  const keep = new Uint8Array(n).fill(1);
  if (o.topK > 0 && o.topK < n) {
    const kth = scaled[order[o.topK - 1]!]!;
    for (let i = 0; i < n; i++) if (scaled[i]! < kth) keep[i] = 0;
  }
  const max = scaled[order[0]!]!;
  const probs = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) if (keep[i]) total += probs[i] = Math.exp(scaled[i]! - max);
  for (let i = 0; i < n; i++) probs[i]! /= total;
  if (o.topP < 1) {
    let before = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      if (!keep[i]) continue;
      if (r > 0 && before >= o.topP) keep[i] = 0;
      before += probs[i]!;
    }
    total = 0;
    for (let i = 0; i < n; i++) total += keep[i] ? probs[i]! : 0;
    for (let i = 0; i < n; i++) probs[i] = keep[i] ? probs[i]! / total : 0;
  }
  return probs;
}

/** Draws a token from `logits[offset .. offset + n)`; `random` returns uniform numbers in [0, 1). */
export function sampleToken(logits: Float32Array, offset: number, n: number, o: SampleOptions, random: () => number): number {
  const probs = filteredProbabilities(logits.subarray(offset, offset + n), o);
  let u = random();
  let last = 0;
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    if (p <= 0) continue;
    last = i;
    if (u < p) return i;
    u -= p;
  }
  return last;
}

/** A seeded PRNG (mulberry32) per image: the same seed and image give the same draw in any batch. */
export function imageRng(seed: number, imageId: number): () => number {
  let a = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(imageId >>> 0, 0x85ebca6b)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
