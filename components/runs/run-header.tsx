"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ApiError, apiSend } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { RunDetail } from "@/server/queries/get-run";
import { formatDuration, isActive } from "./format";
import { ProgressBar, StatusBadge } from "./status-badge";
import styles from "./runs.module.css";

/** Cancel while the run is queued or running; resume once it failed or was cancelled. */
function RunActions({ run }: { run: RunDetail }) {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: (action: "cancel" | "resume") => apiSend<unknown>("POST", `/api/runs/${run.id}/${action}`),
    onMutate: () => setError(null),
    onError: (e) => setError(e instanceof ApiError && e.status === 401 ? "Sign in to do this." : e.message),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.runs.all }),
  });
  const cancelRequested = run.job?.cancelRequestedAt !== null && run.job?.cancelRequestedAt !== undefined && isActive(run.status);
  return (
    <div>
      <div className={styles.actions}>
        {isActive(run.status) ? (
          <button type="button" className={styles.buttonDanger} disabled={act.isPending || cancelRequested} onClick={() => act.mutate("cancel")}>
            {cancelRequested ? "Cancelling…" : "Cancel run"}
          </button>
        ) : null}
        {run.status === "failed" || run.status === "cancelled" ? (
          <button type="button" className={styles.button} disabled={act.isPending} onClick={() => act.mutate("resume")} title="Continue from the newest checkpoint">
            Resume
          </button>
        ) : null}
      </div>
      {error ? <p className={styles.error} role="alert">{error}</p> : null}
    </div>
  );
}

/** Name, status, what the run trains on, its progress with the time left, and the cancel/resume buttons. */
export function RunHeader({ run }: { run: RunDetail }) {
  const p = run.progress;
  const facts: [string, React.ReactNode][] = [
    ["Model", <span key="m" className={styles.mono}>{run.model}</span>],
    ["Split", run.split?.label ?? "–"],
    ["Eval split", run.evalSplit?.label ?? "none"],
    ["Starts from", run.initCheckpoint ? `${run.initCheckpoint.model}${run.initCheckpoint.step !== null ? ` @ ${run.initCheckpoint.step}` : ""}` : "base model"],
    ["Launcher", `${run.launcher}${run.slurmJobId ? ` (Slurm ${run.slurmJobId})` : ""}`],
    ["Created", `${new Date(run.createdAt).toLocaleString()}${run.createdBy ? ` by ${run.createdBy}` : ""}`],
    ["Duration", formatDuration(run.durationSeconds)],
  ];
  return (
    <header className={styles.header}>
      <p className={styles.crumbs}>
        <Link href="/runs">Runs</Link> / #{run.id}
      </p>
      <h1>
        {run.name} <span className={styles.kind}>{run.kind}</span> <StatusBadge status={run.status} />
      </h1>
      <dl className={styles.facts} aria-label="Run facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <div className={styles.progressRow}>
        <div>
          <ProgressBar fraction={p.fraction} label="Run progress" big />
          <p className={styles.progressText} data-testid="run-progress">
            step {p.done}
            {p.total !== null ? ` of ${p.total} (${Math.round((p.fraction ?? 0) * 100)}%)` : ""}
            {p.etaSeconds !== null ? ` · about ${formatDuration(p.etaSeconds)} left` : ""}
            {run.job?.message && isActive(run.status) ? ` · ${run.job.message}` : ""}
            {run.job && run.job.attempts > 1 ? ` · attempt ${run.job.attempts}` : ""}
          </p>
        </div>
        <RunActions run={run} />
      </div>
      {run.error ? <p className={styles.error}>{run.error}</p> : null}
      <p className={styles.sub}>
        Run folder <span className={styles.mono}>{run.runDir || "–"}</span>
      </p>
    </header>
  );
}
