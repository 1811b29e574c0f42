import Link from "next/link";
import { compareHref, evaluationHref } from "@/components/evaluation/links";
import { pct } from "@/components/evaluation/metrics";
import type { EvaluationFigures, RunCheckpoint } from "@/server/queries/get-run";
import styles from "./runs.module.css";

interface EvalRow {
  checkpointId: number;
  step: number | null;
  splitId: number;
  evaluation: EvaluationFigures;
}

/** Reference-protocol evaluations of the run's checkpoints, in step order, grouped by split. */
function evaluationsBySplit(checkpoints: readonly RunCheckpoint[]): Map<number, EvalRow[]> {
  const out = new Map<number, EvalRow[]>();
  for (const c of checkpoints) {
    for (const s of c.predictionSets) {
      for (const e of s.evaluations) {
        if (e.compat.length > 0) continue;
        out.set(s.split.id, [...(out.get(s.split.id) ?? []), { checkpointId: c.id, step: c.step, splitId: s.split.id, evaluation: e }]);
      }
    }
  }
  return out;
}

/**
 * The run's checkpoints with their prediction sets and evaluations; each evaluation opens its page or
 * Compare against the previous checkpoint's evaluation of the same split (same protocol).
 */
export function CheckpointsTable({ checkpoints }: { checkpoints: RunCheckpoint[] }) {
  const bySplit = evaluationsBySplit(checkpoints);
  const longest = [...bySplit.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const previous = (splitId: number, evaluationId: number) => {
    const list = bySplit.get(splitId) ?? [];
    const i = list.findIndex((r) => r.evaluation.id === evaluationId);
    return i > 0 ? list[i - 1]!.evaluation.id : null;
  };
  return (
    <section className={styles.panel} aria-labelledby="run-checkpoints">
      <h2 id="run-checkpoints" className={styles.panelTitle}>
        Checkpoints <span className={styles.panelNote}>{checkpoints.length} registered; recall and mR as the evaluation pages report them</span>
        {longest.length >= 2 ? <Link href={compareHref(longest.slice(-8).map((r) => r.evaluation.id))}>Compare the last {Math.min(8, longest.length)}</Link> : null}
      </h2>
      {checkpoints.length === 0 ? (
        <p className={styles.empty}>No checkpoint yet.</p>
      ) : (
        <table className={styles.table} aria-label="Checkpoints">
          <thead>
            <tr>
              <th className={styles.num}>Step</th>
              <th>Format / path</th>
              <th>Prediction set</th>
              <th className={styles.num}>Failure</th>
              <th className={styles.num}>AP50</th>
              <th className={styles.num}>Recall</th>
              <th className={styles.num}>mRecall</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {checkpoints.map((c) => {
              const rows = c.predictionSets.flatMap((s): { s: typeof s; e: EvaluationFigures | null }[] => (s.evaluations.length ? s.evaluations.map((e) => ({ s, e })) : [{ s, e: null }]));
              const span = Math.max(1, rows.length);
              const head = (
                <>
                  <td className={styles.num} rowSpan={span}>
                    {c.step ?? "–"}
                  </td>
                  <td rowSpan={span}>
                    {c.format}
                    <div className={styles.mono}>{c.path}</div>
                  </td>
                </>
              );
              if (rows.length === 0) {
                return (
                  <tr key={c.id} data-checkpoint-step={c.step ?? ""}>
                    {head}
                    <td colSpan={6} className={styles.empty}>
                      not evaluated yet
                    </td>
                  </tr>
                );
              }
              return rows.map(({ s, e }, i) => {
                const prev = e ? previous(s.split.id, e.id) : null;
                return (
                  <tr key={`${c.id}-${s.id}-${e?.id ?? "none"}`} data-checkpoint-step={c.step ?? ""}>
                    {i === 0 ? head : null}
                    <td>
                      {s.name}
                      <div className={styles.sub}>
                        {s.split.label} · {s.status} · {s.count} answers, {s.failedCount} failed
                        {e && e.compat.length ? ` · ${e.compat.join(" + ")}` : ""}
                      </div>
                    </td>
                    <td className={styles.num}>{e?.failureRate == null ? "–" : `${e.failureRate.toFixed(1)}%`}</td>
                    <td className={styles.num}>{pct(e?.ap50)}</td>
                    <td className={styles.num}>{pct(e?.recall)}</td>
                    <td className={styles.num}>{pct(e?.meanRecall)}</td>
                    <td className={styles.num}>
                      {e ? <Link href={evaluationHref(e.id)}>Evaluation</Link> : <span className={styles.empty}>not evaluated</span>}
                      {e && prev !== null ? (
                        <>
                          {" · "}
                          <Link href={compareHref([prev, e.id])}>Open in Compare</Link>
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              });
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
