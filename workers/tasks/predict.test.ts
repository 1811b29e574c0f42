import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";
import { env } from "../../server/env";
import { InferenceUnavailableError, type PredictionUsage } from "../../server/inference/backend";
import type { InferenceSettingsInput } from "../../server/inference/inference-settings";
import { PLAIN_SYSTEM } from "../../server/inference/prompts";
import { startStubOpenAiServer, type StubReply, type StubRequest, type StubServer } from "../../server/inference/testing/stub-openai-server";
import { ImageStore } from "../../server/ingest/image-store";
import { ingestSource } from "../../server/ingest/ingest-source";
import { enqueueJob } from "../../server/jobs/enqueue-job";
import { getQueue, stopQueues } from "../../server/jobs/queue";
import { createPredictionRun } from "../../server/predictions/create-prediction-run";
import { PermanentJobError, type JobContext } from "../job-context";
import { predictHandler } from "./predict";

// The image store and the models folder of this file (read by env() on first use, after these lines).
process.env.SGG_DATA_DIR = mkdtempSync(path.join(tmpdir(), "sgg-predict-"));
process.env.SGG_MODELS_DIR = path.resolve(__dirname, "../../server/inference/fixtures");

const ANSWER = '```json\n{"objects": [{"id": "car.1", "bbox": [10, 20, 300, 400]}, {"id": "tree.2", "bbox": [500, 50, 900, 950]}], "relationships": [{"subject": "car.1", "predicate": "near", "object": "tree.2"}]}\n```';
const IMAGES = 8;

let db: TestDatabase;
let splitId: number;
/** Image payload (base64, as the stub sees it) → index of the image in id order. */
const indexOfImage = new Map<string, number>();
let imageIds: number[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await ingestSource({ databaseUrl: db.url, name: "shapes", split: "val", source: { format: "synthetic", images: IMAGES, seed: 5 } });
  const images = await db.prisma.image.findMany({ orderBy: { id: "asc" } });
  splitId = images[0]!.splitId;
  imageIds = images.map((i) => i.id);
  const store = new ImageStore(path.join(env().storage.dataDir, "store"));
  for (const [i, img] of images.entries()) indexOfImage.set((await readFile(store.imagePath(img.storageKey!))).toString("base64"), i);
});
afterAll(async () => {
  await stopQueues();
  await db?.drop();
});

function context(signal: AbortSignal, progress: [number, number | null][] = [], attempt = 0): JobContext {
  return {
    jobId: randomUUID(),
    attempt,
    signal,
    prisma: db.prisma,
    databaseUrl: db.url,
    progress: async (done, total) => void progress.push([done, total]),
    enqueue: async (name, payload) => {
      const boss = await getQueue(db.url);
      return db.prisma.$transaction((tx) => enqueueJob(tx, boss, name, payload));
    },
    log: () => {},
  };
}

async function newSet(name: string, stub: StubServer | string, extra: Partial<InferenceSettingsInput> = {}): Promise<number> {
  const baseUrl = typeof stub === "string" ? stub : stub.url;
  const settings: InferenceSettingsInput = {
    backend: { kind: "openai", baseUrl, model: "stub-vl", apiKeySource: "none" },
    concurrency: 3,
    timeoutMs: 400,
    retries: 2,
    retryDelayMs: 5,
    ...extra,
  };
  const r = await createPredictionRun(db.prisma, { name, splitId, settings }, { queue: null });
  return r.predictionSetId;
}

const imageIndex = (r: StubRequest) => indexOfImage.get(r.image ?? "") ?? -1;

describe("the predict job against an OpenAI-compatible server", () => {
  it("stores every image once, with failures and their reasons, usage, retried 5xx/429 and timed-out slow answers", async () => {
    const script = (r: StubRequest, n: number): StubReply => {
      const i = imageIndex(r);
      if (i === 0) return { delayMs: 2000, content: ANSWER }; // always beyond the 400 ms timeout
      if (i === 1 && n === 1) return { status: 500 };
      if (i === 2) return { content: "Sure! Here is the scene graph: person riding horse", usage: { prompt_tokens: 90, completion_tokens: 11 } };
      if (i === 3 && n === 1) return { status: 429, headers: { "retry-after": "0" } };
      return { content: ANSWER, usage: { prompt_tokens: 1000 + i, completion_tokens: 40 + i } };
    };
    const stub = await startStubOpenAiServer(script);
    try {
      const setId = await newSet("scripted", stub);
      const progress: [number, number | null][] = [];
      await predictHandler({ predictionSetId: setId }, context(new AbortController().signal, progress));

      const set = await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: setId } });
      const preds = await db.prisma.prediction.findMany({ where: { predictionSetId: setId }, orderBy: { imageId: "asc" } });
      expect(preds.map((p) => p.imageId)).toEqual(imageIds);
      expect(set).toMatchObject({ status: "complete", count: IMAGES, failedCount: 2 });
      const byIndex = (i: number) => preds.find((p) => p.imageId === imageIds[i])!;
      const usage = (i: number) => byIndex(i).usage as unknown as PredictionUsage;

      // The slow image: three attempts, each cut at the timeout, stored as a failed answer with the reason.
      expect(byIndex(0)).toMatchObject({ response: "", parseOk: false, failureKind: "no_answer" });
      expect(byIndex(0).failureMessage).toMatch(/inference failed \(timeout\): no answer within 400 ms \(3 attempts\)/);
      expect(usage(0)).toMatchObject({ backend: "openai", attempts: 3, error: { kind: "timeout" } });
      expect(stub.requests.filter((r) => imageIndex(r) === 0)).toHaveLength(3);
      // 500 then 200, 429 then 200: retried, answered.
      expect(byIndex(1)).toMatchObject({ parseOk: true, response: ANSWER });
      expect(usage(1)).toMatchObject({ attempts: 2, promptTokens: 1001, completionTokens: 41 });
      expect(usage(3)).toMatchObject({ attempts: 2, promptTokens: 1003 });
      // Malformed text: stored raw, counted as a parse failure with the core's reason.
      expect(byIndex(2)).toMatchObject({ parseOk: false, response: "Sure! Here is the scene graph: person riding horse" });
      expect(byIndex(2).failureKind).toBe("invalid_json");
      expect(usage(2)).toMatchObject({ promptTokens: 90, completionTokens: 11, attempts: 1 });
      for (const i of [4, 5, 6, 7]) {
        expect(byIndex(i)).toMatchObject({ parseOk: true, boxScaleX: 1000, boxScaleY: 1000 });
        expect(usage(i)).toMatchObject({ promptTokens: 1000 + i, completionTokens: 40 + i, attempts: 1, finishReason: "stop" });
        expect(usage(i).latencyMs).toBeGreaterThanOrEqual(0);
      }
      expect((byIndex(4).parsed as { objects: unknown[] }).objects).toHaveLength(2);

      // What the server was asked: system + [image, text] with the closed VG150 prompt and e.3 sampling.
      const first = stub.requests[0]!.body;
      expect(first).toMatchObject({ model: "stub-vl", temperature: 0.01, top_p: 0.001, max_tokens: 2048 });
      expect(first.messages![0]).toEqual({ role: "system", content: PLAIN_SYSTEM });
      const content = first.messages![1]!.content as { type: string; text?: string }[];
      expect(content.map((c) => c.type)).toEqual(["image_url", "text"]);
      expect(content[1]!.text).toContain('Allowed predicates: ["above", "across", "against"');
      expect(stub.requests.every((r) => r.authorization === undefined)).toBe(true);

      expect(progress.at(-1)).toEqual([IMAGES, IMAGES]);
      const evaluate = await db.prisma.job.findMany({ where: { name: "evaluate" } });
      expect(evaluate.map((j) => j.payload)).toContainEqual({ predictionSetId: setId });
    } finally {
      await stub.close();
    }
  });

  it("resumes after an abort: no image twice, every image once, finished images never asked again", async () => {
    const abort = new AbortController();
    let answered = 0;
    const stub = await startStubOpenAiServer(() => {
      answered++;
      if (answered === 3) setTimeout(() => abort.abort(new Error("worker stopping")), 30);
      return { content: ANSWER, delayMs: 40 };
    });
    try {
      const setId = await newSet("resumed", stub, { concurrency: 2 });
      await expect(predictHandler({ predictionSetId: setId }, context(abort.signal))).rejects.toThrow("worker stopping");
      const kept = await db.prisma.prediction.findMany({ where: { predictionSetId: setId }, select: { imageId: true } });
      expect(kept.length).toBeGreaterThanOrEqual(2);
      expect(kept.length).toBeLessThan(IMAGES);
      const afterAbort = await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: setId } });
      expect(afterAbort).toMatchObject({ status: "running", count: kept.length });

      const before = stub.requests.length;
      await predictHandler({ predictionSetId: setId }, context(new AbortController().signal));
      const preds = await db.prisma.prediction.findMany({ where: { predictionSetId: setId }, orderBy: { imageId: "asc" } });
      expect(preds.map((p) => p.imageId)).toEqual(imageIds);
      expect(await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: setId } })).toMatchObject({ status: "complete", count: IMAGES, failedCount: 0 });
      const askedAgain = stub.requests.slice(before).map((r) => imageIds[imageIndex(r)]);
      expect(askedAgain.filter((id) => kept.some((k) => k.imageId === id))).toEqual([]);
      expect(askedAgain).toHaveLength(IMAGES - kept.length);
    } finally {
      await stub.close();
    }
  });

  it("fails at once, without retry, when the server refuses the key (401); the set is marked failed", async () => {
    const stub = await startStubOpenAiServer(() => ({ status: 401 }));
    try {
      const setId = await newSet("refused", stub, { imageLimit: 2 });
      const err = await predictHandler({ predictionSetId: setId }, context(new AbortController().signal)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentJobError);
      expect((err as Error).message).toMatch(/settings\.backend\.apiKeySource: .*HTTP 401/);
      expect(await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: setId } })).toMatchObject({ status: "failed", count: 0 });
    } finally {
      await stub.close();
    }
  });

  it("throws a retryable error and stores nothing when the server cannot be reached", async () => {
    const gone = await startStubOpenAiServer(() => ({}));
    const url = gone.url;
    await gone.close();
    const setId = await newSet("unreachable", url, { imageLimit: 3, retries: 1 });
    const err = await predictHandler({ predictionSetId: setId }, context(new AbortController().signal)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceUnavailableError);
    expect(err).not.toBeInstanceOf(PermanentJobError);
    expect((err as Error).message).toMatch(/network error.*after 2 attempts/);
    expect(await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: setId } })).toMatchObject({ status: "running", count: 0 });
    // On the last allowed attempt the set is given up.
    await expect(predictHandler({ predictionSetId: setId }, context(new AbortController().signal, [], 5))).rejects.toBeInstanceOf(InferenceUnavailableError);
    expect((await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: setId } })).status).toBe("failed");
  });
});

describe("the predict job with the ONNX tiny model", () => {
  it("answers a synthetic split with onnxruntime-node, batching, and records a missing picture as a failure", async () => {
    await ingestSource({ databaseUrl: db.url, name: "shapes-onnx", split: "val", source: { format: "synthetic", images: 5, seed: 9 } });
    const split = await db.prisma.split.findFirstOrThrow({ where: { dataset: { name: "shapes-onnx" } } });
    const images = await db.prisma.image.findMany({ where: { splitId: split.id }, orderBy: { id: "asc" } });
    // The last picture's bytes are gone from the store: that image must fail alone, with its reason.
    await db.prisma.image.update({ where: { id: images[4]!.id }, data: { storageKey: "0".repeat(64) } });
    const { predictionSetId } = await createPredictionRun(
      db.prisma,
      { name: "tiny", splitId: split.id, settings: { backend: { kind: "onnx", modelDir: "tiny-onnx", batchSize: 3 }, sampling: { maxTokens: 120 } } },
      { queue: null },
    );
    const stored = await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: predictionSetId } });
    expect((stored.settings as { backend: { modelDir: string } }).backend.modelDir).toBe(path.resolve(__dirname, "../../server/inference/fixtures/tiny-onnx"));

    await predictHandler({ predictionSetId }, context(new AbortController().signal));
    const preds = await db.prisma.prediction.findMany({ where: { predictionSetId }, orderBy: { imageId: "asc" } });
    expect(preds.map((p) => p.imageId)).toEqual(images.map((i) => i.id));
    for (const p of preds.slice(0, 4)) {
      expect(p).toMatchObject({ parseOk: true, boxScaleX: 1000, boxScaleY: 1000 });
      expect(p.response).toContain('{"id": "car.1", "bbox": [');
      expect(p.usage).toMatchObject({ backend: "onnx", promptTokens: 3, attempts: 1, finishReason: "stop" });
      expect((p.usage as unknown as PredictionUsage).completionTokens).toBeGreaterThan(20);
    }
    expect(preds[4]).toMatchObject({ parseOk: false, failureKind: "no_answer", response: "" });
    expect(preds[4]!.failureMessage).toMatch(/inference failed \(no_image\)/);
    expect(await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: predictionSetId } })).toMatchObject({ status: "complete", count: 5, failedCount: 1 });
  });
});

