"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { pct } from "@/components/evaluation/metrics";
import { evaluationHref } from "@/components/evaluation/links";
import { apiGet } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { RunListItem } from "@/server/queries/list-runs";
import { formatDuration, formatMetric, isActive } from "./format";
import { ProgressBar, StatusBadge } from "./status-badge";
import styles from "./runs.module.css";

function Best({ run }: { run: RunListItem }) {
  const b = run.best;
  const evalEntries = Object.entries(b.eval).slice(0, 2);
  const parts = [
    b.rewardMean ? <span key="r">reward {formatMetric(b.rewardMean.value)} <span className={styles.sub}>@{b.rewardMean.step}</span></span> : null,
    b.loss ? <span key="l">loss {formatMetric(b.loss.value)} <span className={styles.sub}>@{b.loss.step}</span></span> : null,
    ...evalEntries.map(([name, m]) => (
      <span key={name}>
        {name} {formatMetric(m.value)} <span className={styles.sub}>@{m.step}</span>
      </span>
    )),
  ].filter(Boolean);
  return parts.length ? <div style={{ display: "flex", flexDirection: "column" }}>{parts}</div> : <span className={styles.empty}>–</span>;
}

/** Every run with status, progress, duration and best figures; refreshes while any run is active. */
export function RunList({ initial }: { initial: RunListItem[] }) {
  const { data } = useQuery({
    queryKey: queryKeys.runs.list,
    queryFn: async () => (await apiGet<{ runs: RunListItem[] }>("/api/runs")).runs,
    initialData: initial,
    refetchInterval: (q) => ((q.state.data ?? []).some((r) => isActive(r.status)) ? 3000 : false),
  });
  const runs = data ?? [];
  if (runs.length === 0) {
    return (
      <p className={styles.empty}>
        No training runs yet. <Link href="/runs/new">Start one</Link> from the run form.
      </p>
    );
  }
  return (
    <div className={styles.panel}>
      <table className={styles.table} aria-label="Training runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            <th>Model / split</th>
            <th>Progress</th>
            <th className={styles.num}>Duration</th>
            <th>Best</th>
            <th className={styles.num} title="Best checkpoint evaluation, reference protocol">Recall / mR</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const frac = r.totalSteps ? r.lastStep / r.totalSteps : null;
            const ck = r.best.checkpoint;
            return (
              <tr key={r.id} data-run-id={r.id}>
                <td>
                  <Link href={`/runs/${r.id}`} className={styles.strong}>
                    {r.name}
                  </Link>{" "}
                  <span className={styles.kind}>{r.kind}</span>
                  <div className={styles.sub}>
                    #{r.id} · {new Date(r.createdAt).toLocaleString()}
                  </div>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                  {r.error ? <div className={styles.sub} title={r.error}>{r.error.slice(0, 60)}</div> : null}
                </td>
                <td>
                  <div className={styles.mono}>{r.model}</div>
                  <div className={styles.sub}>{r.split?.label ?? "–"}</div>
                </td>
                <td>
                  <ProgressBar fraction={frac} label={`Progress of ${r.name}`} />
                  <div className={styles.sub}>
                    step {r.lastStep}
                    {r.totalSteps ? ` / ${r.totalSteps}` : ""}
                  </div>
                </td>
                <td className={styles.num}>{formatDuration(r.durationSeconds)}</td>
                <td>
                  <Best run={r} />
                </td>
                <td className={styles.num}>
                  {ck ? (
                    <Link href={evaluationHref(ck.evaluationId)} title={`checkpoint at step ${ck.checkpointStep ?? "?"}`}>
                      {pct(ck.recall)} / {pct(ck.meanRecall)}
                    </Link>
                  ) : (
                    "–"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
