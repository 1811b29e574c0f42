import { METRICS, pct, type Summary } from "./metrics";
import { protocolLine, type ProtocolInfo } from "./protocol";
import styles from "./evaluation.module.css";

/** The evaluation's headline numbers, each card carrying the protocol it was measured under. */
export function HeadlineFigures({ summary, protocol }: { summary: Summary; protocol: ProtocolInfo }) {
  const line = protocolLine(protocol);
  const failure = summary.failure;
  return (
    <section aria-label="Headline figures" className={styles.figures}>
      {METRICS.map((m) => {
        const v = m.value(summary);
        const main = m.key === "failure" || m.key === "ap50" || m.key === "ngr" || m.key === "ngmr";
        return (
          <article key={m.key} className={main ? `${styles.figure} ${styles.figureMain}` : styles.figure} data-metric={m.key} aria-label={m.label}>
            <h3 className={styles.figureLabel}>{m.label}</h3>
            <p className={styles.figureValue}>
              {pct(v)}
              <span className={styles.unit}>%</span>
            </p>
            <p className={styles.figureHint}>
              {m.key === "failure" && failure?.failed !== undefined && failure.total !== undefined ? `${failure.failed} of ${failure.total} answers · ` : ""}
              {m.hint}
            </p>
            <p className={styles.figureProtocol} title="Protocol: dataset/split, images, compatibility flags, evaluator version">
              {line}
            </p>
          </article>
        );
      })}
    </section>
  );
}
