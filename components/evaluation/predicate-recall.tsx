"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { BarChart, type BarBand } from "@/components/charts/bar-chart";
import { gridHref } from "./links";
import { pct } from "./metrics";
import { BAND_COLORS, byFrequency, type PredicateRow } from "./predicate-bands";
import styles from "./evaluation.module.css";

const BAR_COLORS = { head: "#1d4ed8", body: "#7c3aed", tail: "#ea580c" } as const;
const yFormat = (v: number) => `${Math.round(v * 100)}%`;
const Y_RANGE: [number, number] = [0, 1];

/**
 * Per-predicate ngR, most frequent predicate first, with head / body / tail bands. A bar (or a row of the
 * table under it) opens the image grid narrowed to that predicate.
 */
export function PredicateRecall({ predicates, splitId, setId, evaluationId }: { predicates: PredicateRow[]; splitId: number; setId: number; evaluationId: number }) {
  const router = useRouter();
  const { rows, band, bounds } = useMemo(() => byFrequency(predicates), [predicates]);
  const categories = useMemo(() => rows.map((r) => r.predicate), [rows]);
  const values = useMemo(() => rows.map((r) => r.ngrRecall), [rows]);
  const colors = useMemo(() => band.map((b) => BAR_COLORS[b]), [band]);
  const bands = useMemo<BarBand[]>(
    () => (["head", "body", "tail"] as const).filter((b) => bounds[b][1] >= bounds[b][0]).map((b) => ({ from: bounds[b][0], to: bounds[b][1], label: b, color: BAND_COLORS[b] })),
    [bounds],
  );
  const href = (i: number) => gridHref(splitId, setId, evaluationId, { predicateId: rows[i]!.predicateId });

  if (rows.length === 0) return <p className={styles.empty}>The split has no ground-truth relationships.</p>;
  return (
    <>
      <BarChart
        categories={categories}
        values={values}
        colors={colors}
        bands={bands}
        yRange={Y_RANGE}
        yFormat={yFormat}
        describe={(i) => `${rows[i]!.predicate} (${band[i]}): ngR ${pct(rows[i]!.ngrRecall)}% — ${rows[i]!.ngrHits} of ${rows[i]!.gtCount} ground-truth triplets`}
        onSelect={(i) => router.push(href(i))}
        label="Recall per predicate"
        testId="predicate-recall-chart"
      />
      <details className={styles.tableToggle}>
        <summary>Table of {rows.length} predicates</summary>
        <table className={styles.table}>
          <thead>
            <tr>
              <th>Predicate</th>
              <th>Band</th>
              <th className={styles.num}>GT triplets</th>
              <th className={styles.num}>Hits</th>
              <th className={styles.num}>ngR</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.predicateId}>
                <td>
                  <Link href={href(i)}>{r.predicate}</Link>
                </td>
                <td>{band[i]}</td>
                <td className={styles.num}>{r.gtCount}</td>
                <td className={styles.num}>{r.ngrHits}</td>
                <td className={styles.num}>{pct(r.ngrRecall)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
