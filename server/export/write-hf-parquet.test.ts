import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHfParquet } from "../ingest/readers/hf-parquet";
import { collect, makeImage, tempDir } from "../ingest/readers/test-helpers";
import type { SourceRecord } from "../ingest/source-record";
import { writeHfParquet } from "./write-hf-parquet";

let tmp: ReturnType<typeof tempDir>;
let pictures: Map<string, Uint8Array>;
const records: SourceRecord[] = [1, 2, 3, 4, 5].map((i) => ({
  imageId: `img-${i}`,
  split: "train",
  width: 60 + i,
  height: 40,
  objects: [
    { id: "man.1", bbox: [1.5, 2.25, 30, 39] },
    { id: "shirt.2", bbox: [5, 6, 20 + i, 30] },
  ],
  relationships: i % 2 ? [{ subject: "man.1", predicate: "wearing", object: "shirt.2" }] : [],
  origin: `test#${i}`,
}));
async function* source() {
  yield* records;
}

beforeAll(async () => {
  tmp = tempDir("sgg-hf-writer");
  pictures = new Map(await Promise.all(records.map(async (r, k) => [r.imageId, await makeImage(r.width, r.height, k % 2 ? "png" : "jpeg")] as const)));
});
afterAll(() => tmp?.cleanup());

describe("writeHfParquet", () => {
  it("splits large exports into numbered shards that read back in order with their pictures", async () => {
    const dir = path.join(tmp.dir, "sharded");
    const r = await writeHfParquet(source(), { dir, split: "train", images: async (id) => pictures.get(id), rowGroupSize: 2, shardBytes: 1 });
    expect(r.files).toEqual(["data/train-00000-of-00003.parquet", "data/train-00001-of-00003.parquet", "data/train-00002-of-00003.parquet"]);
    expect(r).toMatchObject({ images: 5, pictures: 5, objects: 10, relations: 3 });
    const back = await collect(readHfParquet(r.files.map((f) => path.join(dir, f)), { datasetType: "vg", split: "train", withImages: true }));
    expect(back.map((b) => [b.imageId, b.width, b.height, b.objects, b.relationships])).toEqual(records.map((b) => [b.imageId, b.width, b.height, b.objects, b.relationships]));
    back.forEach((b) => expect(Buffer.from(b.imageBytes!).equals(Buffer.from(pictures.get(b.imageId)!))).toBe(true));
  });

  it("without pictures writes the size columns, which the reader uses instead", async () => {
    const dir = path.join(tmp.dir, "bare");
    const r = await writeHfParquet(source(), { dir, split: "train" });
    expect(r.pictures).toBe(0);
    const back = await collect(readHfParquet(r.files.map((f) => path.join(dir, f)), { datasetType: "vg", split: "train", withImages: false }));
    expect(back.map((b) => [b.width, b.height])).toEqual(records.map((b) => [b.width, b.height]));
  });
});
