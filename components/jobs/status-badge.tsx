import styles from "./jobs.module.css";

const TONE: Record<string, string | undefined> = {
  queued: styles.queued,
  running: styles.running,
  completed: styles.completed,
  failed: styles.failed,
  cancelled: styles.cancelled,
};

/** A job's status as a coloured pill, with a "stale" pill when its worker has gone quiet. */
export function JobStatusBadge({ status, stale, cancelRequested }: { status: string; stale?: boolean; cancelRequested?: boolean }) {
  const label = cancelRequested && status === "running" ? "cancelling" : status;
  return (
    <>
      <span className={`${styles.badge} ${TONE[status] ?? ""}`} data-testid="job-status" data-status={status}>
        {label}
      </span>
      {stale ? (
        <span className={`${styles.badge} ${styles.stale}`} title="No heartbeat for over two minutes: its worker may have stopped. The queue retries the job once its claim runs out.">
          stale
        </span>
      ) : null}
    </>
  );
}
