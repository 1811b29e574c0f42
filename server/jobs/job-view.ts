/**
 * What job pages and the jobs API show for a Job row: progress as a fraction, an ETA from the rate of
 * the current attempt, and a stale flag for a running job whose worker has gone quiet.
 */
import type { Prisma } from "../db/generated/client";
import { jobQueueOptions, type JobName } from "./job-payloads";

/** A running job whose heartbeat is older than this is shown as stale (its worker may be gone). */
export const STALE_AFTER_MS = 2 * 60 * 1000;

export const jobViewSelect = {
  id: true,
  name: true,
  status: true,
  payload: true,
  progressDone: true,
  progressTotal: true,
  message: true,
  error: true,
  attempts: true,
  cancelRequestedAt: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  heartbeatAt: true,
  createdBy: { select: { username: true } },
} satisfies Prisma.JobSelect;

export type JobViewRow = Prisma.JobGetPayload<{ select: typeof jobViewSelect }>;
export type JobStatusName = JobViewRow["status"];

export interface JobView {
  readonly id: string;
  readonly name: string;
  readonly status: JobStatusName;
  readonly payload: unknown;
  readonly progressDone: number;
  readonly progressTotal: number | null;
  /** progressDone / progressTotal in [0, 1]; null while the total is unknown. */
  readonly fraction: number | null;
  readonly message: string;
  readonly error: string | null;
  readonly attempts: number;
  /** Attempts the queue allows this job name (1 + retries). */
  readonly maxAttempts: number | null;
  readonly cancelRequested: boolean;
  readonly createdBy: string | null;
  /** ISO 8601 timestamps. */
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly heartbeatAt: string | null;
  /** Seconds until done at the rate of the current attempt so far; null when it cannot be told. */
  readonly etaSeconds: number | null;
  /** Running, but no heartbeat for STALE_AFTER_MS: the worker may have died. */
  readonly stale: boolean;
  /** When this view was read (ISO 8601): the "now" of its ETA, stale flag and relative times. */
  readonly asOf: string;
}

/**
 * Remaining seconds at the average rate since `startedAt` (progress is reset per attempt, and so is
 * startedAt); null without a total, before the first unit is done, or when not running.
 */
export function estimateEtaSeconds(row: Pick<JobViewRow, "status" | "progressDone" | "progressTotal" | "startedAt">, now: Date): number | null {
  if (row.status !== "running" || !row.startedAt || row.progressTotal === null || row.progressDone <= 0) return null;
  const elapsed = (now.getTime() - row.startedAt.getTime()) / 1000;
  if (elapsed <= 0) return null;
  const remaining = Math.max(0, row.progressTotal - row.progressDone);
  return Math.round(remaining / (row.progressDone / elapsed));
}

export function isStale(row: Pick<JobViewRow, "status" | "heartbeatAt" | "startedAt">, now: Date): boolean {
  if (row.status !== "running") return false;
  const last = row.heartbeatAt ?? row.startedAt;
  return !last || now.getTime() - last.getTime() > STALE_AFTER_MS;
}

export function toJobView(row: JobViewRow, now: Date = new Date()): JobView {
  const settings = jobQueueOptions[row.name as JobName];
  const total = row.progressTotal;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    payload: row.payload,
    progressDone: row.progressDone,
    progressTotal: total,
    fraction: total === null ? null : total === 0 ? 1 : Math.min(1, row.progressDone / total),
    message: row.message,
    error: row.error,
    attempts: row.attempts,
    maxAttempts: settings ? settings.retryLimit + 1 : null,
    cancelRequested: row.cancelRequestedAt !== null,
    createdBy: row.createdBy?.username ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    heartbeatAt: row.heartbeatAt?.toISOString() ?? null,
    etaSeconds: estimateEtaSeconds(row, now),
    stale: isStale(row, now),
    asOf: now.toISOString(),
  };
}
