import { mkdtemp } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { generateSplit } from "../synthetic/generate-split";
import { ImageStore } from "./image-store";
import { ingestSplit } from "./ingest-split";
import { DatasetFileError, type SourceRecord } from "./source-record";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function records(n: number, seed = 1): SourceRecord[] {
  return generateSplit({ images: n, seed }).gt.map((r, i) => ({ imageId: r.image_id, split: "val", width: r.width, height: r.height, objects: r.objects, relationships: r.relationships, origin: `gen.jsonl#${i}` }));
}
async function* stream(rs: readonly SourceRecord[]) {
  yield* rs;
}
const target = { name: "gen", format: "records-jsonl", datasetType: "vg" as const, source: "generated" };

describe("ingestSplit", () => {
  it("stores a split whole, and the same input twice changes nothing", async () => {
    const rs = records(300);
    const first = await ingestSplit({ databaseUrl: db.url, dataset: target, split: "val", fingerprint: "a", records: stream(rs), batchSize: 64 });
    expect(first.status).toBe("ingested");
    expect(first.images).toBe(300);
    expect(first.objects).toBe(rs.reduce((n, r) => n + r.objects.length, 0));
    const again = await ingestSplit({ databaseUrl: db.url, dataset: target, split: "val", fingerprint: "a", records: stream(rs) });
    expect(again).toMatchObject({ status: "unchanged", splitId: first.splitId, images: 300 });
    expect(await db.prisma.image.count()).toBe(300);
    expect(await db.prisma.gtObject.count()).toBe(first.objects);
    const img = await db.prisma.image.findFirst({ where: { imageKey: rs[5]!.imageId }, include: { objects: { orderBy: { idx: "asc" } }, relations: { orderBy: { idx: "asc" } } } });
    expect(img!.objects.map((o) => [o.label, o.x1, o.y1, o.x2, o.y2])).toEqual(rs[5]!.objects.map((o) => [o.id, ...o.bbox]));
    expect(img!.relations.map((r) => `${img!.objects[r.subjectIdx]!.label} ${r.predicate} ${img!.objects[r.objectIdx]!.label}`)).toEqual(
      rs[5]!.relationships.map((r) => `${r.subject} ${r.predicate} ${r.object}`),
    );
  });

  it("a bad record names its origin and leaves the previous version intact", async () => {
    const rs = records(200, 2);
    const bad = { ...rs[150]!, relationships: [{ subject: "ghost.1", predicate: "on", object: rs[150]!.objects[0]!.id }] };
    const broken = [...rs.slice(0, 150), bad, ...rs.slice(151)];
    const err = await ingestSplit({ databaseUrl: db.url, dataset: target, split: "val", fingerprint: "b", records: stream(broken), batchSize: 64 }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetFileError);
    expect(err.message).toContain("gen.jsonl (row 150, image_id");
    expect(err.message).toContain('"ghost.1" is not an object id');
    expect(await db.prisma.image.count()).toBe(300);
    const split = await db.prisma.split.findFirst({ where: { name: "val", dataset: { name: "gen" } } });
    expect(split).toMatchObject({ status: "ready", fingerprint: "a", imageCount: 300 });
  });

  it("new input replaces the split; duplicate image ids are refused", async () => {
    const rs = records(50, 3);
    const r = await ingestSplit({ databaseUrl: db.url, dataset: target, split: "val", fingerprint: "c", records: stream(rs) });
    expect(r.status).toBe("ingested");
    expect(await db.prisma.image.count()).toBe(50);
    const dup = await ingestSplit({ databaseUrl: db.url, dataset: target, split: "val", fingerprint: "d", records: stream([...rs, rs[0]!]) }).catch((e) => e);
    expect(String(dup)).toContain("appears twice");
    expect(await db.prisma.image.count()).toBe(50);
  });

  it("stores image bytes content-addressed with a thumbnail made once", async () => {
    const store = new ImageStore(await mkdtemp(path.join(tmpdir(), "sgg-store-")));
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#3366aa" } }).png().toBuffer();
    const rs = records(2, 4).map((r) => ({ ...r, width: 640, height: 480, objects: r.objects.map((o) => ({ ...o, bbox: [1, 1, 10, 10] as const })), imageBytes: png }));
    await ingestSplit({ databaseUrl: db.url, dataset: { ...target, name: "with-images" }, split: "val", fingerprint: "e", records: stream(rs), store });
    const rows = await db.prisma.image.findMany({ where: { split: { dataset: { name: "with-images" } } } });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.storageKey).toBe(rows[1]!.storageKey);
    expect(existsSync(store.imagePath(rows[0]!.storageKey!))).toBe(true);
    const meta = await sharp(store.thumbPath(rows[0]!.storageKey!)).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(320);
  });
});
