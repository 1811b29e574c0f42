"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiSend } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import styles from "./jobs.module.css";

/** Cancels a queued job, or asks a running one to stop; shows the server's reason when it cannot. */
export function CancelJobButton({ jobId, disabled }: { jobId: string; disabled?: boolean }) {
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => apiSend<{ outcome: "cancelled" | "cancelling" }>("POST", `/api/jobs/${jobId}/cancel`),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.jobs.all }),
  });
  return (
    <span>
      <button type="button" className={styles.cancel} disabled={disabled || cancel.isPending} onClick={() => cancel.mutate()}>
        {cancel.isPending ? "Cancelling…" : "Cancel"}
      </button>
      {cancel.isError ? (
        <span role="alert" className={styles.sub}>
          {" "}
          {cancel.error.message}
        </span>
      ) : null}
    </span>
  );
}
