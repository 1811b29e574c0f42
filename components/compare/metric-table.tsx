import { deltaTone, METRICS, pct, readSummary, signedPct } from "@/components/evaluation/metrics";
import { evaluationHref } from "@/components/evaluation/links";
import type { ComparedEvaluation } from "./compare-types";
import styles from "./compare.module.css";

/** Every headline metric for each evaluation, with its change from the baseline (A), coloured better / worse. */
export function MetricTable({ evaluations }: { evaluations: ComparedEvaluation[] }) {
  const summaries = evaluations.map((e) => readSummary(e.summary));
  return (
    <table className={styles.table} aria-label="Metrics">
      <thead>
        <tr>
          <th>Metric</th>
          {evaluations.map((e, i) => (
            <th key={e.id} className={styles.num} colSpan={i === 0 ? 1 : 2}>
              <span className={styles.setTag}>{String.fromCharCode(65 + i)}</span> <a href={evaluationHref(e.id)}>{e.predictionSetName}</a>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {METRICS.map((m) => {
          const base = m.value(summaries[0]!);
          return (
            <tr key={m.key} data-metric={m.key}>
              <th scope="row">
                {m.label} <span className={styles.muted}>{m.hint}</span>
              </th>
              {evaluations.map((e, i) => {
                const v = m.value(summaries[i]!);
                if (i === 0) return <td key={e.id} className={styles.num}>{pct(v)}</td>;
                const d = v === null || base === null ? null : v - base;
                const tone = deltaTone(m, d);
                return [
                  <td key={`${e.id}v`} className={styles.num}>{pct(v)}</td>,
                  <td key={`${e.id}d`} className={`${styles.num} ${styles.delta} ${styles[tone]}`} data-testid={`delta-${m.key}-${i}`}>
                    {signedPct(d)}
                  </td>,
                ];
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
