import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSgg } from "../testing/run-sgg";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";
import { startStubOpenAiServer, type StubServer } from "../../server/inference/testing/stub-openai-server";
import { ingestSource } from "../../server/ingest/ingest-source";

// Shared with the child processes: the image store and the models folder.
const DATA_DIR = mkdtempSync(path.join(tmpdir(), "sgg-cli-predict-"));
const MODELS_DIR = path.resolve(__dirname, "../../server/inference/fixtures");
process.env.SGG_DATA_DIR = DATA_DIR;

const ANSWER = '{"objects": [{"id": "car.1", "bbox": [10, 20, 300, 400]}], "relationships": []}';
let db: TestDatabase;
let stub: StubServer;

const sgg = (args: string[]) => runSgg(args, { DATABASE_URL: db.url, SGG_DATA_DIR: DATA_DIR, SGG_MODELS_DIR: MODELS_DIR, SGG_OPENAI_API_KEY: "" });

beforeAll(async () => {
  db = await createTestDatabase();
  await ingestSource({ databaseUrl: db.url, name: "shapes", split: "val", source: { format: "synthetic", images: 4, seed: 2 } });
  stub = await startStubOpenAiServer(() => ({ content: ANSWER }));
});
afterAll(async () => {
  await stub?.close();
  await db?.drop();
});

describe("sgg predict", () => {
  it("answers a split through an OpenAI-compatible server, stores the set and evaluates it", async () => {
    const r = await sgg(["predict", "--split", "shapes/val", "--name", "stub", "--base-url", stub.url, "--model", "stub-vl", "--api-key", "none", "--limit", "3", "--concurrency", "2"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/prediction set \d+ "stub": 3 images, 3 answered now \(0 failed\), 0 from before/);
    expect(r.stdout).toContain("Failure rate   0.0000 %  (0 of 3)");
    expect(r.stdout).toMatch(/stored as evaluation \d+/);
    expect(stub.requests).toHaveLength(3);
    const set = await db.prisma.predictionSet.findFirstOrThrow({ where: { name: "stub" }, include: { evaluations: true } });
    expect(set).toMatchObject({ origin: "inference", status: "complete", count: 3, jobId: null });
    expect(set.evaluations).toHaveLength(1);
  }, 120_000);

  it("runs the ONNX export in-process", async () => {
    const r = await sgg(["predict", "--split", "shapes/val", "--name", "tiny", "--backend", "onnx", "--model-dir", "tiny-onnx", "--batch-size", "2", "--max-tokens", "120", "--no-evaluate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/"tiny": 4 images, 4 answered now \(0 failed\)/);
    expect(r.stdout).not.toContain("Failure rate");
    expect(await db.prisma.prediction.count({ where: { predictionSet: { name: "tiny" }, parseOk: true } })).toBe(4);
  }, 120_000);

  it("names the option of a bad setting (exit 2) and offers --resume for a taken name, which then finishes the set", async () => {
    const outside = await sgg(["predict", "--split", "shapes/val", "--name", "x", "--backend", "onnx", "--model-dir", "/etc"]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^sgg: --model-dir: model folder \/etc is outside the models folder/);

    const taken = await sgg(["predict", "--split", "shapes/val", "--name", "stub", "--base-url", stub.url, "--model", "m", "--api-key", "none"]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('--name: a prediction set named "stub" already exists on shapes/val (use --resume to continue it)');
    const asked = stub.requests.length;
    const resumed = await sgg(["predict", "--split", "shapes/val", "--name", "stub", "--resume", "--no-evaluate"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/"stub": 3 images, 0 answered now \(0 failed\), 3 from before/);
    expect(stub.requests.length).toBe(asked);
  }, 120_000);
});
