"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { JobStatusBadge } from "@/components/jobs/status-badge";
import { apiGet, apiSend } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { EvaluationVersions } from "@/server/annotation/evaluation-versions";
import type { JobView } from "@/server/jobs/job-view";
import { evaluationHref } from "./links";
import styles from "./reevaluate.module.css";

export interface ReevaluateProps {
  readonly evaluationId: number;
  readonly predictionSetId: number;
  readonly compatKey: string;
  readonly gtVersion: number;
  readonly currentGtVersion: number;
  /** A stored evaluation of the set under the same flags at the current GT version, if any. */
  readonly atCurrent: number | null;
}

interface Queued {
  readonly jobId: string;
  readonly gtVersion: number;
}

const ENDED = new Set(["completed", "failed", "cancelled"]);

/** Follows the queued evaluate job; once it completed, finds the evaluation it stored. */
function QueuedJob({ queued, predictionSetId, compatKey }: { queued: Queued; predictionSetId: number; compatKey: string }) {
  const router = useRouter();
  const job = useQuery({
    queryKey: queryKeys.jobs.detail(queued.jobId),
    queryFn: () => apiGet<JobView>(`/api/jobs/${queued.jobId}`),
    refetchInterval: (q) => (q.state.data && ENDED.has(q.state.data.status) ? false : 1500),
  });
  const done = job.data?.status === "completed";
  const versions = useQuery({
    queryKey: queryKeys.evaluations.versions(predictionSetId),
    queryFn: () => apiGet<EvaluationVersions>(`/api/prediction-sets/${predictionSetId}/evaluation-versions`),
    enabled: done,
  });
  const stored = versions.data?.evaluations.filter((e) => e.gtVersion === queued.gtVersion && e.compatKey === compatKey).at(-1) ?? null;
  // The page's panels are server-rendered: refresh them once the new evaluation is stored.
  const storedId = stored?.id ?? null;
  useEffect(() => {
    if (storedId !== null) router.refresh();
  }, [storedId, router]);
  return (
    <p className={styles.queued} aria-live="polite" data-testid="reevaluate-job">
      {job.data ? <JobStatusBadge status={job.data.status} stale={job.data.stale} /> : <span>queued</span>}{" "}
      Evaluate job <Link href={`/jobs/${queued.jobId}`}>{queued.jobId.slice(0, 8)}</Link> against GT version {queued.gtVersion}
      {job.data?.status === "failed" ? <span className={styles.error}> — {job.data.error ?? "failed"}</span> : null}
      {stored ? (
        <>
          {" — "}
          <Link href={evaluationHref(stored.id)} className={styles.strong} data-testid="reevaluated-link">
            Open the evaluation against GT version {stored.gtVersion}
          </Link>
        </>
      ) : null}
      {job.error ? <span className={styles.error}> — cannot read the job: {job.error.message}</span> : null}
    </p>
  );
}

/**
 * Which ground truth the evaluation read beside where the split is now; when the split has moved on, one
 * click queues the same prediction set and flags against the newest GT version.
 */
export function Reevaluate({ evaluationId, predictionSetId, compatKey, gtVersion, currentGtVersion, atCurrent }: ReevaluateProps) {
  const start = useMutation({ mutationFn: () => apiSend<Queued>("POST", `/api/evaluations/${evaluationId}/reevaluate`) });
  if (gtVersion === currentGtVersion) return null;
  return (
    <section className={styles.banner} aria-label="Ground-truth version">
      <p className={styles.text}>
        The split&apos;s ground truth has changed since this evaluation: it was computed against <strong>GT version {gtVersion}</strong>, the split is at{" "}
        <strong>GT version {currentGtVersion}</strong>.
      </p>
      <div className={styles.actions}>
        {atCurrent !== null && !start.data ? (
          <Link href={evaluationHref(atCurrent)} className={styles.strong}>
            Open the evaluation against GT version {currentGtVersion}
          </Link>
        ) : null}
        {atCurrent === null && !start.data ? (
          <button type="button" className={styles.button} disabled={start.isPending} onClick={() => start.mutate()}>
            {start.isPending ? "Queueing…" : `Re-evaluate against GT version ${currentGtVersion}`}
          </button>
        ) : null}
        {start.isError ? (
          <span role="alert" className={styles.error}>
            {start.error.message}
          </span>
        ) : null}
      </div>
      {start.data ? <QueuedJob queued={start.data} predictionSetId={predictionSetId} compatKey={compatKey} /> : null}
    </section>
  );
}
