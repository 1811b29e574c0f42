import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { evaluationFigures, getRun, runProgress } from "./get-run";

let db: TestDatabase;
let runId: number;
let initId: number;
const now = new Date("2026-01-01T12:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
  const ds = await db.prisma.dataset.create({ data: { name: "shapes", format: "synthetic", datasetType: "vg", source: "test" } });
  const train = await db.prisma.split.create({ data: { datasetId: ds.id, name: "train", fingerprint: "a", status: "ready" } });
  const val = await db.prisma.split.create({ data: { datasetId: ds.id, name: "val", fingerprint: "b", status: "ready" } });
  const user = await db.prisma.user.create({ data: { username: "ada", passwordHash: "x" } });
  const model = await db.prisma.model.create({ data: { name: "tiny-sft", family: "tiny-sgg" } });
  initId = (await db.prisma.checkpoint.create({ data: { modelId: model.id, path: "/w/tiny", format: "torch" } })).id;
  const job = await db.prisma.job.create({
    data: { id: randomUUID(), name: "train", status: "running", payload: {}, progressDone: 25, progressTotal: 100, message: "step 25", startedAt: new Date("2026-01-01T11:55:00Z"), attempts: 1 },
  });
  const run = await db.prisma.run.create({
    data: {
      name: "grpo tiny", kind: "grpo", status: "running", config: { kind: "grpo", model: "tiny", schema_version: 1 }, splitId: train.id, evalSplitId: val.id,
      runDir: "/var/runs/1", jobId: job.id, createdById: user.id, initCheckpointId: initId, lastStep: 24, totalSteps: 100, startedAt: new Date("2026-01-01T11:54:00Z"),
    },
  });
  runId = run.id;
  // Inserted out of order: the page lists them by step.
  for (const step of [20, 10]) {
    const ck = await db.prisma.checkpoint.create({ data: { modelId: model.id, runId, step, path: `/var/runs/1/checkpoints/step-${step}`, format: "torch" } });
    const set = await db.prisma.predictionSet.create({ data: { name: `grpo tiny @${step}`, splitId: val.id, checkpointId: ck.id, origin: "inference", count: 16, failedCount: 2 } });
    await db.prisma.evaluation.create({
      data: {
        predictionSetId: set.id, datasetType: "vg", compat: [], compatKey: "", evaluatorVersion: "v1", protocol: {},
        summary: { failure: { rate: 12.5 }, coco: { AP50: 0.1 }, ngr: { recall: step / 100, mean_recall: step / 200 } },
      },
    });
  }
  await db.prisma.metricPoint.createMany({ data: [{ runId, step: 1, name: "loss", value: 1 }, { runId, step: 2, name: "loss", value: 1 }, { runId, step: 1, name: "reward/format", value: 1 }] });
  await db.prisma.rollout.createMany({
    data: [1, 2, 2].map((step, i) => ({ runId, step, promptId: `p${i}`, completions: [], rewardStd: 0 })),
  });
});
afterAll(async () => {
  await db?.drop();
});

describe("getRun", () => {
  it("returns the run with its job's progress and an ETA", async () => {
    const r = await getRun(db.prisma, runId, { now });
    expect(r).toMatchObject({
      name: "grpo tiny", kind: "grpo", status: "running", model: "tiny", createdBy: "ada",
      split: { label: "shapes/train" }, evalSplit: { label: "shapes/val" },
      initCheckpoint: { id: initId, runId: null, model: "tiny-sft" },
      job: { status: "running", progressDone: 25, progressTotal: 100, message: "step 25" },
    });
    // 25 steps in 300 s since the job started: 75 more take 900 s.
    expect(r!.progress).toEqual({ done: 25, total: 100, fraction: 0.25, etaSeconds: 900 });
    expect(r!.durationSeconds).toBe(360);
  });

  it("lists checkpoints in step order with their sets and evaluation figures", async () => {
    const r = await getRun(db.prisma, runId, { now });
    expect(r!.checkpoints.map((c) => c.step)).toEqual([10, 20]);
    const set = r!.checkpoints[1]!.predictionSets[0]!;
    expect(set).toMatchObject({ name: "grpo tiny @20", count: 16, failedCount: 2, split: { label: "shapes/val" } });
    expect(set.evaluations[0]).toMatchObject({ failureRate: 12.5, ap50: 0.1, recall: 0.2, meanRecall: 0.1, compat: [] });
  });

  it("names the logged metrics and counts steps with groups", async () => {
    const r = await getRun(db.prisma, runId, { now });
    expect(r!.metricNames).toEqual(["loss", "reward/format"]);
    expect(r!.rolloutSteps).toBe(2);
  });

  it("returns null for a run that does not exist", async () => {
    expect(await getRun(db.prisma, runId + 1000)).toBeNull();
  });
});

describe("runProgress", () => {
  const start = new Date("2026-01-01T00:00:00Z");
  const at = (s: number) => new Date(start.getTime() + s * 1000);
  it("extrapolates the rate since the start", () => {
    expect(runProgress(10, 40, "running", start, at(60))).toEqual({ done: 10, total: 40, fraction: 0.25, etaSeconds: 180 });
  });
  it("gives no ETA before the first step, without a total, or once stopped", () => {
    expect(runProgress(0, 40, "running", start, at(60)).etaSeconds).toBeNull();
    expect(runProgress(10, null, "running", start, at(60))).toEqual({ done: 10, total: null, fraction: null, etaSeconds: null });
    expect(runProgress(40, 40, "completed", start, at(60))).toEqual({ done: 40, total: 40, fraction: 1, etaSeconds: null });
  });
  it("reads figures from a summary that lacks some of them", () => {
    expect(evaluationFigures({ id: 1, compat: [], evaluatorVersion: "v", summary: { ngr: { recall: 0.5 } } })).toMatchObject({ recall: 0.5, meanRecall: null, ap50: null, failureRate: null });
    expect(evaluationFigures({ id: 1, compat: [], evaluatorVersion: "v", summary: "garbage" })).toMatchObject({ recall: null });
  });
});
