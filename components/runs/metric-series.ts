/**
 * The live curves' data handling, kept pure: appending polled points, EMA smoothing, aligning series
 * for uPlot and deciding which metrics share a chart.
 */
import type { MetricSeries, RunMetricSeries } from "@/server/queries/run-metric-series";

export type SeriesMap = Record<string, MetricSeries>;
export interface SeriesState {
  series: SeriesMap;
  maxStep: number | null;
}

/**
 * The `since` to poll with: one step before the newest seen, so points that arrive for that step after
 * the last poll (an eval logged after the training metrics of the same step) are not missed.
 */
export function sinceFor(state: SeriesState | undefined): number | undefined {
  return state?.maxStep === null || state?.maxStep === undefined ? undefined : state.maxStep - 1;
}

/**
 * Appends a poll's points: for each metric in `delta`, the points from its first step on replace what
 * was there (a step seen again is re-read, never doubled), earlier points are kept.
 */
export function mergeSeries(prev: SeriesState | undefined, delta: Pick<RunMetricSeries, "series" | "maxStep">): SeriesState {
  if (!prev) return { series: delta.series, maxStep: delta.maxStep };
  const series: SeriesMap = { ...prev.series };
  for (const [name, d] of Object.entries(delta.series)) {
    const old = series[name];
    const first = d.steps[0];
    if (!old || first === undefined) {
      series[name] = old ?? d;
      continue;
    }
    let keep = old.steps.length;
    while (keep > 0 && old.steps[keep - 1]! >= first) keep--;
    series[name] = { steps: [...old.steps.slice(0, keep), ...d.steps], values: [...old.values.slice(0, keep), ...d.values] };
  }
  const maxStep = prev.maxStep === null ? delta.maxStep : delta.maxStep === null ? prev.maxStep : Math.max(prev.maxStep, delta.maxStep);
  return { series, maxStep };
}

/**
 * Exponential moving average with TensorBoard's weight (0: raw, 0.99: very smooth) and its debiasing,
 * so the first points are not pulled toward zero. Gaps (null) stay gaps and do not reset the average.
 */
export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return [...values];
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}

/**
 * Puts several series on one x axis (the union of their steps, ascending), null where a series has no
 * point: uPlot's aligned-data layout `[xs, ys1, ys2, ...]`.
 */
export function alignSeries(list: readonly MetricSeries[]): [number[], ...(number | null)[][]] {
  const xs = [...new Set(list.flatMap((s) => s.steps))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = list.map((s) => {
    const col: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    s.steps.forEach((step, i) => (col[at.get(step)!] = s.values[i] ?? null));
    return col;
  });
  return [xs, ...ys];
}

/** On a log axis, values that are not positive cannot be drawn: they become gaps. */
export function forLogScale(values: readonly (number | null)[]): (number | null)[] {
  return values.map((v) => (v !== null && v > 0 ? v : null));
}

export interface ChartSpec {
  id: string;
  title: string;
  /** Metric names drawn as lines. */
  names: string[];
  /** Draw `reward/total_mean` with a ± `reward/total_std` band. */
  band?: boolean;
}

const TOTALS = new Set(["reward/total_mean", "reward/total_std", "reward/group_std_mean"]);

const FIXED: readonly { id: string; title: string; match: (n: string) => boolean }[] = [
  { id: "loss", title: "Loss", match: (n) => n === "loss" },
  { id: "components", title: "Reward per function", match: (n) => n.startsWith("reward/") && !TOTALS.has(n) },
  { id: "group-std", title: "Mean group reward std", match: (n) => n === "reward/group_std_mean" },
  { id: "kl", title: "KL to the reference", match: (n) => n === "kl" },
  { id: "length", title: "Completion length (tokens)", match: (n) => n === "completion_length" },
  { id: "failure", title: "Failure rate and zero-variance groups", match: (n) => n === "failure_rate" || n === "frac_reward_zero_std" },
  { id: "lr", title: "Learning rate", match: (n) => n === "lr" },
  { id: "throughput", title: "Throughput (samples/s)", match: (n) => n === "samples_per_s" },
  { id: "grad-norm", title: "Gradient norm (before clipping)", match: (n) => n === "grad_norm" },
  { id: "clip", title: "Clip ratio", match: (n) => n === "clip_ratio" },
  { id: "eval", title: "Evaluation", match: (n) => n.startsWith("eval/") },
];

/**
 * Which charts to draw for the metrics a run has logged: the total reward with its band first, then one
 * chart per family (every reward function together, failure rate with zero-variance groups, every eval
 * metric together, ...), then one chart for each metric no family claims (tokens, epoch, ...).
 */
export function chartSpecs(names: readonly string[]): ChartSpec[] {
  const specs: ChartSpec[] = [];
  const claimed = new Set<string>();
  if (names.includes("reward/total_mean")) {
    specs.push({ id: "total", title: "Total reward (mean ± std)", names: ["reward/total_mean"], band: names.includes("reward/total_std") });
    claimed.add("reward/total_mean").add("reward/total_std");
  }
  for (const f of FIXED) {
    const hit = names.filter((n) => !claimed.has(n) && f.match(n)).sort();
    if (hit.length === 0) continue;
    hit.forEach((n) => claimed.add(n));
    specs.push({ id: f.id, title: f.title, names: hit });
  }
  for (const n of [...names].sort()) if (!claimed.has(n)) specs.push({ id: `m-${n}`, title: n, names: [n] });
  return specs;
}
