/**
 * Helpers shared by the worker tests: short queue timings, polling for a condition, and sending a
 * queue job the way an older or foreign producer could (bypassing enqueueJob's own validation).
 */
import { randomUUID } from "node:crypto";
import type { PgBoss } from "pg-boss";
import type { Prisma, PrismaClient } from "../../server/db/generated/client";
import type { JobName } from "../../server/jobs/job-payloads";
import type { WorkerOptions } from "./run-worker";

/** Fast polling and heartbeats; one second of retry delay (doubled with jitter per retry). */
export const FAST: Partial<WorkerOptions> = {
  pollingIntervalSeconds: 0.5,
  heartbeatRefreshSeconds: 1,
  rowHeartbeatMs: 200,
  sweepIntervalMs: 0,
  queueSettings: {
    evaluate: { retryDelay: 1, retryLimit: 2, heartbeatSeconds: 10 },
    predict: { retryDelay: 1, retryLimit: 2, heartbeatSeconds: 10 },
    train: { retryDelay: 1, retryLimit: 2, heartbeatSeconds: 10 },
  },
};

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A Job row and its queue job with a payload nobody validated. */
export async function sendUnchecked(prisma: PrismaClient, boss: PgBoss, name: JobName, data: Record<string, unknown>): Promise<string> {
  const id = randomUUID();
  await prisma.job.create({ data: { id, name, payload: data as Prisma.InputJsonValue } });
  await boss.send(name, data, { id });
  return id;
}

/** Whether `pid` names a live process (a zombie counts as gone). */
export async function processAlive(pid: number): Promise<boolean> {
  const { readFile } = await import("node:fs/promises");
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
