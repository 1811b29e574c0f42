"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { compareHref } from "@/components/evaluation/links";
import type { PickableEvaluation } from "./compare-types";
import styles from "./compare.module.css";

/** Choose two or more evaluations of one split; the first chosen is the baseline (A). */
export function EvaluationPicker({ evaluations, selected }: { evaluations: PickableEvaluation[]; selected: number[] }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<number[]>(selected);
  const splits = [...new Map(evaluations.map((e) => [e.splitId, e.splitLabel])).entries()];
  const chosenSplits = new Set(evaluations.filter((e) => chosen.includes(e.id)).map((e) => e.splitId));
  const toggle = (id: number) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  return (
    <form
      className={styles.picker}
      aria-label="Choose evaluations"
      onSubmit={(ev) => {
        ev.preventDefault();
        router.push(compareHref(chosen));
      }}
    >
      {splits.map(([splitId, label]) => (
        <fieldset key={splitId} className={styles.pickerGroup}>
          <legend>{label}</legend>
          {evaluations
            .filter((e) => e.splitId === splitId)
            .map((e) => {
              const pos = chosen.indexOf(e.id);
              return (
                <label key={e.id} className={pos >= 0 ? `${styles.pickItem} ${styles.picked}` : styles.pickItem}>
                  <input type="checkbox" checked={pos >= 0} onChange={() => toggle(e.id)} aria-label={`${e.predictionSetName} (evaluation ${e.id})`} />
                  <span className={styles.pickTag}>{pos >= 0 ? String.fromCharCode(65 + pos) : ""}</span>
                  <span>
                    <strong>{e.predictionSetName}</strong> <span className={styles.muted}>#{e.id} · {e.flags} · {e.evaluatorVersion}</span>
                  </span>
                </label>
              );
            })}
        </fieldset>
      ))}
      <div className={styles.pickerActions}>
        <button type="submit" disabled={chosen.length < 2}>
          Compare {chosen.length >= 2 ? chosen.length : ""} evaluations
        </button>
        {chosenSplits.size > 1 ? <span className={styles.warn}>These are on different splits: triplets cannot be matched.</span> : null}
      </div>
    </form>
  );
}
