"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { apiGet } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { JobView } from "@/server/jobs/job-view";
import { CancelJobButton } from "./cancel-button";
import { formatAgo, formatDuration, isActive, jobSubject } from "./format";
import { JobProgress } from "./job-progress";
import { JobStatusBadge } from "./status-badge";
import styles from "./jobs.module.css";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** One job: status, progress with ETA, attempts, error and payload; refreshes while it is active. */
export function JobDetail({ initial }: { initial: JobView }) {
  const q = useQuery({
    queryKey: queryKeys.jobs.detail(initial.id),
    queryFn: () => apiGet<JobView>(`/api/jobs/${initial.id}`),
    initialData: initial,
    refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? 1500 : false),
  });
  const j = q.data;
  const at = Date.parse(j.asOf);
  const took = j.startedAt && j.finishedAt ? (Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000 : null;
  return (
    <>
      <p className={styles.crumbs}>
        <Link href="/jobs">Jobs</Link> / <span className={styles.mono}>{j.id}</span>
      </p>
      <header className={styles.header}>
        <h1>
          {j.name} {jobSubject(j.payload)}
        </h1>
        <JobStatusBadge status={j.status} stale={j.stale} cancelRequested={j.cancelRequested} />
        {isActive(j.status) && !j.cancelRequested ? <CancelJobButton jobId={j.id} /> : null}
      </header>

      <section className={styles.panel} aria-label="Progress">
        <JobProgress status={j.status} done={j.progressDone} total={j.progressTotal} fraction={j.fraction} etaSeconds={j.etaSeconds} big />
        {j.message ? <p data-testid="job-message">{j.message}</p> : null}
        {j.stale ? (
          <p role="status">
            Last heartbeat {formatAgo(j.heartbeatAt, at)}: the worker running this job may have stopped. The queue gives the job to another worker once its claim runs
            out.
          </p>
        ) : null}
        {j.error ? (
          <p className={styles.error} data-testid="job-error">
            {j.status === "queued" ? "Last attempt: " : ""}
            {j.error}
          </p>
        ) : null}
        <dl className={styles.facts}>
          <Fact label="Attempts">
            {j.attempts}
            {j.maxAttempts ? ` of ${j.maxAttempts}` : ""}
          </Fact>
          <Fact label="Queued">{formatAgo(j.createdAt, at)}</Fact>
          <Fact label="Started">{formatAgo(j.startedAt, at)}</Fact>
          <Fact label={isActive(j.status) ? "Heartbeat" : "Finished"}>{formatAgo(isActive(j.status) ? j.heartbeatAt : j.finishedAt, at)}</Fact>
          {took !== null && !isActive(j.status) ? <Fact label="Last attempt took">{formatDuration(took)}</Fact> : null}
          <Fact label="Started by">{j.createdBy ?? "admin token or system"}</Fact>
        </dl>
      </section>

      <section className={styles.section}>
        <h2>Payload</h2>
        <pre className={styles.payload}>{JSON.stringify(j.payload, null, 2)}</pre>
      </section>
    </>
  );
}
