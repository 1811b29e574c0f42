import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { NotFoundError } from "../queries/find-split";
import { cancelJob, JobFinishedError } from "./cancel-job";
import { enqueueJob } from "./enqueue-job";
import { getJob } from "./get-job";
import { listJobs } from "./list-jobs";
import { startQueue } from "./queue";
import { PredictionSetNotReadyError, startEvaluationJob } from "./start-evaluation-job";

let db: TestDatabase;
let boss: PgBoss;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  boss = await startQueue(db.url);
  const user = await db.prisma.user.create({ data: { username: "grace", passwordHash: "unused" } });
  for (const [i, [key, name]] of ([["a", "evaluate"], ["b", "predict"], ["c", "evaluate"]] as const).entries()) {
    ids[key] = await db.prisma.$transaction((tx) => enqueueJob(tx, boss, name, { predictionSetId: 1 }, { createdById: user.id }));
    await db.prisma.job.update({ where: { id: ids[key] }, data: { createdAt: new Date(Date.now() - 60_000 + i * 1000) } });
  }
  const started = new Date(Date.now() - 40_000);
  await db.prisma.job.update({ where: { id: ids.b }, data: { status: "running", attempts: 1, startedAt: started, heartbeatAt: new Date(), progressDone: 40, progressTotal: 100 } });
  await db.prisma.job.update({ where: { id: ids.c }, data: { status: "completed", finishedAt: new Date() } });
});
afterAll(async () => {
  await boss?.stop({ graceful: false });
  await db?.drop();
});

describe("listJobs and getJob", () => {
  it("lists jobs newest first with counts per status, filtered by status and name", async () => {
    const all = await listJobs(db.prisma);
    expect(all.jobs.map((j) => j.id)).toEqual([ids.c, ids.b, ids.a]);
    expect(all.counts).toEqual({ queued: 1, running: 1, completed: 1, failed: 0, cancelled: 0 });
    expect((await listJobs(db.prisma, { statuses: ["queued", "running"] })).jobs.map((j) => j.id)).toEqual([ids.b, ids.a]);
    expect((await listJobs(db.prisma, { name: "evaluate" })).jobs.map((j) => j.id)).toEqual([ids.c, ids.a]);
    expect((await listJobs(db.prisma, { limit: 1 })).jobs).toHaveLength(1);
  });

  it("shows one job with its progress, ETA and creator; null for unknown or malformed ids", async () => {
    const job = await getJob(db.prisma, ids.b!);
    expect(job).toMatchObject({ name: "predict", status: "running", fraction: 0.4, createdBy: "grace", stale: false, maxAttempts: 6 });
    // 40 of 100 in about 40 s: about 60 s left.
    expect(job!.etaSeconds).toBeGreaterThan(50);
    expect(job!.etaSeconds).toBeLessThan(70);
    expect(await getJob(db.prisma, "6f1d2a9e-0d3c-4c8e-8b1a-5f0e9d7c6b5a")).toBeNull();
    expect(await getJob(db.prisma, "not-a-uuid")).toBeNull();
  });
});

describe("cancelJob", () => {
  it("refuses unknown and finished jobs with a clear error", async () => {
    await expect(cancelJob(db.prisma, boss, "6f1d2a9e-0d3c-4c8e-8b1a-5f0e9d7c6b5a")).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelJob(db.prisma, boss, "x")).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelJob(db.prisma, boss, ids.c!)).rejects.toThrow(new JobFinishedError(ids.c!, "completed"));
  });

  it("records the request on a running job and cancels its queue job, leaving the row to the worker", async () => {
    await expect(cancelJob(db.prisma, boss, ids.b!)).resolves.toEqual({ id: ids.b, outcome: "cancelling" });
    const row = await db.prisma.job.findUniqueOrThrow({ where: { id: ids.b } });
    expect(row.status).toBe("running");
    expect(row.cancelRequestedAt).toBeInstanceOf(Date);
    expect((await boss.getJobById("predict", ids.b!))?.state).toBe("cancelled");
    // Asking again while it stops is harmless and keeps the first request time.
    await cancelJob(db.prisma, boss, ids.b!);
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: ids.b } })).cancelRequestedAt).toEqual(row.cancelRequestedAt);
  });
});

describe("startEvaluationJob", () => {
  it("queues an evaluate job for a complete set and refuses unknown or unfinished sets", async () => {
    const dataset = await db.prisma.dataset.create({ data: { name: "d", format: "synthetic", datasetType: "vg", source: "test" } });
    const split = await db.prisma.split.create({ data: { datasetId: dataset.id, name: "val", status: "ready", fingerprint: "f" } });
    const ready = await db.prisma.predictionSet.create({ data: { name: "ready", splitId: split.id, origin: "import" } });
    const filling = await db.prisma.predictionSet.create({ data: { name: "filling", splitId: split.id, origin: "inference", status: "running" } });

    const later = new Date(Date.now() + 3_600_000);
    const id = await startEvaluationJob(db.prisma, boss, ready.id, { startAfter: later });
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "evaluate", status: "queued", payload: { predictionSetId: ready.id }, message: `waits until ${later.toISOString()}` });
    expect((await boss.getJobById("evaluate", id))?.startAfter.getTime()).toBe(later.getTime());

    await expect(startEvaluationJob(db.prisma, boss, filling.id)).rejects.toThrow(new PredictionSetNotReadyError(`prediction set ${filling.id} (filling) is running; only a complete set can be evaluated`));
    await expect(startEvaluationJob(db.prisma, boss, 99_999)).rejects.toBeInstanceOf(NotFoundError);
    expect(await db.prisma.job.count({ where: { payload: { equals: { predictionSetId: filling.id } } } })).toBe(0);
  });
});
