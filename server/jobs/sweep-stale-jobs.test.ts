import { randomUUID } from "node:crypto";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { enqueueJob } from "./enqueue-job";
import { startQueue } from "./queue";
import { queueOutputMessage, sweepStaleJobs } from "./sweep-stale-jobs";

let db: TestDatabase;
let boss: PgBoss;
const longAgo = new Date(Date.now() - 10 * 60_000);

beforeAll(async () => {
  db = await createTestDatabase();
  // evaluate fails for good on its first failure here; predict keeps its retries.
  boss = await startQueue(db.url, { queueSettings: { evaluate: { retryLimit: 0 } } });
});
afterAll(async () => {
  await boss?.stop({ graceful: false });
  await db?.drop();
});

/** A job whose queue side is claimed by a (pretend) worker: the only one ready, so fetch gets it. */
async function claimed(name: "evaluate" | "predict" = "evaluate"): Promise<{ id: string; retryCount: number }> {
  const id = await db.prisma.$transaction((tx) => enqueueJob(tx, boss, name, { predictionSetId: 1 }));
  const [job] = await boss.fetch(name);
  expect(job?.id).toBe(id);
  return { id, retryCount: job!.retryCount };
}

/** The Job row as a worker that then went quiet would have left it. */
const quietRunning = (id: string, heartbeatAt = longAgo) =>
  db.prisma.job.update({ where: { id }, data: { status: "running", attempts: 1, startedAt: heartbeatAt, heartbeatAt } });

describe("sweepStaleJobs", () => {
  it("brings quiet rows in line with the queue and leaves live claims and finished rows alone", async () => {
    const retried = await claimed("predict");
    await boss.fail("predict", retried, new Error("worker lost"));
    await quietRunning(retried.id);

    const completed = await claimed();
    await boss.complete("evaluate", completed);
    await quietRunning(completed.id);

    const failed = await claimed();
    await boss.fail("evaluate", failed, { message: "CUDA out of memory" });
    await quietRunning(failed.id);

    const active = await claimed();
    await quietRunning(active.id);

    const fresh = await claimed();
    await boss.complete("evaluate", fresh);
    await quietRunning(fresh.id, new Date());

    const cancelled = await db.prisma.$transaction((tx) => enqueueJob(tx, boss, "evaluate", { predictionSetId: 2 }));
    await boss.cancel("evaluate", cancelled);
    await db.prisma.job.update({ where: { id: cancelled }, data: { createdAt: longAgo } });

    const orphan = randomUUID();
    await db.prisma.job.create({ data: { id: orphan, name: "evaluate", payload: { predictionSetId: 3 }, status: "running", attempts: 1, heartbeatAt: longAgo } });

    const done = randomUUID();
    await db.prisma.job.create({ data: { id: done, name: "evaluate", payload: { predictionSetId: 4 }, status: "failed", error: "kept", heartbeatAt: longAgo } });

    const r = await sweepStaleJobs(db.prisma);
    const to = Object.fromEntries(r.changed.map((c) => [c.id, c.to]));
    expect(to).toEqual({ [retried.id]: "queued", [completed.id]: "completed", [failed.id]: "failed", [cancelled]: "cancelled", [orphan]: "failed" });

    const row = (id: string) => db.prisma.job.findUniqueOrThrow({ where: { id } });
    expect(await row(retried.id)).toMatchObject({ status: "queued", message: expect.stringContaining("worker lost") });
    expect(await row(completed.id)).toMatchObject({ status: "completed", finishedAt: expect.any(Date) });
    expect(await row(failed.id)).toMatchObject({ status: "failed", error: "CUDA out of memory" });
    expect(await row(orphan)).toMatchObject({ status: "failed", error: expect.stringContaining("no longer holds this job") });
    expect(await row(active.id)).toMatchObject({ status: "running" });
    expect(await row(fresh.id)).toMatchObject({ status: "running" });
    expect(await row(done)).toMatchObject({ status: "failed", error: "kept" });

    // Nothing left to do: a second pass changes nothing.
    expect((await sweepStaleJobs(db.prisma)).changed).toEqual([]);
  });
});

describe("queueOutputMessage", () => {
  it("reads the message pg-boss stored in any of its shapes", () => {
    expect(queueOutputMessage({ message: "boom" })).toBe("boom");
    expect(queueOutputMessage({ value: { message: "job heartbeat timeout" } })).toBe("job heartbeat timeout");
    expect(queueOutputMessage("plain")).toBe("plain");
    expect(queueOutputMessage({ value: 3 })).toBeNull();
    expect(queueOutputMessage(null)).toBeNull();
  });
});
