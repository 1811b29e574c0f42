import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { ingestSplit } from "../ingest/ingest-split";
import { loadSplitGt } from "../queries/load-split-gt";
import { generateSplit } from "../synthetic/generate-split";
import { getVocabulary } from "../scene-graph/vocab";
import { exportSplitShard, writeVocabularyFile } from "./export-split-shard";
import { ingestSyntheticSplit } from "./run-test-fixtures";
import { TrainingRunError } from "./training-run-error";

let db: TestDatabase;
let splitId: number;
const top = mkdtempSync(path.join(tmpdir(), "sgg-shard-"));
const dataDir = path.join(top, "data");
const storeRoot = path.join(dataDir, "store");

beforeAll(async () => {
  db = await createTestDatabase();
  splitId = await ingestSyntheticSplit({ databaseUrl: db.url, dataDir, dataset: "shapes", split: "train", images: 4 });
}, 120_000);
afterAll(async () => {
  await db?.drop();
  rmSync(top, { recursive: true, force: true });
});

const readShard = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));

describe("exportSplitShard", () => {
  it("writes one record per image with pixel boxes, ids, relationships and the store's absolute image path", async () => {
    const out = path.join(top, "run", "data", "train.jsonl");
    const shard = await exportSplitShard(db.prisma, { splitId, out, storeRoot });
    expect(shard.images).toBe(4);
    const lines = readShard(out);
    const { records } = await loadSplitGt(db.prisma, splitId);
    expect(lines.map(({ image, ...rest }) => (void image, rest))).toEqual(records.map((r) => ({ ...r, objects: r.objects.map((o) => ({ id: o.id, bbox: [...o.bbox] })) })));
    const keys = await db.prisma.image.findMany({ where: { splitId }, orderBy: { id: "asc" }, select: { storageKey: true } });
    expect(lines.map((l) => l.image)).toEqual(keys.map((k) => path.join(storeRoot, "images", k.storageKey!.slice(0, 2), k.storageKey!)));
    for (const l of lines) expect(existsSync(l.image)).toBe(true);
    expect(shard.classes).toEqual(new Set(lines.flatMap((l) => l.objects.map((o: { id: string }) => o.id.split(".")[0]))));
    expect(readdirSync(path.dirname(out))).toEqual(["train.jsonl"]); // no temporary file left
  });

  it("takes the first images in ingest order up to the limit", async () => {
    const out = path.join(top, "limited.jsonl");
    const all = readShard(path.join(top, "run", "data", "train.jsonl"));
    expect((await exportSplitShard(db.prisma, { splitId, out, storeRoot, limit: 2 })).images).toBe(2);
    expect(readShard(out).map((l) => l.image_id)).toEqual(all.slice(0, 2).map((l) => l.image_id));
  });

  it("refuses splits without stored pictures and missing splits, naming the field and leaving no file", async () => {
    async function* recs() {
      for (const [i, r] of generateSplit({ images: 2, seed: 3 }).gt.entries()) yield { imageId: r.image_id, split: "val", width: r.width, height: r.height, objects: r.objects, relationships: r.relationships, origin: `g#${i}` };
    }
    const bare = await ingestSplit({ databaseUrl: db.url, dataset: { name: "bare", format: "records-jsonl", datasetType: "vg", source: "t" }, split: "val", fingerprint: "x", records: recs() });
    const out = path.join(top, "bare", "eval.jsonl");
    const err = await exportSplitShard(db.prisma, { splitId: bare.splitId, out, storeRoot, field: "evalSplitId" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingRunError);
    expect((err as TrainingRunError).field).toBe("evalSplitId");
    expect((err as Error).message).toContain("bare/val: image");
    expect((err as Error).message).toContain("has no stored picture");
    expect(existsSync(out)).toBe(false);
    await expect(exportSplitShard(db.prisma, { splitId: 99999, out, storeRoot })).rejects.toThrow("no split with id 99999");
  });
});

describe("writeVocabularyFile", () => {
  it("writes the dataset's vocabulary in the VG150 layout, then names the shards use beyond it", async () => {
    const out = path.join(top, "vocab.json");
    const shard = { file: "x", images: 1, datasetType: "vg" as const, classes: new Set(["person", "zebra-unicorn"]), predicates: new Set(["on", "levitating over"]) };
    await writeVocabularyFile(out, "vg", [shard]);
    const v = JSON.parse(readFileSync(out, "utf8"));
    const vg = getVocabulary("vg");
    expect(v.objects).toEqual(["__background__", ...vg.classes, "zebra-unicorn"]);
    expect(v.predicates).toEqual(["__background__", ...vg.predicates, "levitating over"]);
  });
});
