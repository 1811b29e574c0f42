import styles from "./runs.module.css";

const TONE: Record<string, string | undefined> = {
  queued: styles.queued,
  running: styles.running,
  completed: styles.completed,
  failed: styles.failed,
  cancelled: styles.cancelled,
};

/** A run's or job's status as a coloured pill. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`${styles.badge} ${TONE[status] ?? ""}`} data-status={status}>
      {status}
    </span>
  );
}

/** A thin progress bar; `fraction` null draws an empty track. */
export function ProgressBar({ fraction, label, big }: { fraction: number | null; label: string; big?: boolean }) {
  const pct = fraction === null ? 0 : Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;
  return (
    <div className={big ? styles.progressBig : styles.progress} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={fraction === null ? undefined : pct}>
      <span style={{ width: `${pct}%` }} />
    </div>
  );
}
