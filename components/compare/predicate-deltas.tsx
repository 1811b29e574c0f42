"use client";

import { useMemo } from "react";
import { BarChart, type BarBand } from "@/components/charts/bar-chart";
import { pct, signedPct } from "@/components/evaluation/metrics";
import { BAND_COLORS, byFrequency } from "@/components/evaluation/predicate-bands";
import type { ComparedEvaluation } from "./compare-types";

const yFormat = (v: number) => `${v > 0 ? "+" : ""}${Math.round(v * 100)}`;

/** Per-predicate ngR change from A to B, most frequent predicate first: green where B recalls more. */
export function PredicateDeltas({ a, b }: { a: ComparedEvaluation; b: ComparedEvaluation }) {
  const model = useMemo(() => {
    const bById = new Map(b.predicates.map((p) => [p.predicateId, p]));
    const { rows, band, bounds } = byFrequency(a.predicates);
    const deltas = rows.map((r) => {
      const other = bById.get(r.predicateId)?.ngrRecall;
      return other === null || other === undefined || r.ngrRecall === null ? null : other - r.ngrRecall;
    });
    const max = Math.max(0.05, ...deltas.map((d) => Math.abs(d ?? 0)));
    const bands: BarBand[] = (["head", "body", "tail"] as const).filter((k) => bounds[k][1] >= bounds[k][0]).map((k) => ({ from: bounds[k][0], to: bounds[k][1], label: k, color: BAND_COLORS[k] }));
    return {
      rows,
      band,
      bands,
      bById,
      categories: rows.map((r) => r.predicate),
      deltas,
      colors: deltas.map((d) => ((d ?? 0) >= 0 ? "#16a34a" : "#dc2626")),
      range: [-max * 1.1, max * 1.1] as [number, number],
    };
  }, [a, b]);
  if (model.rows.length === 0) return <p>The split has no ground-truth relationships.</p>;
  return (
    <BarChart
      categories={model.categories}
      values={model.deltas}
      colors={model.colors}
      bands={model.bands}
      yRange={model.range}
      yFormat={yFormat}
      height={260}
      describe={(i) => {
        const r = model.rows[i]!;
        const o = model.bById.get(r.predicateId);
        return `${r.predicate} (${model.band[i]}, ${r.gtCount} GT): ${pct(r.ngrRecall)} → ${pct(o?.ngrRecall)}  (${signedPct(model.deltas[i])} points)`;
      }}
      label="Change in recall per predicate"
      testId="predicate-delta-chart"
    />
  );
}
