import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSgg } from "./testing/run-sgg";
import { createTestDatabase, type TestDatabase } from "../server/db/test-database";

const SAMPLE = path.resolve(__dirname, "../data/sample");
let db: TestDatabase;
let dataDir: string;

const sgg = (args: string[]) => runSgg(args, { DATABASE_URL: db.url, SGG_DATA_DIR: dataDir });

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), "sgg-cli-data-"));
});
afterAll(async () => {
  await db?.drop();
});

describe("sgg data commands against PostgreSQL", () => {
  it("ingests the sample, imports its answers and stores an evaluation", async () => {
    const ing = await sgg(["ingest", "records", "--name", "sample", "--split", "val", "--file", path.join(SAMPLE, "records.jsonl")]);
    expect(ing.code).toBe(0);
    expect(ing.stdout).toMatch(/sample\/val: 5 images, \d+ objects, \d+ relations/);
    const again = await sgg(["ingest", "records", "--name", "sample", "--split", "val", "--file", path.join(SAMPLE, "records.jsonl")]);
    expect(again.stdout).toContain("unchanged");
    const imp = await sgg(["import-predictions", "--dataset", "sample", "--split", "val", "--from", path.join(SAMPLE, "predictions"), "--name", "examples"]);
    expect(imp.code).toBe(0);
    const id = /prediction set (\d+)/.exec(imp.stdout)![1]!;
    const ev = await sgg(["evaluate", "--prediction-set", id]);
    expect(ev.code).toBe(0);
    expect(ev.stdout).toContain("Failure rate   20.0000 %  (1 of 5)  — truncated 1");
    expect(await db.prisma.evaluation.count()).toBe(1);
    expect(await db.prisma.image.count({ where: { storageKey: { not: null } } })).toBe(5);
  }, 120_000);

  it("names the file and the record of a bad dataset line and stores nothing", async () => {
    const bad = path.join(dataDir, "bad.jsonl");
    await writeFile(bad, [
      JSON.stringify({ image_id: "a", width: 10, height: 10, objects: [{ id: "man.1", bbox: [0, 0, 5, 5] }], relationships: [] }),
      JSON.stringify({ image_id: "b", width: 10, height: 10, objects: [{ id: "man.1", bbox: [0, 0, 5, 5] }], relationships: [{ subject: "man.1", predicate: "on", object: "horse.2" }] }),
    ].join("\n"));
    const r = await sgg(["ingest", "records", "--name", "bad", "--split", "val", "--file", bad, "--no-images"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain("image_id b");
    expect(r.stderr).toContain("horse.2");
    expect(await db.prisma.dataset.count({ where: { name: "bad" } })).toBe(0);
  }, 60_000);

  it("says which dataset or split is missing", async () => {
    const r = await sgg(["import-predictions", "--dataset", "nope", "--split", "val", "--from", path.join(SAMPLE, "predictions"), "--name", "x"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no dataset named "nope"');
  });
});
