import { z } from "zod";
import type { PrismaClient } from "../db/generated/client";
import { jobViewSelect, toJobView, type JobView } from "./job-view";

/** One job with progress, ETA and stale flag; null for an unknown (or malformed) id. */
export async function getJob(prisma: PrismaClient, id: string, now: Date = new Date()): Promise<JobView | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await prisma.job.findUnique({ where: { id }, select: jobViewSelect });
  return row ? toJobView(row, now) : null;
}
