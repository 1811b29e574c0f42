/**
 * The shipped demo model seeds a fresh database: its splits, both recorded runs replayed through the
 * train job's recorder (every metric value of the logs stored once), checkpoint evaluations, and a
 * prediction set made by the ONNX export; a second call adds nothing.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { seedDemoModel } from "./seed-demo-model";

process.env.SGG_DATA_DIR = mkdtempSync(path.join(tmpdir(), "sgg-demo-model-"));
const FOLDER = path.resolve(import.meta.dirname, "../../data/demo-model");

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Metric values and rollouts in a recorded events.jsonl, counted from the file itself. */
function countEvents(kind: "sft" | "grpo") {
  const lines = readFileSync(path.join(FOLDER, "runs", kind, "events.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type: string; values?: Record<string, number | null> });
  const metrics = lines.filter((e) => e.type === "metric").reduce((n, e) => n + Object.values(e.values ?? {}).filter((v) => typeof v === "number").length, 0);
  return { metrics, rollouts: lines.filter((e) => e.type === "rollout").length, checkpoints: lines.filter((e) => e.type === "checkpoint").length };
}

describe("seedDemoModel", () => {
  it("replays both recorded runs, evaluates their checkpoints and the ONNX model, once", { timeout: 600_000 }, async () => {
    const log: string[] = [];
    await seedDemoModel(db.prisma, db.url, FOLDER, (l) => log.push(l));
    const runs = await db.prisma.run.findMany({ orderBy: { id: "asc" }, include: { _count: { select: { metrics: true, rollouts: true, checkpoints: true } } } });
    expect(runs.map((r) => [r.kind, r.status])).toEqual([["sft", "completed"], ["grpo", "completed"]]);
    for (const r of runs) {
      const expected = countEvents(r.kind);
      expect(r._count.metrics).toBe(expected.metrics);
      expect(r._count.rollouts).toBe(expected.rollouts);
    }
    expect(runs[1]!._count.rollouts).toBeGreaterThan(0);
    // Rollout prompts are images of the training split the demo ingests, so the group viewer can draw them.
    expect(await db.prisma.rollout.count({ where: { imageId: null } })).toBe(0);
    const sets = await db.prisma.predictionSet.findMany({ include: { evaluations: true, checkpoint: true } });
    expect(sets).toHaveLength(3);
    for (const s of sets) {
      expect(s.checkpoint?.runId).toBeDefined();
      expect(s.evaluations).toHaveLength(1);
    }
    const onnx = sets.find((s) => s.checkpoint?.format === "onnx")!;
    expect(onnx.status).toBe("complete");
    expect(onnx.count).toBeGreaterThan(0);

    // onnxruntime-node decodes as the trainer did (same prompt, greedy, the relationship-id rule of the
    // export's generation_config.json): its answers are the recorded predictions of the same weights.
    const recorded = new Map(
      readFileSync(path.join(FOLDER, "runs", "grpo", "predictions.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => {
        const p = JSON.parse(l) as { image_id: string; response: string };
        return [p.image_id, p.response] as const;
      }),
    );
    const answers = await db.prisma.prediction.findMany({ where: { predictionSetId: onnx.id }, select: { response: true, image: { select: { imageKey: true } } } });
    const differing = answers.filter((a) => recorded.get(a.image.imageKey) !== a.response).map((a) => a.image.imageKey);
    expect(answers.length).toBe(onnx.count);
    expect(differing).toEqual([]);

    const before = { metrics: await db.prisma.metricPoint.count(), sets: await db.prisma.predictionSet.count(), images: await db.prisma.image.count() };
    await seedDemoModel(db.prisma, db.url, FOLDER, () => {});
    expect({ metrics: await db.prisma.metricPoint.count(), sets: await db.prisma.predictionSet.count(), images: await db.prisma.image.count() }).toEqual(before);
  });
});
