/**
 * The train job under the real worker (workers/runtime/run-worker.ts) with the fake trainer: a crashed
 * attempt is retried by the queue and resumes; cancelRun stops a running trainer through the job's
 * cancellation.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const top = mkdtempSync(path.join(tmpdir(), "sgg-train-worker-"));
const repo = path.resolve(import.meta.dirname, "../..");
process.env.SGG_DATA_DIR = path.join(top, "data");
process.env.SGG_RUNS_DIR = path.join(top, "runs");
process.env.SGG_MODELS_DIR = path.join(top, "models");
process.env.SGG_TRAINER_COMMAND = JSON.stringify([process.execPath, path.join(repo, "workers/testing/fake-trainer.mjs")]);

const { createTestDatabase } = await import("../../server/db/test-database");
const { stopQueues } = await import("../../server/jobs/queue");
const { createTrainingRun } = await import("../../server/runs/create-training-run");
const { cancelRun } = await import("../../server/runs/cancel-run");
const { ingestSyntheticSplit } = await import("../../server/runs/run-test-fixtures");
const { startWorker } = await import("../runtime/run-worker");
const { FAST, processAlive, waitFor } = await import("../runtime/test-support");

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof startWorker>>;
let splitId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  splitId = await ingestSyntheticSplit({ databaseUrl: db.url, dataDir: process.env.SGG_DATA_DIR!, dataset: "shapes", split: "train", images: 3 });
  worker = await startWorker({ databaseUrl: db.url, concurrency: 1, jobNames: ["train"], log: () => {}, ...FAST });
}, 120_000);
afterAll(async () => {
  await worker?.stop({ timeoutMs: 10_000 });
  await stopQueues();
  await db?.drop();
  rmSync(top, { recursive: true, force: true });
});

const form = (name: string) => ({ name, kind: "grpo" as const, model: { family: "tiny" as const }, splitId, maxSteps: 6, checkpointEvery: 2 });

describe("train jobs in a worker", () => {
  it("retries a crashed attempt, which resumes: the run completes with every row once", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ crashAtStep: 3 });
    const { runId, jobId } = await createTrainingRun(db.prisma, form("retried"), { createdById: null, boss: worker.boss });
    const job = await waitFor("the job to complete", async () => {
      const j = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      return j.status === "completed" || j.status === "failed" ? j : null;
    }, 60_000);
    expect([job.status, job.attempts]).toEqual(["completed", 2]);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.lastStep]).toEqual(["completed", 6]);
    expect(await db.prisma.metricPoint.count({ where: { runId } })).toBe(6 * 3);
    expect(await db.prisma.checkpoint.count({ where: { runId } })).toBe(3);
    expect(await db.prisma.rollout.count({ where: { runId } })).toBe(6);
    expect(job.progressDone).toBe(6);
  }, 90_000);

  it("cancelRun stops the running trainer's process group and leaves the run cancelled", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ hangAtStep: 1 });
    const { runId, jobId } = await createTrainingRun(db.prisma, form("cancelled"), { createdById: null, boss: worker.boss });
    const pidsFile = path.join((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).runDir, "fake-pids.txt");
    await waitFor("the trainer's helper", async () => existsSync(pidsFile) && readFileSync(pidsFile, "utf8").includes("helper"), 30_000);
    const pids = readFileSync(pidsFile, "utf8").trim().split("\n").map((l) => Number(l.split(" ")[0]));
    expect(await cancelRun(db.prisma, runId, { boss: worker.boss })).toEqual({ status: "running", requested: true });
    await waitFor("the run to be cancelled", async () => (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).status === "cancelled", 30_000);
    await waitFor("the job to be cancelled", async () => (await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).status === "cancelled", 30_000);
    for (const pid of pids) await waitFor(`process ${pid} to end`, async () => !(await processAlive(pid)), 15_000);
  }, 90_000);
});
