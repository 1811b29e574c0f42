import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { describeRunModel, durationSeconds, listRuns } from "./list-runs";

let db: TestDatabase;
let splitId: number;
let sftId: number;
let grpoId: number;
const now = new Date("2026-01-01T12:00:00Z");

async function evaluation(predictionSetId: number, compat: string[], recall: number, meanRecall: number) {
  return db.prisma.evaluation.create({
    data: {
      predictionSetId,
      datasetType: "vg",
      compat,
      compatKey: compat.join(","),
      evaluatorVersion: "test-1",
      protocol: {},
      summary: { ngr: { recall, mean_recall: meanRecall }, failure: { rate: 5 } },
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const ds = await db.prisma.dataset.create({ data: { name: "shapes", format: "synthetic", datasetType: "vg", source: "test" } });
  splitId = (await db.prisma.split.create({ data: { datasetId: ds.id, name: "train", fingerprint: "x", status: "ready" } })).id;
  const sft = await db.prisma.run.create({
    data: {
      name: "sft tiny", kind: "sft", status: "completed", config: { kind: "sft", model: "tiny", schema_version: 1 }, splitId, runDir: "/tmp/r1",
      startedAt: new Date("2026-01-01T10:00:00Z"), finishedAt: new Date("2026-01-01T10:30:00Z"), lastStep: 30, totalSteps: 30,
    },
  });
  const grpo = await db.prisma.run.create({
    data: {
      name: "grpo 2b", kind: "grpo", status: "running", config: { kind: "grpo", model: "hf:Qwen/Qwen2-VL-2B-Instruct", schema_version: 1 }, splitId, runDir: "/tmp/r2",
      startedAt: new Date("2026-01-01T11:58:30Z"), lastStep: 4, totalSteps: 100,
    },
  });
  sftId = sft.id;
  grpoId = grpo.id;
  const points = [
    ...[2.0, 1.5, 1.7].map((value, i) => ({ runId: sftId, step: i + 1, name: "loss", value })),
    ...[0.1, 0.5, Number.NaN, 0.45].map((value, i) => ({ runId: grpoId, step: i + 1, name: "reward/total_mean", value })),
    { runId: grpoId, step: 1, name: "loss", value: 0.3 },
    { runId: grpoId, step: 2, name: "loss", value: -0.2 },
    { runId: grpoId, step: 2, name: "eval/reward_total", value: 1.1 },
    { runId: grpoId, step: 4, name: "eval/reward_total", value: 0.9 },
    { runId: grpoId, step: 4, name: "eval/failure_rate", value: 0.25 },
  ];
  await db.prisma.metricPoint.createMany({ data: points });
  const model = await db.prisma.model.create({ data: { name: "grpo-2b", family: "qwen2-vl" } });
  for (const [step, recall, flagged] of [[2, 0.2, 0.95], [4, 0.3, 0.1]] as const) {
    const ck = await db.prisma.checkpoint.create({ data: { modelId: model.id, runId: grpoId, step, path: `/tmp/r2/ck${step}`, format: "hf" } });
    const set = await db.prisma.predictionSet.create({ data: { name: `ck${step}`, splitId, checkpointId: ck.id, origin: "inference" } });
    await evaluation(set.id, [], recall, recall / 2);
    // A flagged protocol must not win "best", however high its number.
    await evaluation(set.id, ["coco-id0"], flagged, flagged);
  }
});
afterAll(async () => {
  await db?.drop();
});

describe("listRuns", () => {
  it("lists newest first with model, split, duration and progress", async () => {
    const runs = await listRuns(db.prisma, { now });
    expect(runs.map((r) => r.id)).toEqual([grpoId, sftId]);
    const [grpo, sft] = runs;
    expect(grpo).toMatchObject({ kind: "grpo", status: "running", model: "Qwen/Qwen2-VL-2B-Instruct", split: { id: splitId, label: "shapes/train" }, lastStep: 4, totalSteps: 100 });
    expect(grpo!.durationSeconds).toBe(90);
    expect(sft).toMatchObject({ model: "tiny", durationSeconds: 1800, finishedAt: "2026-01-01T10:30:00.000Z" });
  });

  it("takes the best reward and loss with their steps, skipping non-finite values, and the newest eval values", async () => {
    const [grpo, sft] = await listRuns(db.prisma, { now });
    expect(grpo!.best.rewardMean).toEqual({ value: 0.5, step: 2 });
    expect(grpo!.best.loss).toEqual({ value: -0.2, step: 2 });
    expect(grpo!.best.eval).toEqual({ "eval/reward_total": { value: 0.9, step: 4 }, "eval/failure_rate": { value: 0.25, step: 4 } });
    expect(sft!.best).toMatchObject({ rewardMean: null, loss: { value: 1.5, step: 2 }, eval: {}, checkpoint: null });
  });

  it("picks the checkpoint evaluation with the highest recall under the reference protocol", async () => {
    const [grpo] = await listRuns(db.prisma, { now });
    expect(grpo!.best.checkpoint).toMatchObject({ checkpointStep: 4, recall: 0.3, meanRecall: 0.15 });
  });

  it("filters by status and kind and pages by id", async () => {
    expect((await listRuns(db.prisma, { status: "completed" })).map((r) => r.id)).toEqual([sftId]);
    expect((await listRuns(db.prisma, { kind: "grpo" })).map((r) => r.id)).toEqual([grpoId]);
    expect((await listRuns(db.prisma, { before: grpoId })).map((r) => r.id)).toEqual([sftId]);
    expect(await listRuns(db.prisma, { kind: "grpo", status: "failed" })).toEqual([]);
  });
});

describe("run helpers", () => {
  it("names the model of a trainer config or of a form", () => {
    expect(describeRunModel({ model: "hf:Qwen/Qwen2.5-VL-7B-Instruct" })).toBe("Qwen/Qwen2.5-VL-7B-Instruct");
    expect(describeRunModel({ model: { family: "hf", id: "Qwen/Qwen2-VL-7B-Instruct" } })).toBe("Qwen/Qwen2-VL-7B-Instruct");
    expect(describeRunModel({ model: { family: "tiny", options: {} } })).toBe("tiny");
    expect(describeRunModel(null)).toBe("?");
  });

  it("counts a duration only while running or once finished", () => {
    const start = new Date("2026-01-01T00:00:00Z");
    expect(durationSeconds(start, null, "running", new Date("2026-01-01T00:01:00Z"))).toBe(60);
    expect(durationSeconds(start, null, "failed", new Date("2026-01-01T00:01:00Z"))).toBeNull();
    expect(durationSeconds(null, null, "queued", new Date())).toBeNull();
  });
});
