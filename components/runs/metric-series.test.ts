import { describe, expect, it } from "vitest";
import { alignSeries, chartSpecs, ema, forLogScale, mergeSeries, sinceFor } from "./metric-series";

describe("mergeSeries", () => {
  it("appends new points and re-reads the overlapping step instead of doubling it", () => {
    const a = mergeSeries(undefined, { series: { loss: { steps: [1, 2, 3], values: [3, 2, 1] } }, maxStep: 3 });
    expect(sinceFor(a)).toBe(2);
    const b = mergeSeries(a, {
      series: { loss: { steps: [3, 4], values: [1.5, 0.5] }, "eval/reward_total": { steps: [3], values: [7] } },
      maxStep: 4,
    });
    expect(b.series.loss).toEqual({ steps: [1, 2, 3, 4], values: [3, 2, 1.5, 0.5] });
    expect(b.series["eval/reward_total"]).toEqual({ steps: [3], values: [7] });
    expect(b.maxStep).toBe(4);
  });

  it("keeps everything when a poll brings nothing", () => {
    const a = mergeSeries(undefined, { series: { lr: { steps: [1], values: [0.1] } }, maxStep: 1 });
    const b = mergeSeries(a, { series: {}, maxStep: null });
    expect(b).toEqual(a);
    expect(sinceFor(undefined)).toBeUndefined();
  });
});

describe("ema", () => {
  it("is the raw series at weight 0 and debiased from the first point", () => {
    expect(ema([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const s = ema([10, 10, 10], 0.9);
    s.forEach((v) => expect(v).toBeCloseTo(10, 12));
  });

  it("follows the hand-worked average and keeps gaps", () => {
    // weight 0.5: last = 0.5·0 + 0.5·2 = 1 → /(1 − 0.5) = 2; then 0.5·1 + 0.5·4 = 2.5 → /(1 − 0.25) = 3.333…
    const s = ema([2, null, 4], 0.5);
    expect(s[0]).toBeCloseTo(2, 12);
    expect(s[1]).toBeNull();
    expect(s[2]).toBeCloseTo(2.5 / 0.75, 12);
  });
});

describe("alignSeries", () => {
  it("puts series on the union of their steps with gaps", () => {
    expect(alignSeries([{ steps: [1, 3], values: [10, 30] }, { steps: [2, 3], values: [0.2, 0.3] }])).toEqual([
      [1, 2, 3],
      [10, null, 30],
      [null, 0.2, 0.3],
    ]);
  });

  it("drops values a log axis cannot show", () => {
    expect(forLogScale([1, 0, -2, null, 0.5])).toEqual([1, null, null, null, 0.5]);
  });
});

describe("chartSpecs", () => {
  it("groups GRPO metrics by family with the total reward band first", () => {
    const specs = chartSpecs([
      "reward/format", "reward/edge_hard", "reward/total_mean", "reward/total_std", "reward/group_std_mean", "frac_reward_zero_std",
      "failure_rate", "kl", "completion_length", "lr", "samples_per_s", "loss", "eval/reward_total", "eval/format", "tokens",
    ]);
    expect(specs[0]).toEqual({ id: "total", title: "Total reward (mean ± std)", names: ["reward/total_mean"], band: true });
    const byId = Object.fromEntries(specs.map((s) => [s.id, s.names]));
    expect(byId.components).toEqual(["reward/edge_hard", "reward/format"]);
    expect(byId.failure).toEqual(["failure_rate", "frac_reward_zero_std"]);
    expect(byId.eval).toEqual(["eval/format", "eval/reward_total"]);
    expect(byId["m-tokens"]).toEqual(["tokens"]);
    // Every metric is drawn exactly once.
    expect(specs.flatMap((s) => s.names).length + 1).toBe(15);
  });

  it("draws nothing for a run without metrics", () => {
    expect(chartSpecs([])).toEqual([]);
  });
});
