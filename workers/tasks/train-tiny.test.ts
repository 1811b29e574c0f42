/**
 * A real few-step run of the tiny model through the train job: Debian's /usr/bin/python3 with torch, a
 * rendered synthetic split, SFT for 3 steps, then GRPO for 2 steps from the SFT checkpoint against the
 * workbench's reward service; each checkpoint predicted on the eval subset, imported and evaluated.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const top = mkdtempSync(path.join(tmpdir(), "sgg-train-tiny-"));
process.env.SGG_DATA_DIR = path.join(top, "data");
process.env.SGG_RUNS_DIR = path.join(top, "runs");
process.env.SGG_MODELS_DIR = path.join(top, "models");
process.env.SGG_TRAINER_PYTHON = "/usr/bin/python3";
delete process.env.SGG_TRAINER_COMMAND;

const { createTestDatabase } = await import("../../server/db/test-database");
const { enqueueJob } = await import("../../server/jobs/enqueue-job");
const { getQueue, stopQueues } = await import("../../server/jobs/queue");
const { evaluatePredictionSet } = await import("../../server/evaluation/evaluate-prediction-set");
const { createTrainingRun } = await import("../../server/runs/create-training-run");
const { ingestSyntheticSplit } = await import("../../server/runs/run-test-fixtures");
const { trainHandler } = await import("./train");
type Ctx = import("../job-context").JobContext;

const hasTorch = (() => {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch, PIL"], { stdio: "ignore", timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
})();

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let trainSplit: number;
let valSplit: number;
beforeAll(async () => {
  db = await createTestDatabase();
  trainSplit = await ingestSyntheticSplit({ databaseUrl: db.url, dataDir: process.env.SGG_DATA_DIR!, dataset: "shapes", split: "train", images: 4 });
  valSplit = await ingestSyntheticSplit({ databaseUrl: db.url, dataDir: process.env.SGG_DATA_DIR!, dataset: "shapes", split: "val", images: 3 });
}, 120_000);
afterAll(async () => {
  await stopQueues();
  await db?.drop();
  rmSync(top, { recursive: true, force: true });
});

const ctxFor = (jobId: string): Ctx => ({
  jobId,
  attempt: 0,
  signal: new AbortController().signal,
  prisma: db.prisma,
  databaseUrl: db.url,
  progress: async () => {},
  enqueue: async (name, payload) => {
    const boss = await getQueue(db.url);
    return db.prisma.$transaction((tx) => enqueueJob(tx, boss, name, payload));
  },
  log: () => {},
});
const TINY = { image_size: 32, patch_size: 8, d_model: 32, n_heads: 2, encoder_layers: 1, decoder_layers: 1 };
const common = { model: { family: "tiny" as const, options: TINY }, evalImages: 2, checkpointEvery: 0, threads: 2, maxCompletionLength: 40, learningRate: 1e-3 };

describe.skipIf(!hasTorch)("trainHandler with the real trainer (tiny model, CPU)", () => {
  it("SFT 3 steps, then GRPO 2 steps from its checkpoint with the reward service; both checkpoints evaluated", async () => {
    const boss = await getQueue(db.url);
    const sft = await createTrainingRun(db.prisma, { ...common, splitId: trainSplit, evalSplitId: valSplit, name: "tiny sft", kind: "sft", maxSteps: 3, batchSize: 2, microBatchSize: 2 }, { createdById: null, boss });
    await trainHandler({ runId: sft.runId }, ctxFor(sft.jobId));
    const sftRun = await db.prisma.run.findUniqueOrThrow({ where: { id: sft.runId } });
    expect([sftRun.status, sftRun.lastStep, sftRun.totalSteps]).toEqual(["completed", 3, 3]);
    const losses = await db.prisma.metricPoint.findMany({ where: { runId: sft.runId, name: "loss" }, orderBy: { step: "asc" } });
    expect(losses.map((m) => m.step)).toEqual([1, 2, 3]);
    const config = JSON.parse(readFileSync(path.join(sftRun.runDir, "config.json"), "utf8"));
    expect(config.data.train).toEqual([path.join(sftRun.runDir, "data", "train.jsonl")]);
    const firstRecord = JSON.parse(readFileSync(config.data.train[0], "utf8").split("\n")[0]!);
    expect(firstRecord.image.startsWith(path.join(process.env.SGG_DATA_DIR!, "store", "images"))).toBe(true);
    const [sftCk] = await db.prisma.checkpoint.findMany({ where: { runId: sft.runId } });
    expect(sftCk).toMatchObject({ step: 3, format: "torch" });
    expect(existsSync(path.join(sftCk!.path, "model.pt"))).toBe(true);

    const grpo = await createTrainingRun(
      db.prisma,
      { ...common, splitId: trainSplit, evalSplitId: valSplit, name: "tiny grpo", kind: "grpo", initCheckpointId: sftCk!.id, maxSteps: 2, promptsPerStep: 2, groupSize: 2, microBatchSize: 4, reward: { preset: "soft_recall", weights: {} } },
      { createdById: null, boss },
    );
    await trainHandler({ runId: grpo.runId }, ctxFor(grpo.jobId));
    const grpoRun = await db.prisma.run.findUniqueOrThrow({ where: { id: grpo.runId } });
    expect([grpoRun.status, grpoRun.lastStep]).toEqual(["completed", 2]);
    const names = new Set((await db.prisma.metricPoint.findMany({ where: { runId: grpo.runId, step: 1 } })).map((m) => m.name));
    // Reward components come from the workbench's reward service (every function, whatever the preset).
    for (const n of ["reward/total_mean", "reward/format", "reward/node_acc", "reward/edge_soft", "reward/edge_hard", "failure_rate", "completion_length"]) expect(names, n).toContain(n);
    const rollouts = await db.prisma.rollout.findMany({ where: { runId: grpo.runId }, orderBy: { step: "asc" } });
    expect(rollouts.map((r) => r.step)).toEqual([1, 2]);
    for (const r of rollouts) {
      expect(r.imageId).not.toBeNull();
      expect(r.completions as unknown[]).toHaveLength(2);
    }
    const logs = await db.prisma.runLog.findMany({ where: { runId: grpo.runId }, orderBy: { line: "asc" } });
    expect(logs[0]!.message).toContain("grpo run: 4 records, 2 steps");

    // Each run's checkpoint: predictions on the 2-image eval subset, imported, an evaluate job; evaluated here.
    for (const runId of [sft.runId, grpo.runId]) {
      const ck = await db.prisma.checkpoint.findFirstOrThrow({ where: { runId }, include: { predictionSets: true } });
      expect(ck.predictionSets).toHaveLength(1);
      const set = ck.predictionSets[0]!;
      expect([set.splitId, set.count, set.origin]).toEqual([valSplit, 2, "inference"]);
      expect(await db.prisma.job.count({ where: { name: "evaluate", payload: { equals: { predictionSetId: set.id } } } })).toBe(1);
      const { evaluationId, report } = await evaluatePredictionSet(db.prisma, { predictionSetId: set.id });
      expect(evaluationId).toBeGreaterThan(0);
      expect(report.protocol.predicted_images).toBe(2);
      expect(report.failure.total).toBeGreaterThanOrEqual(2);
    }
  }, 600_000);
});
