/**
 * Keeps Job rows (what job pages show) in step with the queue (pg-boss, what workers claim) when a
 * worker could not write the outcome itself: it died mid-attempt, or lost its claim. Workers run it
 * every minute; it only looks at unfinished rows that no live attempt has touched for `graceMs`.
 *
 *   queue job created/retry, row running   -> queued  (the attempt ended without a word; a retry waits)
 *   queue job completed/failed/cancelled   -> the same status on the row
 *   queue job gone (expired, deleted)      -> failed
 *   queue job active                       -> unchanged (a live claim; pg-boss's heartbeat monitor
 *                                             retries it if its worker is dead)
 */
import type { PrismaClient } from "../db/generated/client";

export interface SweepOptions {
  /** Rows whose heartbeat (or creation) is newer than this many ms are left alone (default 30 s). */
  readonly graceMs?: number;
  readonly now?: Date;
  /** Most rows examined per call (default 500, oldest first). */
  readonly limit?: number;
}

export interface SweepChange {
  readonly id: string;
  readonly from: "queued" | "running";
  readonly to: "queued" | "completed" | "failed" | "cancelled";
  readonly reason: string;
}

export interface SweepResult {
  readonly checked: number;
  readonly changed: SweepChange[];
}

interface QueueRow {
  id: string;
  state: string;
  retry_count: number;
  output: unknown;
  completed_on: Date | null;
}

/** The message pg-boss stored with a failed job: `{message}`, `{value: {message}}` or text. */
export function queueOutputMessage(output: unknown): string | null {
  if (typeof output === "string") return output;
  if (!output || typeof output !== "object") return null;
  const o = output as { message?: unknown; value?: unknown };
  if (typeof o.message === "string") return o.message;
  if (typeof o.value === "string") return o.value;
  return queueOutputMessage(o.value);
}

async function readQueueJobs(prisma: PrismaClient, ids: string[]): Promise<Map<string, QueueRow> | null> {
  try {
    const rows = await prisma.$queryRawUnsafe<QueueRow[]>(
      `SELECT id::text AS id, state::text AS state, retry_count, output, completed_on FROM pgboss.job WHERE id = ANY($1::uuid[])`,
      ids,
    );
    return new Map(rows.map((r) => [r.id, r]));
  } catch (error) {
    // No queue was ever started on this database: nothing to compare with.
    if (/relation "pgboss\.job" does not exist|schema "pgboss" does not exist/.test((error as Error).message)) return null;
    throw error;
  }
}

/** Brings unfinished Job rows whose attempts went quiet in line with the queue; returns what changed. */
export async function sweepStaleJobs(prisma: PrismaClient, options: SweepOptions = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const quietSince = new Date(now.getTime() - (options.graceMs ?? 30_000));
  const rows = await prisma.job.findMany({
    where: {
      status: { in: ["queued", "running"] },
      OR: [{ heartbeatAt: { lt: quietSince } }, { heartbeatAt: null, createdAt: { lt: quietSince } }],
    },
    select: { id: true, status: true, attempts: true },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 500,
  });
  if (rows.length === 0) return { checked: 0, changed: [] };
  const queue = await readQueueJobs(prisma, rows.map((r) => r.id));
  if (!queue) return { checked: rows.length, changed: [] };

  const changed: SweepChange[] = [];
  for (const row of rows) {
    const from = row.status as "queued" | "running";
    const q = queue.get(row.id);
    let change: Omit<SweepChange, "id" | "from"> | null = null;
    let data: Parameters<PrismaClient["job"]["updateMany"]>[0]["data"] = {};
    if (!q) {
      change = { to: "failed", reason: "the queue no longer holds this job (it expired or was deleted)" };
      data = { status: "failed", error: change.reason, finishedAt: now };
    } else if ((q.state === "created" || q.state === "retry") && from === "running") {
      change = { to: "queued", reason: `attempt ${row.attempts} ended without reporting (worker lost); a retry is waiting` };
      data = { status: "queued", message: change.reason };
    } else if (q.state === "completed") {
      change = { to: "completed", reason: "the queue completed this job" };
      data = { status: "completed", finishedAt: q.completed_on ?? now };
    } else if (q.state === "failed") {
      const message = queueOutputMessage(q.output) ?? "failed in the queue";
      change = { to: "failed", reason: message };
      data = { status: "failed", error: message, finishedAt: q.completed_on ?? now, attempts: Math.max(row.attempts, q.retry_count + 1) };
    } else if (q.state === "cancelled") {
      change = { to: "cancelled", reason: "the queue cancelled this job" };
      data = { status: "cancelled", finishedAt: q.completed_on ?? now };
    }
    if (!change) continue;
    // Only if nothing moved since the read: a worker writing this row meanwhile wins.
    const { count } = await prisma.job.updateMany({ where: { id: row.id, status: row.status, attempts: row.attempts }, data });
    if (count === 1) changed.push({ id: row.id, from, ...change });
  }
  return { checked: rows.length, changed };
}
