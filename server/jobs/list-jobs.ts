import type { Prisma, PrismaClient } from "../db/generated/client";
import { jobViewSelect, toJobView, type JobStatusName, type JobView } from "./job-view";

export const JOB_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const satisfies readonly JobStatusName[];

export interface ListJobsOptions {
  /** Only these statuses; empty or absent: all. */
  readonly statuses?: readonly JobStatusName[];
  readonly name?: string;
  /** Most jobs returned, newest first (default 50, at most 500). */
  readonly limit?: number;
  readonly now?: Date;
}

export interface JobList {
  readonly jobs: JobView[];
  /** Jobs per status over the whole table (for the filter), whatever the filter. */
  readonly counts: Record<JobStatusName, number>;
  /** When the list was read (ISO 8601). */
  readonly asOf: string;
}

/** Jobs newest first with progress, ETA and stale flags, plus counts per status. */
export async function listJobs(prisma: PrismaClient, options: ListJobsOptions = {}): Promise<JobList> {
  const where: Prisma.JobWhereInput = {
    ...(options.statuses?.length ? { status: { in: [...options.statuses] } } : {}),
    ...(options.name ? { name: options.name } : {}),
  };
  const limit = Math.min(500, Math.max(1, options.limit ?? 50));
  const [rows, grouped] = await Promise.all([
    prisma.job.findMany({ where, select: jobViewSelect, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: limit }),
    prisma.job.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatusName, number>;
  for (const g of grouped) counts[g.status] = g._count._all;
  const now = options.now ?? new Date();
  return { jobs: rows.map((r) => toJobView(r, now)), counts, asOf: now.toISOString() };
}
