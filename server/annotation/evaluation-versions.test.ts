import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type WorkerHandle } from "../../workers/runtime/run-worker";
import { FAST, waitFor } from "../../workers/runtime/test-support";
import type { Actor } from "../auth/actor";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { evaluatePredictionSet } from "../evaluation/evaluate-prediction-set";
import { createActor, seedAnnotationSplit } from "./annotation-fixtures";
import { evaluationVersions } from "./evaluation-versions";
import { EvaluationCurrentError, reevaluateEvaluation } from "./reevaluate-evaluation";
import { reviewTriplet } from "./review-triplet";

let db: TestDatabase;
let worker: WorkerHandle;
let ann: Actor;
beforeAll(async () => {
  db = await createTestDatabase();
  ann = await createActor(db, "ann");
  worker = await startWorker({ databaseUrl: db.url, concurrency: 1, jobNames: ["evaluate"], log: () => {}, ...FAST });
});
afterAll(async () => {
  await worker?.stop({ timeoutMs: 2000 });
  await db?.drop();
});

// Image a (640×480) holds "person.1 on street.1". The model sees the person and the street, but
// answers "person.1 holding bag.1" and misses "on": recall 0 against the ingested ground truth.
const answer = {
  objects: [
    { id: "person.1", bbox: [16, 42, 172, 625] },
    { id: "street.1", bbox: [0, 521, 1000, 1000] },
    { id: "bag.1", bbox: [313, 208, 406, 333] },
  ],
  relationships: [{ subject: "person.1", predicate: "holding", object: "bag.1" }],
};

describe("evaluations per GT version", () => {
  it("keeps the evaluation against the original ground truth beside the one against the reviewed ground truth", async () => {
    const { splitId, imageIds } = await seedAnnotationSplit(db, "adjusted");
    const a = imageIds[0]!;
    const set = await db.prisma.predictionSet.create({ data: { name: "model", splitId, origin: "import", count: 1 } });
    await db.prisma.prediction.create({ data: { predictionSetId: set.id, imageId: a, response: `<answer>${JSON.stringify(answer)}</answer>`, parseOk: true } });

    const original = await evaluatePredictionSet(db.prisma, { predictionSetId: set.id });
    expect(original.report.ngr.recall).toBe(0);

    // Review: accept the predicted "holding" with the bag at its predicted place (pixels), then
    // GT version 1 holds two triplets of which the model hits one.
    await reviewTriplet(db.prisma, { imageId: a, baseRevision: 0, kind: "accepted", triplet: { subject: "person.1", predicate: "holding", object: "bag.1" }, objects: [{ id: "bag.1", bbox: [200, 100, 260, 160] }], predictionSetId: set.id, actor: ann });
    const { jobId, gtVersion } = await reevaluateEvaluation(db.prisma, worker.boss, original.evaluationId);
    expect(gtVersion).toBe(1);
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).payload).toEqual({ predictionSetId: set.id, gtVersion: 1 });
    await waitFor("the evaluate job", async () => (await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).status === "completed");

    // A flag after the job was queued moves the split on; the stored evaluations stay as they were.
    await reviewTriplet(db.prisma, { imageId: a, baseRevision: 2, kind: "flagged", triplet: { subject: "person.1", predicate: "on", object: "street.1" }, actor: ann });
    const v = await evaluationVersions(db.prisma, set.id);
    expect(v).toMatchObject({ predictionSetId: set.id, splitId, currentGtVersion: 2, reviews: { accepted: 1, flagged: 1 } });
    expect(v.evaluations.map((e) => [e.gtVersion, e.recall, e.current])).toEqual([
      [0, 0, false],
      [1, 0.5, false],
    ]);

    // An evaluation at an older version reads ground truth as it stood then, not as it stands now.
    const again = await evaluatePredictionSet(db.prisma, { predictionSetId: set.id, gtVersion: 1 });
    expect(again.report.ngr.recall).toBe(0.5);
    expect(await db.prisma.evaluation.count({ where: { predictionSetId: set.id } })).toBe(2);
    const now = await evaluatePredictionSet(db.prisma, { predictionSetId: set.id });
    expect(now.report.ngr.recall).toBe(1);
    expect((await evaluationVersions(db.prisma, set.id)).evaluations.map((e) => [e.gtVersion, e.recall, e.current])).toEqual([
      [0, 0, false],
      [1, 0.5, false],
      [2, 1, true],
    ]);
    await expect(reevaluateEvaluation(db.prisma, worker.boss, now.evaluationId)).rejects.toBeInstanceOf(EvaluationCurrentError);
  });
});
