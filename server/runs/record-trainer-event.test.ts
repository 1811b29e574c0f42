import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { generateSplit } from "../synthetic/generate-split";
import { ingestSplit } from "../ingest/ingest-split";
import { recordTrainerLine, sampleStd, type EventTarget } from "./record-trainer-event";

let db: TestDatabase;
let target: EventTarget;
let imageKeys: string[];
const runDir = mkdtempSync(path.join(tmpdir(), "sgg-record-"));

beforeAll(async () => {
  db = await createTestDatabase();
  const gt = generateSplit({ images: 3, seed: 5 }).gt;
  imageKeys = gt.map((r) => r.image_id);
  async function* recs() {
    for (const [i, r] of gt.entries()) yield { imageId: r.image_id, split: "train", width: r.width, height: r.height, objects: r.objects, relationships: r.relationships, origin: `t#${i}` };
  }
  const { splitId } = await ingestSplit({ databaseUrl: db.url, dataset: { name: "d", format: "records-jsonl", datasetType: "vg", source: "t" }, split: "train", fingerprint: "f", records: recs() });
  const run = await db.prisma.run.create({ data: { name: "r", kind: "grpo", config: {}, splitId, runDir } });
  target = { runId: run.id, runDir, splitId, model: { name: "tiny-sgg", family: "tiny-sgg" } };
});
afterAll(async () => {
  await db?.drop();
  rmSync(runDir, { recursive: true, force: true });
});

const line = (o: Record<string, unknown>) => JSON.stringify({ v: 1, ...o });

describe("recordTrainerLine", () => {
  it("stores metrics once per (step, name), drops non-finite values and only moves lastStep forward", async () => {
    const m3 = line({ type: "metric", step: 3, values: { loss: 2.5, lr: 1e-3, nan: null } });
    expect(await recordTrainerLine(db.prisma, target, m3, 1)).toEqual({ type: "metric", step: 3, stored: 2 });
    // The same step again (a resumed trainer repeats it, or a replay): nothing new, first value kept.
    const again = line({ type: "metric", step: 3, values: { loss: 9, lr: 1e-3 } });
    expect(await recordTrainerLine(db.prisma, target, again, 7)).toEqual({ type: "metric", step: 3, stored: 0 });
    await recordTrainerLine(db.prisma, target, line({ type: "metric", step: 2, values: { loss: 3 } }), 8);
    const rows = await db.prisma.metricPoint.findMany({ where: { runId: target.runId }, orderBy: [{ step: "asc" }, { name: "asc" }] });
    expect(rows.map((r) => [r.step, r.name, r.value])).toEqual([[2, "loss", 3], [3, "loss", 2.5], [3, "lr", 1e-3]]);
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: target.runId } })).lastStep).toBe(3);
  });

  it("registers a checkpoint once under the family's model row; a path outside the run folder is refused", async () => {
    const folder = path.join(runDir, "checkpoints", "step-00000004");
    const a = await recordTrainerLine(db.prisma, target, line({ type: "checkpoint", step: 4, path: folder }), 10);
    const b = await recordTrainerLine(db.prisma, target, line({ type: "checkpoint", step: 4, path: folder }), 20);
    expect(a.type === "checkpoint" && a.checkpointId).toBeGreaterThan(0);
    expect(b).toEqual(a);
    const rows = await db.prisma.checkpoint.findMany({ where: { runId: target.runId }, include: { model: true } });
    expect(rows.map((r) => [r.step, r.format, r.path, r.model.name, r.model.family])).toEqual([[4, "torch", folder, "tiny-sgg", "tiny-sgg"]]);

    const evil = await recordTrainerLine(db.prisma, target, line({ type: "checkpoint", step: 5, path: "/etc" }), 21);
    expect(evil).toMatchObject({ type: "checkpoint", checkpointId: null });
    expect(await db.prisma.checkpoint.count({ where: { runId: target.runId } })).toBe(1);
    const warn = await db.prisma.runLog.findUniqueOrThrow({ where: { runId_line: { runId: target.runId, line: 21 } } });
    expect(warn.level).toBe("warning");
    expect(warn.message).toContain("outside the allowed folders");
  });

  it("stores a rollout once with its split image and the unbiased reward std", async () => {
    const completions = [1, 2, 4].map((reward, i) => ({ text: `t${i}`, reward, values: { format: 1 }, advantage: 0, length: 3, failed: false }));
    const ro = line({ type: "rollout", step: 4, prompt_id: imageKeys[1], image_size: [640, 480], box_scale: [1000, 1000], completions });
    await recordTrainerLine(db.prisma, target, ro, 30);
    await recordTrainerLine(db.prisma, target, ro, 31);
    await recordTrainerLine(db.prisma, target, line({ type: "rollout", step: 4, prompt_id: "not-in-split", completions: [{ text: "x", reward: 1 }] }), 32);
    const rows = await db.prisma.rollout.findMany({ where: { runId: target.runId }, orderBy: { promptId: "asc" } });
    expect(rows).toHaveLength(2);
    const img = await db.prisma.image.findFirstOrThrow({ where: { imageKey: imageKeys[1] } });
    const hit = rows.find((r) => r.promptId === imageKeys[1])!;
    expect([hit.imageId, hit.imageWidth, hit.imageHeight]).toEqual([img.id, 640, 480]);
    expect(hit.rewardStd).toBeCloseTo(Math.sqrt(7 / 3), 12); // mean 7/3, squares 16/9+1/9+25/9 = 42/9, / (3 − 1)
    expect(hit.completions).toEqual(completions);
    const miss = rows.find((r) => r.promptId === "not-in-split")!;
    expect([miss.imageId, miss.rewardStd]).toEqual([null, 0]);
  });

  it("keys logs and malformed lines by their line number, and sets totalSteps from the trainer's log", async () => {
    await recordTrainerLine(db.prisma, target, line({ type: "log", level: "info", message: "grpo run: 3 records, 12 steps", total_steps: 12 }), 40);
    await recordTrainerLine(db.prisma, target, line({ type: "log", level: "info", message: "grpo run: 3 records, 12 steps", total_steps: 12 }), 40);
    expect(await recordTrainerLine(db.prisma, target, '{"v":1,"type":"metric","step":', 41)).toMatchObject({ type: "malformed" });
    expect(await recordTrainerLine(db.prisma, target, "", 42)).toEqual({ type: "blank" });
    const logs = await db.prisma.runLog.findMany({ where: { runId: target.runId, line: { gte: 40, lt: 50 } }, orderBy: { line: "asc" } });
    expect(logs.map((l) => [l.line, l.level])).toEqual([[40, "info"], [41, "warning"]]);
    expect(logs[1]!.message).toMatch(/^events.jsonl line 41: not JSON/);
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: target.runId } })).totalSteps).toBe(12);
  });

  it("applies a done line's status live but not while replaying an old attempt", async () => {
    await recordTrainerLine(db.prisma, target, line({ type: "done", step: 2, status: "failed", error: "RuntimeError: boom" }), 50, { replay: true });
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: target.runId } })).status).toBe("queued");
    await recordTrainerLine(db.prisma, target, line({ type: "done", step: 2, status: "failed", error: "RuntimeError: boom" }), 51);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: target.runId } });
    expect([run.status, run.error]).toEqual(["failed", "RuntimeError: boom"]);
    await recordTrainerLine(db.prisma, target, line({ type: "done", step: 12, status: "completed" }), 52);
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: target.runId } })).status).toBe("completed");
  });
});

describe("sampleStd", () => {
  it("is the n − 1 standard deviation over finite values", () => {
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStd([1, null, 3])).toBeCloseTo(Math.SQRT2, 12);
    expect(sampleStd([5])).toBe(0);
    expect(sampleStd([3, 3, 3])).toBe(0);
  });
});
