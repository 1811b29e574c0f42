import Link from "next/link";
import type { AdjustedRecall } from "./adjusted-recall";
import { evaluationHref } from "./links";
import { pct, signedPct } from "./metrics";
import styles from "./adjusted-recall.module.css";

export interface AdjustedRecallPanelProps {
  readonly figures: AdjustedRecall;
  /** The evaluation this page shows, marked in the column heads. */
  readonly evaluationId: number;
  readonly currentGtVersion: number;
  /** Triplets of the split accepted from predictions and flagged as wrong in review. */
  readonly reviews: { readonly accepted: number; readonly flagged: number };
}

function Bar({ value, tone }: { value: number | null; tone: "original" | "reviewed" }) {
  const width = value === null ? 0 : Math.min(1, Math.max(0, value)) * 100;
  return (
    <span className={styles.track} aria-hidden>
      <span className={tone === "original" ? styles.barOriginal : styles.barReviewed} style={{ width: `${width}%` }} />
    </span>
  );
}

function Head({ label, at, evaluationId }: { label: string; at: { id: number; gtVersion: number }; evaluationId: number }) {
  return (
    <th className={styles.num} scope="col">
      {label}
      <div className={styles.version}>
        GT version {at.gtVersion} · {at.id === evaluationId ? "this evaluation" : <Link href={evaluationHref(at.id)}>#{at.id}</Link>}
      </div>
    </th>
  );
}

/**
 * "Adjusted recall": the set's figures against the original ground truth beside the same figures against
 * the reviewed ground truth, two bars per metric, with the difference in percent points and the review
 * counts that made the two apart.
 */
export function AdjustedRecallPanel({ figures, evaluationId, currentGtVersion, reviews }: AdjustedRecallPanelProps) {
  const { original, reviewed, rows } = figures;
  const stale = (reviewed ?? original).gtVersion < currentGtVersion;
  return (
    <section className={styles.panel} aria-labelledby="adjusted-recall" data-testid="adjusted-recall">
      <h2 id="adjusted-recall" className={styles.panelTitle}>
        Adjusted recall <span className={styles.panelNote}>against the original and the reviewed ground truth, same protocol</span>
      </h2>
      <table className={styles.table} aria-label="Adjusted recall">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <Head label="Original GT" at={original} evaluationId={evaluationId} />
            {reviewed ? <Head label="Reviewed GT" at={reviewed} evaluationId={evaluationId} /> : null}
            {reviewed ? (
              <th className={styles.num} scope="col">
                Δ <span className={styles.version}>points</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-metric={r.key}>
              <th scope="row" title={r.hint}>
                {r.label}
              </th>
              <td data-testid={`adjusted-original-${r.key}`}>
                <div className={styles.value}>
                  <span className={styles.figure}>{pct(r.original)}</span>
                  <Bar value={r.original} tone="original" />
                </div>
              </td>
              {reviewed ? (
                <td data-testid={`adjusted-reviewed-${r.key}`}>
                  <div className={styles.value}>
                    <span className={styles.figure}>{pct(r.reviewed)}</span>
                    <Bar value={r.reviewed} tone="reviewed" />
                  </div>
                </td>
              ) : null}
              {reviewed ? (
                <td className={`${styles.num} ${styles[r.tone]}`} data-testid={`adjusted-delta-${r.key}`}>
                  {signedPct(r.delta)}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.reviews} data-testid="review-counts">
        In review, <strong data-testid="reviews-accepted">{reviews.accepted}</strong> predicted {reviews.accepted === 1 ? "triplet was" : "triplets were"} accepted into the split&apos;s
        ground truth and <strong data-testid="reviews-flagged">{reviews.flagged}</strong> ground-truth {reviews.flagged === 1 ? "triplet was" : "triplets were"} flagged as wrong.
      </p>
      {stale ? <p className={styles.note}>The split is at GT version {currentGtVersion} now; re-evaluate to see the figures against it.</p> : null}
    </section>
  );
}
