"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { apiGet } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { RunDetail } from "@/server/queries/get-run";
import { CheckpointsTable } from "./checkpoints-table";
import { isActive } from "./format";
import { GroupViewer } from "./group-viewer";
import { RunCurves } from "./run-curves";
import { RunHeader } from "./run-header";
import { RunLogs } from "./run-logs";

/** A run's page below the navigation: polls the run every 2 s while it is queued or running. */
export function RunView({ initial }: { initial: RunDetail }) {
  const { data } = useQuery({
    queryKey: queryKeys.runs.detail(initial.id),
    queryFn: () => apiGet<RunDetail>(`/api/runs/${initial.id}`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? 2000 : false),
    staleTime: 0,
  });
  const run = data ?? initial;
  const live = isActive(run.status);
  const qc = useQueryClient();
  const wasLive = useRef(live);
  useEffect(() => {
    // The last points, log lines and groups may land between the final poll and the status change.
    if (wasLive.current && !live) {
      for (const key of [queryKeys.runs.metrics(run.id), queryKeys.runs.logs(run.id), ["runs", "rollouts", run.id]]) void qc.invalidateQueries({ queryKey: key });
    }
    wasLive.current = live;
  }, [live, qc, run.id]);
  return (
    <>
      <RunHeader run={run} />
      <RunCurves runId={run.id} live={live} />
      {run.kind === "grpo" || run.rolloutSteps > 0 ? <GroupViewer runId={run.id} live={live} /> : null}
      <CheckpointsTable checkpoints={run.checkpoints} />
      <RunLogs runId={run.id} live={live} />
    </>
  );
}
