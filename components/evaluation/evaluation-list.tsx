import Link from "next/link";
import { compareHref, evaluationHref } from "./links";
import { pct, protocolFlags, readSummary } from "./metrics";
import styles from "./evaluation.module.css";

export interface EvaluationListItem {
  id: number;
  predictionSetId: number;
  predictionSetName: string;
  dataset: string;
  split: string;
  compat: string[];
  evaluatorVersion: string;
  /** The split's GT version the evaluation read, and the split's version now. */
  gtVersion: number;
  currentGtVersion: number;
  createdAt: string;
  summary: unknown;
}

/** Every stored evaluation with its protocol and headline numbers; sets of one split can be compared. */
export function EvaluationList({ items }: { items: EvaluationListItem[] }) {
  const bySplit = new Map<string, number[]>();
  for (const e of items) bySplit.set(`${e.dataset}/${e.split}`, [...(bySplit.get(`${e.dataset}/${e.split}`) ?? []), e.id]);
  return (
    <div className={styles.panel}>
      <table className={styles.table} aria-label="Evaluations">
        <thead>
          <tr>
            <th>Prediction set</th>
            <th>Split</th>
            <th>Protocol</th>
            <th>Evaluator</th>
            <th className={styles.num} title="The split's ground-truth version the evaluation was computed against">
              GT
            </th>
            <th className={styles.num}>Failure</th>
            <th className={styles.num}>AP50</th>
            <th className={styles.num}>Recall</th>
            <th className={styles.num}>mRecall</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const s = readSummary(e.summary);
            const peers = bySplit.get(`${e.dataset}/${e.split}`)!.filter((id) => id !== e.id);
            return (
              <tr key={e.id}>
                <td>
                  <Link href={evaluationHref(e.id)} className={styles.strong}>
                    {e.predictionSetName}
                  </Link>
                  <div className={styles.sub}>evaluation #{e.id}</div>
                </td>
                <td>
                  {e.dataset}/{e.split}
                </td>
                <td>
                  <span className={styles.flag}>{protocolFlags(e.compat)}</span>
                </td>
                <td className={styles.mono}>{e.evaluatorVersion}</td>
                <td className={styles.num} data-testid="evaluation-gt-version">
                  {e.gtVersion}
                  {e.gtVersion === e.currentGtVersion ? null : <div className={styles.sub}>now {e.currentGtVersion}</div>}
                </td>
                <td className={styles.num}>{s.failure?.rate === undefined ? "–" : `${s.failure.rate.toFixed(1)}%`}</td>
                <td className={styles.num}>{pct(s.coco?.AP50)}</td>
                <td className={styles.num}>{pct(s.ngr?.recall)}</td>
                <td className={styles.num}>{pct(s.ngr?.mean_recall)}</td>
                <td className={styles.actions}>
                  {peers.length > 0 ? <Link href={compareHref([e.id, peers[0]!])}>Compare</Link> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
