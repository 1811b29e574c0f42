import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { listRollouts } from "./list-rollouts";

let db: TestDatabase;
let runId: number;
let imageId: number;

const answer = (box: number[]) =>
  "```json\n" + JSON.stringify({ objects: [{ id: "cat.1", bbox: box }, { id: "mat.1", bbox: [0, 0, 1000, 1000] }], relationships: [{ subject: "cat.1", predicate: "on", object: "mat.1" }] }) + "\n```";

beforeAll(async () => {
  db = await createTestDatabase();
  const ds = await db.prisma.dataset.create({ data: { name: "shapes", format: "synthetic", datasetType: "vg", source: "test" } });
  const split = await db.prisma.split.create({ data: { datasetId: ds.id, name: "train", fingerprint: "a", status: "ready" } });
  const img = await db.prisma.image.create({ data: { splitId: split.id, imageKey: "17", width: 500, height: 400, storageKey: "abc123", objectCount: 1, relationCount: 0 } });
  imageId = img.id;
  await db.prisma.gtObject.create({ data: { imageId, splitId: split.id, idx: 0, label: "cat.1", classId: 1, x1: 40, y1: 70, x2: 260, y2: 250 } });
  runId = (await db.prisma.run.create({ data: { name: "g", kind: "grpo", config: {}, runDir: "/tmp/g" } })).id;
  const good = { text: answer([100, 200, 500, 600]), reward: 3.5, values: { format: 1, node_acc: 0.5, edge_hard: null }, advantage: 0.7, length: 40, failed: false };
  const bad = { text: "I see a cat", reward: 0, values: { format: 0 }, advantage: -0.7, length: 5, failed: true };
  await db.prisma.rollout.createMany({
    data: [
      { runId, step: 4, promptId: "17", imageId, imageWidth: 500, imageHeight: 400, completions: [good, bad], rewardStd: 2.47 },
      { runId, step: 4, promptId: "x-unknown", imageWidth: null, completions: [{ text: 5, reward: "high" }, bad], rewardStd: 0 },
      { runId, step: 2, promptId: "17", imageId, completions: { not: "a list" }, rewardStd: 0 },
      { runId, step: 8, promptId: "17", imageId, completions: [bad, { text: "", reward: null }], rewardStd: 0 },
    ],
  });
});
afterAll(async () => {
  await db?.drop();
});

describe("listRollouts", () => {
  it("lists the steps with groups and shows the newest by default", async () => {
    const r = await listRollouts(db.prisma, runId);
    expect(r.steps).toEqual([2, 4, 8]);
    expect(r.step).toBe(8);
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.zeroVariance).toBe(true);
    // What the trainer may leave out (no advantage, length or flag, a null reward) is not a problem.
    expect(r.groups[0]!.completions[1]).toMatchObject({ reward: null, advantage: null, length: null, failed: false, problem: null });
  });

  it("parses each completion and draws its boxes in image pixels, with the ground truth", async () => {
    const r = await listRollouts(db.prisma, runId, { step: 4 });
    const g = r.groups.find((x) => x.promptId === "17")!;
    expect(g).toMatchObject({ width: 500, height: 400, boxScale: [1000, 1000], zeroVariance: false, image: { id: imageId, imageKey: "17", storageKey: "abc123" }, problem: null });
    expect(g.gt).toEqual([{ id: "cat.1", box: [40, 70, 260, 250] }]);
    const [c0, c1] = g.completions;
    // 0..1000 grid → pixels: x · 500/1000, y · 400/1000.
    expect(c0!.parse).toEqual({ ok: true, objects: [{ id: "cat.1", box: [50, 80, 250, 240] }, { id: "mat.1", box: [0, 0, 500, 400] }], relations: 1 });
    expect(c0).toMatchObject({ index: 0, reward: 3.5, advantage: 0.7, length: 40, failed: false, values: { format: 1, node_acc: 0.5, edge_hard: null }, problem: null });
    expect(c1!.parse).toMatchObject({ ok: false, kind: "invalid_json" });
    expect(c1!.failed).toBe(true);
  });

  it("keeps malformed entries visible with their problem, and boxes in model space when the size is unknown", async () => {
    const r = await listRollouts(db.prisma, runId, { step: 4 });
    const g = r.groups.find((x) => x.promptId === "x-unknown")!;
    expect(g).toMatchObject({ image: null, width: 1000, height: 1000, zeroVariance: true });
    expect(g.completions[0]).toMatchObject({ text: "", reward: null, failed: false });
    expect(g.completions[0]!.problem).toMatch(/text/);
    expect(g.completions[0]!.problem).toMatch(/reward/);
    const other = await listRollouts(db.prisma, runId, { step: 2 });
    expect(other.groups[0]).toMatchObject({ completions: [], problem: expect.stringMatching(/not a list/) });
  });

  it("answers a step without groups, and a run without any", async () => {
    expect(await listRollouts(db.prisma, runId, { step: 3 })).toEqual({ steps: [2, 4, 8], step: 3, groups: [] });
    expect(await listRollouts(db.prisma, runId + 1)).toEqual({ steps: [], step: null, groups: [] });
  });
});
