"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { apiGet } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { JobList as JobListData } from "@/server/jobs/list-jobs";
import { CancelJobButton } from "./cancel-button";
import { formatAgo, isActive, jobSubject } from "./format";
import { JobProgress } from "./job-progress";
import { JobStatusBadge } from "./status-badge";
import styles from "./jobs.module.css";

const FILTERS: { label: string; statuses: string[] }[] = [
  { label: "All", statuses: [] },
  { label: "Active", statuses: ["queued", "running"] },
  { label: "Completed", statuses: ["completed"] },
  { label: "Failed", statuses: ["failed"] },
  { label: "Cancelled", statuses: ["cancelled"] },
];

/** Jobs newest first; refreshes every two seconds while any job is queued or running. */
export function JobList({ initial, statuses }: { initial: JobListData; statuses: string[] }) {
  const q = useQuery({
    queryKey: queryKeys.jobs.list(statuses),
    queryFn: () => apiGet<JobListData>(`/api/jobs?limit=100${statuses.length ? `&status=${statuses.join(",")}` : ""}`),
    initialData: initial,
    refetchInterval: (query) => ((query.state.data?.counts.queued ?? 0) + (query.state.data?.counts.running ?? 0) > 0 ? 2000 : false),
  });
  const { jobs, counts } = q.data;
  const at = Date.parse(q.data.asOf);
  const key = statuses.join(",");
  return (
    <>
      <nav className={styles.filters} aria-label="Filter by status">
        {FILTERS.map((f) => {
          const n = f.statuses.length ? f.statuses.reduce((sum, s) => sum + (counts[s as keyof typeof counts] ?? 0), 0) : Object.values(counts).reduce((a, b) => a + b, 0);
          const href = f.statuses.length ? `/jobs?status=${f.statuses.join(",")}` : "/jobs";
          return (
            <Link key={f.label} href={href} className={f.statuses.join(",") === key ? styles.filterActive : styles.filter}>
              {f.label} ({n})
            </Link>
          );
        })}
      </nav>
      {q.isError ? <p role="alert">Could not refresh the list: {q.error.message}</p> : null}
      {jobs.length === 0 ? (
        <p className={styles.notice}>No jobs here yet. Jobs appear when an evaluation, a prediction or a training run is started.</p>
      ) : (
        <div className={styles.panel}>
          <table className={styles.table} aria-label="Jobs">
            <thead>
              <tr>
                <th>Job</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Started</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} data-job-id={j.id}>
                  <td>
                    <Link href={`/jobs/${j.id}`}>
                      <strong>{j.name}</strong> {jobSubject(j.payload)}
                    </Link>
                    <div className={styles.sub}>
                      {j.createdBy ? `by ${j.createdBy} · ` : ""}queued {formatAgo(j.createdAt, at)}
                    </div>
                    {j.message ? <div className={styles.sub}>{j.message}</div> : null}
                  </td>
                  <td>
                    <JobStatusBadge status={j.status} stale={j.stale} cancelRequested={j.cancelRequested} />
                    {j.attempts > 1 ? <div className={styles.sub}>attempt {j.attempts}{j.maxAttempts ? ` of ${j.maxAttempts}` : ""}</div> : null}
                  </td>
                  <td>
                    <JobProgress status={j.status} done={j.progressDone} total={j.progressTotal} fraction={j.fraction} etaSeconds={j.etaSeconds} />
                    {j.error && j.status === "failed" ? <p className={styles.error}>{j.error}</p> : null}
                  </td>
                  <td className={styles.sub}>{formatAgo(j.startedAt, at)}</td>
                  <td>{isActive(j.status) && !j.cancelRequested ? <CancelJobButton jobId={j.id} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
