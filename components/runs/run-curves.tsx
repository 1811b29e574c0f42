"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { apiGet } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { RunMetricSeries } from "@/server/queries/run-metric-series";
import { MetricChart } from "./metric-chart";
import { chartSpecs, mergeSeries, sinceFor, type SeriesState } from "./metric-series";
import styles from "./run-charts.module.css";
import runStyles from "./runs.module.css";

/**
 * The run's curves, polled every 2 s while it runs: each poll asks only for steps after the newest one
 * it has (less one, to catch late points of that step) and appends them, so a long run costs the same
 * per poll as a short one.
 */
export function RunCurves({ runId, live }: { runId: number; live: boolean }) {
  const qc = useQueryClient();
  const key = queryKeys.runs.metrics(runId);
  const [smoothing, setSmoothing] = useState(0.6);
  const [log, setLog] = useState(false);
  const { data, error } = useQuery({
    queryKey: key,
    queryFn: async () => {
      const prev = qc.getQueryData<SeriesState>(key);
      const since = sinceFor(prev);
      const delta = await apiGet<RunMetricSeries>(`/api/runs/${runId}/metrics${since === undefined ? "" : `?since=${since}`}`);
      return mergeSeries(prev, delta);
    },
    refetchInterval: live ? 2000 : false,
    staleTime: live ? 0 : Infinity,
  });
  const specs = useMemo(() => chartSpecs(Object.keys(data?.series ?? {})), [data]);
  return (
    <section className={runStyles.panel} aria-labelledby="run-curves">
      <h2 id="run-curves" className={runStyles.panelTitle}>
        Curves{" "}
        <span className={runStyles.panelNote}>
          {data?.maxStep != null ? `up to step ${data.maxStep}` : "no points yet"}
          {live ? ", live" : ""}
        </span>
      </h2>
      <div className={styles.controls}>
        <label>
          Smoothing <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} aria-label="Smoothing (EMA weight)" />{" "}
          <span className={styles.controlValue}>{smoothing.toFixed(2)}</span>
        </label>
        <label>
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> Log scale
        </label>
      </div>
      {error ? <p className={runStyles.error}>{error.message}</p> : null}
      {specs.length === 0 ? (
        <p className={runStyles.empty}>{live ? "Waiting for the first metrics…" : "This run logged no metrics."}</p>
      ) : (
        <div className={styles.charts}>
          {specs.map((s) => (
            <MetricChart key={s.id} spec={s} series={data!.series} smoothing={smoothing} log={log} />
          ))}
        </div>
      )}
    </section>
  );
}
