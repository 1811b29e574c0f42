import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { getQueue, stopQueues } from "../jobs/queue";
import { createPredictionRun, PredictionRunInputError } from "./create-prediction-run";

// Read by env() on first use, after these lines: a configured endpoint with a key, and the models folder.
const KEY = "sk-test-not-to-be-stored-0123456789";
process.env.SGG_OPENAI_BASE_URL = "http://127.0.0.1:9/v1";
process.env.SGG_OPENAI_API_KEY = KEY;
process.env.SGG_MODELS_DIR = path.resolve(__dirname, "../inference/fixtures");
process.env.SGG_RUNS_DIR = mkdtempSync(path.join(tmpdir(), "sgg-runs-"));

let db: TestDatabase;
let splitId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  const ds = await db.prisma.dataset.create({ data: { name: "vg-mini", format: "synthetic", datasetType: "vg", source: "test" } });
  splitId = (await db.prisma.split.create({ data: { datasetId: ds.id, name: "val", fingerprint: "x", status: "ready" } })).id;
});
afterAll(async () => {
  await stopQueues();
  await db?.drop();
});

async function refusal(p: Promise<unknown>): Promise<PredictionRunInputError> {
  const e = await p.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(PredictionRunInputError);
  return e as PredictionRunInputError;
}

describe("createPredictionRun", () => {
  it("creates the running set and its predict job in one transaction, with defaults and no secret stored", async () => {
    const boss = await getQueue(db.url);
    const r = await createPredictionRun(db.prisma, { name: "qwen", splitId, settings: { backend: { kind: "openai", model: "Qwen2-VL-7B" } } }, { queue: boss });
    const set = await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: r.predictionSetId } });
    expect(set).toMatchObject({ name: "qwen", origin: "inference", status: "running", jobId: r.jobId, count: 0 });
    expect(set.settings).toMatchObject({
      backend: { kind: "openai", baseUrl: "http://127.0.0.1:9/v1", model: "Qwen2-VL-7B", apiKeySource: "env", boxScale: "qwen2-vl" },
      prompt: { variant: "closed", system: "plain" },
      sampling: { temperature: 0.01, topP: 0.001, maxTokens: 2048 },
      concurrency: 4,
      retries: 3,
    });
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: r.jobId! } });
    expect(job).toMatchObject({ name: "predict", status: "queued", payload: { predictionSetId: set.id } });
    expect((await boss.getJobById("predict", r.jobId!))?.data).toEqual({ predictionSetId: set.id });
    expect(JSON.stringify(set.settings) + JSON.stringify(job.payload)).not.toContain(KEY);
  });

  it("has no place for an API key: a form that sends one is refused before anything is written", async () => {
    const sets = await db.prisma.predictionSet.count();
    const e = await createPredictionRun(db.prisma, { name: "leak", splitId, settings: { backend: { kind: "openai", model: "m", apiKey: "sk-x" } as never } }, { queue: null }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ZodError);
    expect((e as ZodError).issues[0]).toMatchObject({ code: "unrecognized_keys", path: ["settings", "backend"] });
    expect(await db.prisma.predictionSet.count()).toBe(sets);
  });

  it("refuses a taken name on the same split, naming the field, and starts no second job", async () => {
    const jobs = await db.prisma.job.count();
    const e = await refusal(createPredictionRun(db.prisma, { name: "qwen", splitId, settings: { backend: { kind: "openai", model: "m" } } }, { queue: await getQueue(db.url) }));
    expect(e).toMatchObject({ field: "name", status: 409 });
    expect(e.message).toBe('a prediction set named "qwen" already exists on vg-mini/val');
    expect(await db.prisma.job.count()).toBe(jobs);
  });

  it("names the field of a split or a setting that cannot work", async () => {
    const base = { backend: { kind: "openai" as const, model: "m" } };
    expect(await refusal(createPredictionRun(db.prisma, { name: "a", splitId: 999_999, settings: base }, { queue: null }))).toMatchObject({ field: "splitId", status: 404 });
    // The workbench's key never goes to a host named in a form.
    const foreign = await refusal(createPredictionRun(db.prisma, { name: "b", splitId, settings: { backend: { kind: "openai", model: "m", baseUrl: "https://attacker.example/v1" } } }, { queue: null }));
    expect(foreign.field).toBe("settings.backend.apiKeySource");
    expect(foreign.message).toContain("only sent to SGG_OPENAI_BASE_URL");
    // ... but the same host without a key is fine.
    await expect(createPredictionRun(db.prisma, { name: "c", splitId, settings: { backend: { kind: "openai", model: "m", baseUrl: "https://other.example/v1", apiKeySource: "none" } } }, { queue: null })).resolves.toMatchObject({ jobId: null });
    const outside = await refusal(createPredictionRun(db.prisma, { name: "d", splitId, settings: { backend: { kind: "onnx", modelDir: "../../../.." } } }, { queue: null }));
    expect(outside).toMatchObject({ field: "settings.backend.modelDir" });
    expect(outside.message).toContain("outside the models folder");
    const missing = await refusal(createPredictionRun(db.prisma, { name: "e", splitId, settings: { backend: { kind: "onnx", modelDir: "." } } }, { queue: null }));
    expect(missing.message).toMatch(/lacks encoder\.onnx, decoder\.onnx, tokenizer\.json, model_config\.json/);
    const absent = await refusal(createPredictionRun(db.prisma, { name: "f", splitId, settings: { backend: { kind: "onnx", modelDir: "no-such-model" } } }, { queue: null }));
    expect(absent.message).toMatch(/does not exist/);
    expect(await db.prisma.predictionSet.count({ where: { name: { in: ["a", "b", "d", "e", "f"] } } })).toBe(0);
  });

  it("stores the resolved model folder of an ONNX run", async () => {
    const r = await createPredictionRun(db.prisma, { name: "tiny", splitId, settings: { backend: { kind: "onnx", modelDir: "tiny-onnx" } } }, { queue: null });
    const set = await db.prisma.predictionSet.findUniqueOrThrow({ where: { id: r.predictionSetId } });
    expect(set.settings).toMatchObject({ backend: { kind: "onnx", modelDir: path.resolve(__dirname, "../inference/fixtures/tiny-onnx"), decoding: "greedy", batchSize: 4 } });
  });
});
