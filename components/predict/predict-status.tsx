"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { apiGet } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { PredictionRunView } from "@/server/predictions/get-prediction-run";
import styles from "./predict.module.css";

const FINISHED = new Set(["failed", "cancelled"]);

/** Follows a started run: answers stored of the total, then the link to its evaluation once stored. */
export function PredictStatus({ predictionSetId, jobId }: { predictionSetId: number; jobId: string | null }) {
  const { data, error } = useQuery({
    queryKey: queryKeys.predictionSets.run(predictionSetId),
    queryFn: () => apiGet<PredictionRunView>(`/api/prediction-sets?id=${predictionSetId}`),
    // Poll until the set is evaluated or has stopped for good.
    refetchInterval: (q) => {
      const d = q.state.data;
      return d && (FINISHED.has(d.status) || (d.status === "complete" && d.evaluationId !== null)) ? false : 2000;
    },
  });
  const pct = data && data.total > 0 ? Math.min(100, Math.round((100 * data.count) / data.total)) : 0;
  return (
    <section className={styles.status} aria-label="Prediction run" data-status={data?.status ?? "starting"}>
      <h2>
        Prediction set #{predictionSetId}
        {data ? ` “${data.name}” on ${data.split.dataset}/${data.split.name}` : ""}
      </h2>
      {error ? <p className={styles.error}>Cannot read the run: {error.message}</p> : null}
      {data ? (
        <>
          <p>
            <strong>{data.status === "complete" ? (data.evaluationId ? "Complete and evaluated" : "Complete, evaluation queued") : data.status === "running" ? "Running" : `Stopped: ${data.status}`}</strong>
            {" — "}
            {data.count} of {data.total} images answered, {data.failedCount} failed
          </p>
          <div className={styles.progress} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <span style={{ width: `${pct}%` }} />
          </div>
        </>
      ) : (
        <p>Starting…</p>
      )}
      <div className={styles.links}>
        {jobId ? <Link href={`/jobs/${jobId}`}>Job page</Link> : null}
        {data?.evaluationId ? <Link href={`/evaluations/${data.evaluationId}`}>Open the evaluation</Link> : null}
        {data && data.count > 0 ? <Link href={`/datasets/${data.split.id}/images?set=${predictionSetId}`}>Browse the answers</Link> : null}
      </div>
    </section>
  );
}
