import Link from "next/link";
import { gridHref } from "./links";
import styles from "./evaluation.module.css";
import { PARSE_FAILURE_LABEL } from "@/components/parse-failure-labels";

const REASON_TEXT: Record<string, string> = PARSE_FAILURE_LABEL;

/** Why answers failed, most frequent first; each reason opens its images in the grid. */
export function FailureReasons({ reasons, total, splitId, setId, evaluationId }: { reasons: Record<string, number>; total: number; splitId: number; setId: number; evaluationId: number }) {
  const rows = Object.entries(reasons).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const failed = rows.reduce((s, [, n]) => s + n, 0);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <section className={styles.panel} aria-labelledby="failure-reasons">
      <h2 id="failure-reasons" className={styles.panelTitle}>
        Failure reasons <span className={styles.panelNote}>{failed === 0 ? "every answer parsed" : `${failed} of ${total} answers failed`}</span>
      </h2>
      <ul className={styles.reasons}>
        {rows.map(([kind, n]) => (
          <li key={kind} className={n === 0 ? styles.reasonEmpty : undefined}>
            {n > 0 ? (
              <Link href={gridHref(splitId, setId, evaluationId, { failure: kind })} className={styles.reasonLink} aria-label={`${REASON_TEXT[kind] ?? kind}: ${n} images`}>
                <span className={styles.reasonName}>{REASON_TEXT[kind] ?? kind}</span>
                <span className={styles.reasonBar}>
                  <span style={{ width: `${(n / max) * 100}%` }} />
                </span>
                <span className={styles.reasonCount}>{n}</span>
              </Link>
            ) : (
              <span className={styles.reasonLink}>
                <span className={styles.reasonName}>{REASON_TEXT[kind] ?? kind}</span>
                <span className={styles.reasonBar} />
                <span className={styles.reasonCount}>0</span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
