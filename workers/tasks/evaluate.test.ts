import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";
import { ingestSource } from "../../server/ingest/ingest-source";
import { enqueueJob } from "../../server/jobs/enqueue-job";
import { importPredictions } from "../../server/predictions/import-predictions";
import { startWorker, type WorkerHandle } from "../runtime/run-worker";
import { FAST, waitFor } from "../runtime/test-support";

const SAMPLE = path.resolve(import.meta.dirname, "../../data/sample");
let db: TestDatabase;
let worker: WorkerHandle;

beforeAll(async () => {
  db = await createTestDatabase();
  await ingestSource({
    databaseUrl: db.url,
    name: "real-sample",
    split: "val",
    source: { format: "records-jsonl", file: path.join(SAMPLE, "records.jsonl"), datasetType: "vg", withImages: false },
  });
  worker = await startWorker({ databaseUrl: db.url, concurrency: 1, jobNames: ["evaluate"], log: () => {}, ...FAST });
});
afterAll(async () => {
  await worker?.stop({ timeoutMs: 2000 });
  await db?.drop();
});

const run = async (predictionSetId: number) => {
  const id = await db.prisma.$transaction((tx) => enqueueJob(tx, worker.boss, "evaluate", { predictionSetId }));
  return waitFor("the evaluate job to finish", async () => {
    const row = await db.prisma.job.findUniqueOrThrow({ where: { id } });
    return row.status === "completed" || row.status === "failed" ? row : null;
  });
};

describe("the evaluate job", () => {
  it("stores the evaluation of a prediction set and reports progress in images", async () => {
    const imp = await importPredictions(db.prisma, { dataset: "real-sample", split: "val", from: path.join(SAMPLE, "predictions"), name: "examples" });
    const job = await run(imp.predictionSetId);
    const evaluation = await db.prisma.evaluation.findFirstOrThrow({ where: { predictionSetId: imp.predictionSetId } });
    expect(job).toMatchObject({ status: "completed", attempts: 1, progressDone: 5, progressTotal: 5, message: `stored as evaluation ${evaluation.id}` });
    expect(await db.prisma.evaluationImage.count({ where: { evaluationId: evaluation.id } })).toBe(5);
  });

  it("fails at once for a set that is still being filled or does not exist", async () => {
    const split = await db.prisma.split.findFirstOrThrow();
    const filling = await db.prisma.predictionSet.create({ data: { name: "filling", splitId: split.id, origin: "inference", status: "running" } });
    expect(await run(filling.id)).toMatchObject({ status: "failed", attempts: 1, error: `prediction set ${filling.id} (filling) is running; only a complete set can be evaluated` });
    expect(await run(424242)).toMatchObject({ status: "failed", attempts: 1, error: "no prediction set with id 424242" });
    expect(await db.prisma.evaluation.count({ where: { predictionSetId: filling.id } })).toBe(0);
  });
});
