import { formatDuration, formatPercent } from "./format";
import styles from "./jobs.module.css";

export interface JobProgressProps {
  status: string;
  done: number;
  total: number | null;
  fraction: number | null;
  etaSeconds: number | null;
  big?: boolean;
}

/** Progress bar with the percentage, the counts and, while running, the time left. */
export function JobProgress({ status, done, total, fraction, etaSeconds, big }: JobProgressProps) {
  const percent = formatPercent(fraction);
  const width = fraction === null ? 0 : Math.min(1, Math.max(0, fraction)) * 100;
  const counts = total === null ? (done > 0 ? `${done} done` : "") : `${done} / ${total}`;
  return (
    <div className={styles.progress}>
      <div
        className={big ? styles.trackBig : styles.track}
        role="progressbar"
        aria-label="Progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(width * 10) / 10}
      >
        <span className={styles.fill} style={{ width: `${width}%` }} />
      </div>
      <div className={styles.progressText}>
        <span data-testid="job-percent">{percent ?? (status === "queued" ? "waiting" : "–")}</span>
        <span data-testid="job-counts">{counts}</span>
        {status === "running" && etaSeconds !== null ? <span data-testid="job-eta">about {formatDuration(etaSeconds)} left</span> : null}
      </div>
    </div>
  );
}
