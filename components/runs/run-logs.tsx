"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { apiGet } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { RunLogLine } from "@/server/queries/run-log-tail";
import styles from "./runs.module.css";

const TAIL = 300;

/** The run's last log lines, refreshed while it runs; stays scrolled to the end unless scrolled up. */
export function RunLogs({ runId, live }: { runId: number; live: boolean }) {
  const { data, error } = useQuery({
    queryKey: queryKeys.runs.logs(runId),
    queryFn: () => apiGet<{ lines: RunLogLine[]; lastLine: number | null }>(`/api/runs/${runId}/logs?limit=${TAIL}`),
    refetchInterval: live ? 2000 : false,
    staleTime: 0,
  });
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [data]);
  const lines = data?.lines ?? [];
  return (
    <section className={styles.panel} aria-labelledby="run-log">
      <h2 id="run-log" className={styles.panelTitle}>
        Log <span className={styles.panelNote}>last {TAIL} lines{live ? ", live" : ""}</span>
      </h2>
      {error ? <p className={styles.error}>{error.message}</p> : null}
      {lines.length === 0 ? (
        <p className={styles.empty}>No log lines yet.</p>
      ) : (
        <pre
          ref={box}
          className={styles.log}
          data-testid="run-log"
          onScroll={(e) => {
            const el = e.currentTarget;
            pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
        >
          {lines.map((l) => (
            <span key={l.line} className={`${styles.logLine} ${l.level === "error" ? styles.logError : l.level === "warning" || l.level === "warn" ? styles.logWarning : ""}`}>
              <span className={styles.logNo}>{l.line}</span>
              {l.message}
            </span>
          ))}
        </pre>
      )}
    </section>
  );
}
