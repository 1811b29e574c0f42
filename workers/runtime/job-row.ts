/**
 * Writes to the workbench's Job row on behalf of one attempt. Every write after the claim is fenced on
 * (id, attempts, status running): a runner whose claim was lost (its worker presumed dead, the job
 * retried elsewhere) can no longer change a row that a newer attempt or the stale-lock sweep now owns.
 */
import type { Prisma, PrismaClient } from "../../server/db/generated/client";

/** Longest error text stored on a Job row, in characters; the rest is cut with a marker. */
export const MAX_ERROR_CHARS = 4000;

export type ClaimResult =
  | { readonly kind: "claimed"; readonly createdById: number | null }
  | { readonly kind: "cancel-requested" }
  | { readonly kind: "missing" }
  | { readonly kind: "finished"; readonly status: string };

export function clip(text: string, max = MAX_ERROR_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 20)}… (${text.length - max + 20} more characters)`;
}

export class JobRow {
  constructor(
    private readonly prisma: PrismaClient,
    readonly jobId: string,
    /** 1 on the first attempt (pg-boss retryCount + 1). */
    readonly attempts: number,
  ) {}

  /** Marks the row running for this attempt; refuses a row that was cancelled or already finished. */
  async claim(now = new Date()): Promise<ClaimResult> {
    const { count } = await this.prisma.job.updateMany({
      where: { id: this.jobId, status: { in: ["queued", "running"] }, cancelRequestedAt: null },
      data: {
        status: "running",
        attempts: this.attempts,
        startedAt: now,
        heartbeatAt: now,
        finishedAt: null,
        progressDone: 0,
        progressTotal: null,
        message: this.attempts > 1 ? `attempt ${this.attempts}` : "",
      },
    });
    const row = await this.prisma.job.findUnique({ where: { id: this.jobId }, select: { status: true, cancelRequestedAt: true, createdById: true } });
    if (!row) return { kind: "missing" };
    if (count === 1) return { kind: "claimed", createdById: row.createdById };
    if (row.cancelRequestedAt && (row.status === "queued" || row.status === "running")) return { kind: "cancel-requested" };
    return { kind: "finished", status: row.status };
  }

  /** A fenced update of this attempt's running row; false when the attempt no longer owns it. */
  async update(data: Prisma.JobUpdateManyMutationInput): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({ where: { id: this.jobId, attempts: this.attempts, status: "running" }, data });
    return count === 1;
  }

  /** Refreshes heartbeatAt (plus any pending progress); says whether a cancel was requested. */
  async heartbeat(progress: Prisma.JobUpdateManyMutationInput = {}, now = new Date()): Promise<{ owned: boolean; cancelRequested: boolean }> {
    const owned = await this.update({ ...progress, heartbeatAt: now });
    return { owned, cancelRequested: await this.cancelRequested() };
  }

  async cancelRequested(): Promise<boolean> {
    const row = await this.prisma.job.findUnique({ where: { id: this.jobId }, select: { cancelRequestedAt: true } });
    return Boolean(row?.cancelRequestedAt);
  }

  completed(message?: string, now = new Date()): Promise<boolean> {
    return this.update({ status: "completed", finishedAt: now, heartbeatAt: now, error: null, ...(message === undefined ? {} : { message }) });
  }

  /** Back to queued: pg-boss retries this job after its backoff; the error stays visible meanwhile. */
  retrying(error: string, now = new Date()): Promise<boolean> {
    return this.update({ status: "queued", error: clip(error), message: `attempt ${this.attempts} failed; retrying after a delay`, heartbeatAt: now });
  }

  failed(error: string, now = new Date()): Promise<boolean> {
    return this.update({ status: "failed", error: clip(error), finishedAt: now, heartbeatAt: now });
  }

  /** Cancelled, whether it was still running or only claimed; not fenced on the attempt. */
  async cancelled(now = new Date()): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({
      where: { id: this.jobId, status: { in: ["queued", "running"] } },
      data: { status: "cancelled", finishedAt: now, message: "cancelled" },
    });
    return count === 1;
  }

  /** For a payload that fails its schema: the row fails before any attempt ran. */
  async rejected(error: string, now = new Date()): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({
      where: { id: this.jobId, status: { in: ["queued", "running"] } },
      data: { status: "failed", error: clip(error), attempts: this.attempts, finishedAt: now },
    });
    return count === 1;
  }
}
