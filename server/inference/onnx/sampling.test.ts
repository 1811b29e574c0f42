import { describe, expect, it } from "vitest";
import { argmax, filteredProbabilities, imageRng, sampleToken } from "./sampling";

const softmax = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe("next-token rules of the trainer", () => {
  it("greedy takes the first maximum", () => {
    expect(argmax(Float32Array.from([0, 3, 1, 3]), 0, 4)).toBe(1);
    expect(argmax(Float32Array.from([9, 0, 3, 1, 3]), 1, 4)).toBe(1);
  });

  it("divides by the temperature before the softmax", () => {
    const p = filteredProbabilities([2, 1, 0], { temperature: 0.5, topP: 1, topK: 0 });
    softmax([4, 2, 0]).forEach((v, i) => expect(p[i]).toBeCloseTo(v, 12));
  });

  it("top-k keeps the k largest (ties with the k-th kept), renormalised", () => {
    const p = filteredProbabilities([2, 1, 1, 0], { temperature: 1, topP: 1, topK: 2 });
    const kept = softmax([2, 1, 1]);
    expect([...p]).toEqual([expect.closeTo(kept[0]!, 12), expect.closeTo(kept[1]!, 12), expect.closeTo(kept[2]!, 12), 0]);
  });

  it("top-p drops a token once the mass before it reaches top_p, always keeping the top one", () => {
    const full = softmax([3, 2, 1, 0]); // ≈ 0.644, 0.237, 0.087, 0.032
    const p = filteredProbabilities([1, 3, 0, 2], { temperature: 1, topP: 0.8, topK: 0 });
    const keep = full[0]! + full[1]!;
    expect([...p]).toEqual([0, expect.closeTo(full[0]! / keep, 12), 0, expect.closeTo(full[1]! / keep, 12)]);
    expect([...filteredProbabilities([1, 3, 0, 2], { temperature: 1, topP: 0.001, topK: 0 })]).toEqual([0, 1, 0, 0]);
  });

  it("draws with the filtered probabilities, reproducibly per (seed, image)", () => {
    const logits = Float32Array.from([1, 2, 0.5, -5]);
    const o = { temperature: 1, topP: 1, topK: 3 };
    const rng = imageRng(7, 42);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[sampleToken(logits, 0, 4, o, rng)]!++;
    const p = filteredProbabilities(logits, o);
    counts.forEach((c, i) => expect(c / 20_000).toBeCloseTo(p[i]!, 1));
    expect(counts[3]).toBe(0);
    const a = imageRng(7, 42);
    const b = imageRng(7, 42);
    const c = imageRng(7, 43);
    const seq = (r: () => number) => Array.from({ length: 5 }, r);
    expect(seq(a)).toEqual(seq(b));
    expect(seq(imageRng(7, 42))).not.toEqual(seq(c));
  });
});
