import { z } from "zod";

/**
 * The headline figures of a stored evaluation, read from its summary JSON. Shared by the dashboard and the
 * comparison so both name, order and format the numbers the same way.
 */
const summarySchema = z.object({
  failure: z.object({ rate: z.number(), failed: z.number(), total: z.number(), reasons: z.record(z.string(), z.number()) }).partial().optional(),
  coco: z.record(z.string(), z.number().nullable()).optional(),
  ngr: z.record(z.string(), z.number().nullable()).optional(),
  sgdet: z.record(z.string(), z.number().nullable()).optional(),
});
export type Summary = z.infer<typeof summarySchema>;

export function readSummary(summary: unknown): Summary {
  const s = summarySchema.safeParse(summary);
  return s.success ? s.data : {};
}

export interface MetricDef {
  key: string;
  label: string;
  /** What the paper calls it, or how it is computed. */
  hint: string;
  /** Percent points as a fraction (0..1), except the failure rate, which is stored in percent. */
  value: (s: Summary) => number | null;
  /** False when a smaller number is the better one. */
  higherIsBetter: boolean;
}

const frac = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) || v < 0 ? null : v);

export const METRICS: readonly MetricDef[] = [
  { key: "failure", label: "Failure rate", hint: "answers that do not parse as a scene graph", value: (s) => (s.failure?.rate === undefined ? null : s.failure.rate / 100), higherIsBetter: false },
  { key: "ap50", label: "AP50", hint: "COCO box AP at IoU 0.5", value: (s) => frac(s.coco?.AP50), higherIsBetter: true },
  { key: "ngr", label: "Recall", hint: "whole no-graph-constraint recall (ngR)", value: (s) => frac(s.ngr?.recall), higherIsBetter: true },
  { key: "ngmr", label: "mRecall", hint: "mean ngR over predicates", value: (s) => frac(s.ngr?.mean_recall), higherIsBetter: true },
  { key: "r20", label: "R@20", hint: "graph-constraint recall, top 20", value: (s) => frac(s.sgdet?.["R@20"]), higherIsBetter: true },
  { key: "r50", label: "R@50", hint: "graph-constraint recall, top 50", value: (s) => frac(s.sgdet?.["R@50"]), higherIsBetter: true },
  { key: "r100", label: "R@100", hint: "graph-constraint recall, top 100", value: (s) => frac(s.sgdet?.["R@100"]), higherIsBetter: true },
  { key: "mr20", label: "mR@20", hint: "mean over all predicates", value: (s) => frac(s.sgdet?.["mR@20"]), higherIsBetter: true },
  { key: "mr50", label: "mR@50", hint: "mean over all predicates", value: (s) => frac(s.sgdet?.["mR@50"]), higherIsBetter: true },
  { key: "mr100", label: "mR@100", hint: "mean over all predicates", value: (s) => frac(s.sgdet?.["mR@100"]), higherIsBetter: true },
];

/** A fraction as percent points, one decimal, the way SGG papers print recall. */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : (v * 100).toFixed(digits);
}

/** A difference in percent points with its sign. */
export function signedPct(d: number | null | undefined, digits = 1): string {
  if (d === null || d === undefined || !Number.isFinite(d)) return "–";
  const s = (d * 100).toFixed(digits);
  return d > 0 && Number(s) !== 0 ? `+${s}` : Number(s) === 0 ? `±${Math.abs(Number(s)).toFixed(digits)}` : s;
}

/** "better" | "worse" | "same" for a metric's change from A to B. */
export function deltaTone(def: Pick<MetricDef, "higherIsBetter">, d: number | null): "better" | "worse" | "same" {
  if (d === null || Math.abs(d) < 5e-4) return "same";
  return d > 0 === def.higherIsBetter ? "better" : "worse";
}

export const protocolFlags = (compat: readonly string[]) => (compat.length ? compat.join(" + ") : "reference protocol");
