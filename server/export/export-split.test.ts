import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { ingestSource, type IngestSource } from "../ingest/ingest-source";
import { tempDir } from "../ingest/readers/test-helpers";
import { VG150_FILES } from "./write-vg150-files";
import { exportSplit } from "./export-split";
import { ExportError } from "./export-error";
import { createActor } from "../annotation/annotation-fixtures";
import { saveImageGraph } from "../annotation/save-image-graph";
import { comparableGraphs, type ComparableGraph } from "./round-trip-helpers";

// Ingest → export → ingest the export with the matching reader → the same graphs, image by image.
let db: TestDatabase;
let tmp: ReturnType<typeof tempDir>;
let synthetic: number;
beforeAll(async () => {
  db = await createTestDatabase();
  tmp = tempDir("sgg-export");
  synthetic = (await ingestSource({ databaseUrl: db.url, name: "syn", split: "val", source: { format: "synthetic", images: 12, seed: 5 } })).splitId;
});
afterAll(async () => {
  await db?.drop();
  tmp?.cleanup();
});

async function reingest(name: string, source: IngestSource): Promise<number> {
  const r = await ingestSource({ databaseUrl: db.url, name, split: "val", source });
  expect(r.status).toBe("ingested");
  return r.splitId;
}

function expectSameGraphs(before: Map<string, ComparableGraph>, after: Map<string, ComparableGraph>, boxDigits?: number) {
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [id, a] of before) {
    const b = after.get(id)!;
    expect({ id, width: b.width, height: b.height, storageKey: b.storageKey, relationships: b.relationships }).toEqual({
      id,
      width: a.width,
      height: a.height,
      storageKey: a.storageKey,
      relationships: a.relationships,
    });
    expect(b.objects.map((o) => o.id)).toEqual(a.objects.map((o) => o.id));
    a.objects.forEach((o, k) => {
      if (boxDigits === undefined) expect(b.objects[k]!.bbox).toEqual(o.bbox);
      else o.bbox.forEach((v, c) => expect(b.objects[k]!.bbox[c]).toBeCloseTo(v, boxDigits));
    });
  }
}

describe("exportSplit round trips", () => {
  it("jsonl: records.jsonl with the pictures reads back to the same graphs and pictures", async () => {
    const out = path.join(tmp.dir, "jsonl");
    const r = await exportSplit(db.prisma, { splitId: synthetic, format: "jsonl", out });
    expect(r).toMatchObject({ images: 12, pictures: 12, split: "syn/val", files: ["records.jsonl"] });
    expect((await readdir(path.join(out, "images"))).length).toBe(12);
    const back = await reingest("syn-jsonl", { format: "records-jsonl", file: path.join(out, "records.jsonl"), datasetType: "vg", withImages: true });
    const before = await comparableGraphs(db.prisma, synthetic);
    expect([...before.values()].some((g) => g.relationships.length > 0)).toBe(true);
    expectSameGraphs(before, await comparableGraphs(db.prisma, back));
  });

  it("parquet: Hugging Face shards with image bytes read back to the same graphs and pictures", async () => {
    const out = path.join(tmp.dir, "parquet");
    const r = await exportSplit(db.prisma, { splitId: synthetic, format: "parquet", out });
    expect(r.files).toEqual(["data/val-00000-of-00001.parquet"]);
    const back = await reingest("syn-parquet", { format: "hf-parquet", files: r.files.map((f) => path.join(out, f)), datasetType: "vg", withImages: true });
    expectSameGraphs(await comparableGraphs(db.prisma, synthetic), await comparableGraphs(db.prisma, back));
  });

  it("vg150: HDF5, dictionary and image data read back to the same boxes and relations, objects named by position", async () => {
    const out = path.join(tmp.dir, "vg150");
    const r = await exportSplit(db.prisma, { splitId: synthetic, format: "vg150", out, renumberImages: true });
    expect(r.files).toEqual([VG150_FILES.h5, VG150_FILES.dict, VG150_FILES.imageData, VG150_FILES.idMap]);
    const idMap = JSON.parse(await readFile(path.join(out, VG150_FILES.idMap), "utf8")) as Record<string, string>;
    const back = await reingest("syn-vg150", {
      format: "vg150-h5",
      h5File: path.join(out, VG150_FILES.h5),
      dictFile: path.join(out, VG150_FILES.dict),
      imageDataFile: path.join(out, VG150_FILES.imageData),
      imageDir: path.join(out, VG150_FILES.imageDir),
      withImages: true,
      keepEmpty: true,
    });
    const after = new Map([...(await comparableGraphs(db.prisma, back, true))].map(([id, g]) => [idMap[id]!, g]));
    expectSameGraphs(await comparableGraphs(db.prisma, synthetic, true), after, 9);
  });

  it("vg150 with integer boxes moves each box edge by at most half a unit of the 1024 scale", async () => {
    const out = path.join(tmp.dir, "vg150-int");
    await exportSplit(db.prisma, { splitId: synthetic, format: "vg150", out, renumberImages: true, integerBoxes: true, withImages: false });
    const idMap = JSON.parse(await readFile(path.join(out, VG150_FILES.idMap), "utf8")) as Record<string, string>;
    const back = await reingest("syn-vg150-int", {
      format: "vg150-h5",
      h5File: path.join(out, VG150_FILES.h5),
      dictFile: path.join(out, VG150_FILES.dict),
      imageDataFile: path.join(out, VG150_FILES.imageData),
      withImages: false,
      keepEmpty: true,
    });
    const before = await comparableGraphs(db.prisma, synthetic, true);
    const after = new Map([...(await comparableGraphs(db.prisma, back, true))].map(([id, g]) => [idMap[id]!, g]));
    for (const [id, a] of before) {
      const b = after.get(id)!;
      expect(b.relationships).toEqual(a.relationships);
      const unit = Math.max(a.width, a.height) / 1024;
      a.objects.forEach((o, k) => o.bbox.forEach((v, c) => expect(Math.abs(b.objects[k]!.bbox[c]! - v)).toBeLessThanOrEqual(unit + 1e-9)));
    }
  });

  it("the shipped real photographs round-trip through parquet and VG150", async () => {
    const sample = path.resolve(__dirname, "../../data/sample/records.jsonl");
    const real = await reingest("real", { format: "records-jsonl", file: sample, datasetType: "vg", withImages: true });
    const pq = await exportSplit(db.prisma, { splitId: real, format: "parquet", out: path.join(tmp.dir, "real-parquet") });
    const pqBack = await reingest("real-parquet", { format: "hf-parquet", files: pq.files.map((f) => path.join(pq.out, f)), datasetType: "vg", withImages: true });
    expectSameGraphs(await comparableGraphs(db.prisma, real), await comparableGraphs(db.prisma, pqBack));

    const vg = await exportSplit(db.prisma, { splitId: real, format: "vg150", out: path.join(tmp.dir, "real-vg150"), renumberImages: true });
    expect(vg.warnings.join(" ")).toContain("not JPEG");
    const idMap = JSON.parse(await readFile(path.join(vg.out, VG150_FILES.idMap), "utf8")) as Record<string, string>;
    const vgBack = await reingest("real-vg150", {
      format: "vg150-h5",
      h5File: path.join(vg.out, VG150_FILES.h5),
      dictFile: path.join(vg.out, VG150_FILES.dict),
      imageDataFile: path.join(vg.out, VG150_FILES.imageData),
      imageDir: path.join(vg.out, VG150_FILES.imageDir),
      withImages: true,
      keepEmpty: true,
    });
    const after = new Map([...(await comparableGraphs(db.prisma, vgBack, true))].map(([id, g]) => [idMap[id]!, g]));
    expectSameGraphs(await comparableGraphs(db.prisma, real, true), after, 9);
  });
});

describe("exportSplit at a GT version", () => {
  it("writes the graphs as ingested at version 0 and the edited graph at the newest version", async () => {
    const before = await comparableGraphs(db.prisma, synthetic);
    const image = await db.prisma.image.findFirstOrThrow({ where: { splitId: synthetic, relationCount: { gt: 0 } }, orderBy: { id: "asc" } });
    const old = before.get(image.imageKey)!;
    const objects = old.objects.map((o, k) => ({ id: o.id, bbox: (k === 0 ? [o.bbox[0]!, o.bbox[1]!, o.bbox[0]! + (o.bbox[2]! - o.bbox[0]!) / 2, o.bbox[3]!] : o.bbox) as [number, number, number, number] }));
    const relationships = old.relationships.slice(1).map((t) => {
      const [subject, predicate, object] = t.split("|");
      return { subject: subject!, predicate: predicate!, object: object! };
    });
    await saveImageGraph(db.prisma, { imageId: image.id, baseRevision: 0, graph: { objects, relationships }, actor: await createActor(db, "editor") });

    const v0 = await exportSplit(db.prisma, { splitId: synthetic, version: 0, format: "jsonl", out: path.join(tmp.dir, "v0") });
    const now = await exportSplit(db.prisma, { splitId: synthetic, format: "parquet", out: path.join(tmp.dir, "now") });
    expect([v0.version, now.version]).toEqual([0, 1]);
    expect(now.relations).toBe(v0.relations - 1);
    const v0Back = await reingest("syn-v0", { format: "records-jsonl", file: path.join(v0.out, "records.jsonl"), datasetType: "vg", withImages: true });
    const nowBack = await reingest("syn-now", { format: "hf-parquet", files: now.files.map((f) => path.join(now.out, f)), datasetType: "vg", withImages: true });
    expectSameGraphs(before, await comparableGraphs(db.prisma, v0Back));
    const edited = await comparableGraphs(db.prisma, nowBack);
    expect(edited.get(image.imageKey)!.objects[0]!.bbox).toEqual(objects[0]!.bbox);
    expect(edited.get(image.imageKey)!.relationships).toEqual(old.relationships.slice(1));
    expectSameGraphs(await comparableGraphs(db.prisma, synthetic), edited);
    await expect(exportSplit(db.prisma, { splitId: synthetic, version: 2, format: "jsonl", out: path.join(tmp.dir, "v2") })).rejects.toThrow(/no GT version 2/);
  });
});

describe("exportSplit refusals", () => {
  it("refuses non-integer image ids for VG150 unless renumbered, and leaves no partial folder", async () => {
    const out = path.join(tmp.dir, "vg150-ids");
    await expect(exportSplit(db.prisma, { splitId: synthetic, format: "vg150", out })).rejects.toThrow(/positive integers/);
    expect((await readdir(tmp.dir)).filter((f) => f.startsWith("vg150-ids"))).toEqual([]);
  });

  it("refuses a folder that already holds files", async () => {
    const out = path.join(tmp.dir, "occupied");
    await mkdir(out);
    await writeFile(path.join(out, "keep.txt"), "mine");
    await expect(exportSplit(db.prisma, { splitId: synthetic, format: "jsonl", out })).rejects.toThrow(ExportError);
    expect(await readFile(path.join(out, "keep.txt"), "utf8")).toBe("mine");
  });

  it("names a split that does not exist", async () => {
    await expect(exportSplit(db.prisma, { splitId: 999_999, format: "jsonl", out: path.join(tmp.dir, "none") })).rejects.toThrow(/no split with id 999999/);
  });
});
