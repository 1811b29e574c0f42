import type { InspectionResult } from "./inspector-types";
import styles from "./inspector.module.css";

const TERMS = [
  ["format", "Format", "answer tags and JSON"],
  ["node_acc", "Node accuracy", "matched labels"],
  ["node_box", "Node boxes", "IoU of matched boxes"],
  ["edge_soft", "Edge (soft)", "soft triplet recall"],
  ["edge_hard", "Edge (hard)", "exact triplet recall"],
  ["edge_hard_relax", "Edge (hard, relaxed)", "exact recall, relaxed"],
] as const;

const TOTALS = [
  ["total_soft_recall", "soft_recall", "format + node_acc + node_box + edge_soft"],
  ["total_hard_recall", "hard_recall", "format + edge_hard"],
  ["total_hard_recall_relax", "hard_recall_relax", "format + edge_hard_relax"],
] as const;

/** Every reward term, why one was forced to 0, and the three preset totals. */
export function RewardTable({ result, stale }: { result: InspectionResult; stale: boolean }) {
  return (
    <div className={stale ? `${styles.rewards} ${styles.stale}` : styles.rewards}>
      <table className={styles.table} aria-label="Rewards">
        <tbody>
          {TERMS.map(([key, label, hint]) => {
            const v = result.scores[key];
            const why = result.failures[key as keyof typeof result.failures];
            return (
              <tr key={key} data-reward={key}>
                <th scope="row">
                  {label} <span className={styles.muted}>{hint}</span>
                  {why ? <div className={styles.why}>0 because {why}</div> : null}
                </th>
                <td className={styles.bar}>
                  <span style={{ width: `${Math.max(0, Math.min(1, v)) * 100}%` }} />
                </td>
                <td className={styles.num} data-testid={`reward-${key}`}>
                  {v.toFixed(3)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className={styles.totals}>
        {TOTALS.map(([key, name, sum]) => (
          <div key={key} className={styles.total} data-reward={key}>
            <span className={styles.totalName}>{name}</span>
            <span className={styles.totalValue} data-testid={`reward-${key}`}>
              {result.scores[key].toFixed(3)}
            </span>
            <span className={styles.muted}>{sum}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
