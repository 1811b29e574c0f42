/**
 * Fault test: the worker running a predict job is killed (SIGKILL) in the middle of the split; a new
 * worker picks the job up and finishes it. Every image ends with exactly one prediction, the answers
 * written before the kill are kept (not asked again), and the set is evaluated once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";
import { startStubOpenAiServer, type StubServer } from "../../server/inference/testing/stub-openai-server";
import { ingestSource } from "../../server/ingest/ingest-source";
import { startQueue } from "../../server/jobs/queue";
import { createPredictionRun } from "../../server/predictions/create-prediction-run";
import { startWorker, type WorkerHandle } from "../runtime/run-worker";
import { FAST, waitFor } from "../runtime/test-support";

process.env.SGG_DATA_DIR = mkdtempSync(path.join(tmpdir(), "sgg-predict-fault-"));
const IMAGES = 12;
const ANSWER = '{"objects": [{"id": "car.1", "bbox": [10, 20, 300, 400]}], "relationships": []}';

let db: TestDatabase;
let stub: StubServer;
let child: ChildProcess | undefined;
let second: WorkerHandle | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  await ingestSource({ databaseUrl: db.url, name: "shapes", split: "val", source: { format: "synthetic", images: IMAGES, seed: 11 } });
  // Slow enough that the kill lands with part of the split answered.
  stub = await startStubOpenAiServer(() => ({ delayMs: 400, content: ANSWER, usage: { prompt_tokens: 100, completion_tokens: 20 } }));
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await second?.stop({ timeoutMs: 2000 });
  await stub?.close();
  await db?.drop();
});

function startChildWorker(): Promise<ChildProcess> {
  const script = path.resolve(import.meta.dirname, "../runtime/test-fixtures/registry-worker.ts");
  const proc = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify({ databaseUrl: db.url, jobNames: ["predict"] })], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env },
  });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve(proc));
    proc.on("exit", (code) => reject(new Error(`worker exited (${code}): ${stderr}`)));
  });
}

describe("a predict job whose worker is killed mid-split", () => {
  it("is finished by a new worker with every image answered exactly once and one evaluation", async () => {
    child = await startChildWorker();
    const split = await db.prisma.split.findFirstOrThrow();
    const boss = await startQueue(db.url, { queueSettings: FAST.queueSettings });
    const { predictionSetId, jobId } = await createPredictionRun(
      db.prisma,
      { name: "fault", splitId: split.id, settings: { backend: { kind: "openai", baseUrl: stub.url, model: "stub-vl", apiKeySource: "none" }, concurrency: 1, timeoutMs: 5000, retries: 1, retryDelayMs: 5 } },
      { queue: boss },
    );
    await boss.stop({ graceful: false });
    if (!jobId) throw new Error("createPredictionRun queued no job");

    const before = await waitFor("a few answers from the first worker", async () => {
      const n = await db.prisma.prediction.count({ where: { predictionSetId } });
      return n >= 3 ? n : null;
    }, 40_000, 50);
    child.kill("SIGKILL");
    expect(before).toBeLessThan(IMAGES);
    const kept = await db.prisma.prediction.findMany({ where: { predictionSetId }, select: { id: true, imageId: true } });
    const requestsAtKill = stub.requests.length;

    second = await startWorker({ databaseUrl: db.url, concurrency: 1, log: () => {}, ...FAST });
    const job = await waitFor("the job to complete on the new worker", async () => {
      const row = await db.prisma.job.findUnique({ where: { id: jobId } });
      return row?.status === "completed" ? row : null;
    }, 90_000, 250);
    expect(job.attempts).toBe(2);

    const rows = await db.prisma.prediction.findMany({ where: { predictionSetId }, select: { id: true, imageId: true } });
    expect(rows).toHaveLength(IMAGES);
    expect(new Set(rows.map((r) => r.imageId)).size).toBe(IMAGES);
    // The answers stored before the kill are the same rows, not rewritten.
    const after = new Map(rows.map((r) => [r.imageId, r.id]));
    for (const k of kept) expect(after.get(k.imageId)).toBe(k.id);
    // The new worker asked only for what was missing (plus, at most, the one answer in flight at the kill).
    expect(stub.requests.length - requestsAtKill).toBeLessThanOrEqual(IMAGES - kept.length + 1);
    const set = await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: predictionSetId } });
    expect(set).toMatchObject({ status: "complete", count: IMAGES });

    await waitFor("the automatic evaluation", async () => (await db.prisma.job.findFirst({ where: { name: "evaluate", status: "completed" } })) ?? null, 60_000, 250);
    expect(await db.prisma.evaluation.count({ where: { predictionSetId } })).toBe(1);
  }, 150_000);
});
