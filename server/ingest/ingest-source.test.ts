import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { ingestSource } from "./ingest-source";

// Each format straight into PostgreSQL through the same entry point the CLI and workers use.
const FIX = path.resolve(__dirname, "readers/fixtures");
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("ingestSource", () => {
  it("ingests a zstd Hugging Face parquet shard with its images", async () => {
    const r = await ingestSource({ databaseUrl: db.url, name: "hf", split: "val", source: { format: "hf-parquet", files: [path.join(FIX, "hf-parquet/vg150-zstd.parquet")], datasetType: "vg", withImages: true } });
    expect(r.status).toBe("ingested");
    expect(r.images).toBe(3);
    expect(await db.prisma.image.count({ where: { splitId: r.splitId, storageKey: { not: null } } })).toBe(3);
    const again = await ingestSource({ databaseUrl: db.url, name: "hf", split: "val", source: { format: "hf-parquet", files: [path.join(FIX, "hf-parquet/vg150-zstd.parquet")], datasetType: "vg", withImages: true } });
    expect(again.status).toBe("unchanged");
  });

  it("ingests the original VG150 release's test split", async () => {
    const dir = path.join(FIX, "vg150-h5");
    const r = await ingestSource({
      databaseUrl: db.url,
      name: "vg150-h5",
      split: "test",
      source: { format: "vg150-h5", h5File: path.join(dir, "VG-SGG-with-attri.h5"), dictFile: path.join(dir, "VG-SGG-dicts-with-attri.json"), imageDataFile: path.join(dir, "image_data.json"), withImages: false },
    });
    expect(r.status).toBe("ingested");
    expect(r.images).toBeGreaterThan(0);
    const ds = await db.prisma.dataset.findUniqueOrThrow({ where: { name: "vg150-h5" } });
    expect(ds.attribution).toContain("Visual Genome");
  });

  it("renders and ingests a synthetic split, deterministically", async () => {
    const r = await ingestSource({ databaseUrl: db.url, name: "syn", split: "train", source: { format: "synthetic", images: 12, seed: 3 } });
    expect(r.images).toBe(12);
    const keys = await db.prisma.image.findMany({ where: { splitId: r.splitId }, select: { storageKey: true }, orderBy: { id: "asc" } });
    const r2 = await ingestSource({ databaseUrl: db.url, name: "syn2", split: "train", source: { format: "synthetic", images: 12, seed: 3 } });
    const keys2 = await db.prisma.image.findMany({ where: { splitId: r2.splitId }, select: { storageKey: true }, orderBy: { id: "asc" } });
    expect(keys2).toEqual(keys);
  });
});
