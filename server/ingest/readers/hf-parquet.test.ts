import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ByteWriter, parquetWrite } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hfParquetInfo, readHfParquet } from "./hf-parquet";
import { writeHfShard, type HfShardRow } from "./hf-shard-writer";
import { collect, errorOf, makeImage, tempDir } from "./test-helpers";

const here = path.dirname(fileURLToPath(import.meta.url));
const zstdShard = path.join(here, "fixtures", "hf-parquet", "vg150-zstd.parquet");

const objects = (...o: Array<[string, number[]]>): string => JSON.stringify(o.map(([id, bbox]) => ({ id, bbox })));
const rels = (...r: Array<[string, string, string]>): string => JSON.stringify(r.map(([subject, predicate, object]) => ({ subject, predicate, object })));

let tmp: ReturnType<typeof tempDir>;
let jpeg: Uint8Array;
let png: Uint8Array;

beforeAll(async () => {
  tmp = tempDir("hf-parquet");
  jpeg = await makeImage(64, 48, "jpeg");
  png = await makeImage(40, 30, "png");
});
afterAll(() => tmp.cleanup());

function vgRows(): HfShardRow[] {
  const row = (image_id: string, bytes: Uint8Array, o: string, r: string): HfShardRow => ({
    image_id,
    image: { bytes, path: `${image_id}.jpg` },
    prompt_open: "Describe this image of size (64 x 48) as a scene graph.",
    prompt_close: "Describe this image of size (64 x 48) with the VG150 classes.",
    objects: o,
    relationships: r,
  });
  return [
    row("1", jpeg, objects(["man.1", [1, 2, 30, 40]], ["horse.2", [10.5, 5.25, 63, 47]]), rels(["man.1", "riding", "horse.2"])),
    row("2", png, objects(["tree.1", [0, 0, 40, 30]]), "[]"),
    row("3", jpeg, "[]", "[]"),
    row("4", png, objects(["dog.1", [1, 1, 2, 2]], ["dog.2", [3, 3, 4, 4]]), rels(["dog.1", "near", "dog.2"], ["dog.2", "near", "dog.1"])),
    row("5", jpeg, objects(["shirt.1", [5, 5, 6, 6]]), "[]"),
  ];
}

function shard(name: string, rows: HfShardRow[], options: Parameters<typeof writeHfShard>[2] = {}): string {
  const file = path.join(tmp.dir, name);
  writeHfShard(file, rows, options);
  return file;
}

describe("readHfParquet", () => {
  it("reads a snappy shard row group by row group, sizes from the image bytes", async () => {
    const file = shard("vg-snappy.parquet", vgRows(), { rowGroupSize: 2 });
    const records = await collect(readHfParquet([file], { datasetType: "vg", split: "val", withImages: true }));
    expect(records.map((r) => r.imageId)).toEqual(["1", "2", "3", "4", "5"]);
    expect(records[0]).toEqual({
      imageId: "1",
      split: "val",
      width: 64,
      height: 48,
      objects: [
        { id: "man.1", bbox: [1, 2, 30, 40] },
        { id: "horse.2", bbox: [10.5, 5.25, 63, 47] },
      ],
      relationships: [{ subject: "man.1", predicate: "riding", object: "horse.2" }],
      imageBytes: jpeg,
      origin: `${file}#0`,
    });
    expect(records.map((r) => [r.width, r.height])).toEqual([[64, 48], [40, 30], [64, 48], [40, 30], [64, 48]]);
    expect(records[1]!.imageBytes).toEqual(png);
    expect(records[3]!.relationships).toHaveLength(2);
    expect(records[4]!.origin).toBe(`${file}#4`);
  });

  it("still reads the image header for the size when images are not kept", async () => {
    const file = shard("vg-noimg.parquet", vgRows(), { rowGroupSize: 3 });
    const records = await collect(readHfParquet([file], { datasetType: "vg", split: "train", withImages: false }));
    expect(records.map((r) => [r.imageId, r.width, r.height, r.imageBytes])).toEqual([
      ["1", 64, 48, undefined],
      ["2", 40, 30, undefined],
      ["3", 64, 48, undefined],
      ["4", 40, 30, undefined],
      ["5", 64, 48, undefined],
    ]);
  });

  it("reads the committed zstd shard (two row groups)", async () => {
    const records = await collect(readHfParquet([zstdShard], { datasetType: "vg", split: "val", withImages: true }));
    expect(records.map((r) => ({ id: r.imageId, w: r.width, h: r.height, o: r.objects, r: r.relationships, n: r.imageBytes!.length > 0 }))).toEqual([
      {
        id: "2343",
        w: 64,
        h: 48,
        o: [
          { id: "man.1", bbox: [4, 6, 30, 40] },
          { id: "horse.2", bbox: [20, 10, 60, 46] },
        ],
        r: [{ subject: "man.1", predicate: "riding", object: "horse.2" }],
        n: true,
      },
      { id: "107899", w: 40, h: 30, o: [{ id: "tree.1", bbox: [0.5, 1.25, 39.5, 29] }], r: [], n: true },
      {
        id: "61",
        w: 16,
        h: 20,
        o: [
          { id: "dog.1", bbox: [1, 2, 9, 18] },
          { id: "table.2", bbox: [0, 10, 16, 20] },
        ],
        r: [{ subject: "dog.1", predicate: "on", object: "table.2" }],
        n: true,
      },
    ]);
  });

  it("reads PSG shards (no prompt columns, hyphenated stuff classes) and several files in order", async () => {
    const a = shard("psg-0.parquet", [
      { image_id: "9", image: { bytes: png, path: null }, objects: objects(["person.1", [0, 0, 10, 10]], ["tree-merged.2", [0, 0, 40, 30]]), relationships: rels(["person.1", "in front of", "tree-merged.2"]) },
    ], { prompts: false });
    const b = shard("psg-1.parquet", [{ image_id: "10", image: { bytes: jpeg, path: null }, objects: objects(["wall-other-merged.1", [0, 0, 64, 48]]), relationships: "[]" }], { prompts: false });
    const records = await collect(readHfParquet([a, b], { datasetType: "psg", split: "test", withImages: false }));
    expect(records.map((r) => [r.imageId, r.width, r.objects.map((o) => o.id)])).toEqual([
      ["9", 40, ["person.1", "tree-merged.2"]],
      ["10", 64, ["wall-other-merged.1"]],
    ]);
    expect(hfParquetInfo("psg")).toMatchObject({ datasetType: "psg", format: "hf-parquet" });
    expect(hfParquetInfo("vg").attribution).toMatch(/Visual Genome.*CC BY 4\.0/);
  });

  it("takes the size from width/height columns when a shard has no image column", async () => {
    const writer = new ByteWriter();
    parquetWrite({
      writer,
      columnData: [
        { name: "image_id", data: ["5", "6"], type: "STRING" },
        { name: "width", data: [640, 800], type: "INT32" },
        { name: "height", data: [480, 600], type: "INT32" },
        { name: "objects", data: [objects(["man.1", [0, 0, 5, 5]]), "[]"], type: "STRING" },
        { name: "relationships", data: ["[]", "[]"], type: "STRING" },
      ],
    });
    const file = path.join(tmp.dir, "sizes.parquet");
    writeFileSync(file, writer.getBytes());
    const records = await collect(readHfParquet([file], { datasetType: "vg", split: "val", withImages: false }));
    expect(records.map((r) => [r.imageId, r.width, r.height])).toEqual([["5", 640, 480], ["6", 800, 600]]);
    const e = await errorOf(readHfParquet([file], { datasetType: "vg", split: "val", withImages: true }));
    expect(e.file).toBe(file);
    expect(e.detail).toMatch(/no "image" column/);
  });

  it("rejects a truncated shard, naming the file", async () => {
    const whole = readFileSync(shard("whole.parquet", vgRows()));
    const file = path.join(tmp.dir, "truncated.parquet");
    writeFileSync(file, whole.subarray(0, whole.length - 100));
    const e = await errorOf(readHfParquet([file], { datasetType: "vg", split: "train", withImages: false }));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
    expect(e.detail).toMatch(/not a parquet file or truncated footer/);
  });

  it("rejects a file that is not parquet at all", async () => {
    const file = path.join(tmp.dir, "notes.parquet");
    writeFileSync(file, "image_id,objects\n1,[]\n");
    const e = await errorOf(readHfParquet([file], { datasetType: "vg", split: "train", withImages: false }));
    expect(e.file).toBe(file);
    expect(e.detail).toMatch(/not a parquet file/);
  });

  const bad = async (name: string, mutate: (rows: HfShardRow[]) => void, datasetType: "vg" | "psg" = "vg") => {
    const rows = vgRows();
    mutate(rows);
    const file = shard(name, rows, { rowGroupSize: 2 });
    const e = await errorOf(readHfParquet([file], { datasetType, split: "train", withImages: false }));
    expect(e.file).toBe(file);
    return e;
  };

  it("rejects a relation that points to a missing object, naming the row and image", async () => {
    const e = await bad("dangling.parquet", (rows) => {
      rows[3] = { ...rows[3]!, relationships: rels(["dog.1", "near", "dog.7"]) };
    });
    expect(e.record).toBe("row 3, image_id 4");
    expect(e.detail).toMatch(/dog\.7.*not an object id/);
  });

  it("rejects an image that does not decode", async () => {
    const e = await bad("undecodable.parquet", (rows) => {
      rows[2] = { ...rows[2]!, image: { bytes: new TextEncoder().encode("definitely not a JPEG"), path: "3.jpg" } };
    });
    expect(e.record).toBe("row 2, image_id 3");
    expect(e.detail).toMatch(/image does not decode/);
  });

  it("rejects a class or predicate outside the vocabulary", async () => {
    const cls = await bad("unknown-class.parquet", (rows) => {
      rows[1] = { ...rows[1]!, objects: objects(["unicorn.1", [0, 0, 1, 1]]) };
    });
    expect(cls.record).toBe("row 1, image_id 2");
    expect(cls.detail).toMatch(/"unicorn" is not a vg class/);
    const pred = await bad("unknown-predicate.parquet", (rows) => {
      rows[0] = { ...rows[0]!, relationships: rels(["man.1", "teleporting to", "horse.2"]) };
    });
    expect(pred.record).toBe("row 0, image_id 1");
    expect(pred.detail).toMatch(/"teleporting to" is not a vg predicate/);
    // A VG class in a PSG shard is outside its vocabulary too.
    const psg = await bad("vg-as-psg.parquet", () => {}, "psg");
    expect(psg.record).toBe("row 0, image_id 1");
    expect(psg.detail).toMatch(/is not a psg/);
  });

  it("rejects bad boxes and malformed JSON text", async () => {
    const short = await bad("short-box.parquet", (rows) => {
      rows[4] = { ...rows[4]!, objects: objects(["shirt.1", [5, 5, 6]]) };
    });
    expect(short.record).toBe("row 4, image_id 5");
    expect(short.detail).toMatch(/bbox \[5,5,6\] is not four finite numbers/);
    const inverted = await bad("inverted-box.parquet", (rows) => {
      rows[4] = { ...rows[4]!, objects: objects(["shirt.1", [6, 5, 5, 6]]) };
    });
    expect(inverted.detail).toMatch(/x2 < x1/);
    const json = await bad("bad-json.parquet", (rows) => {
      rows[1] = { ...rows[1]!, objects: '[{"id": "tree.1", "bbox": [0, 0, 1, 1]},]' };
    });
    expect(json.record).toBe("row 1, image_id 2");
    expect(json.detail).toMatch(/objects is not JSON/);
  });

  it("yields the earlier shards, then stops at a missing one, naming it", async () => {
    const seen: string[] = [];
    const gen = readHfParquet([zstdShard, path.join(tmp.dir, "missing.parquet")], { datasetType: "vg", split: "val", withImages: false });
    const e = await errorOf((async function* () {
      for await (const r of gen) {
        seen.push(r.imageId);
        yield r;
      }
    })());
    expect(seen).toEqual(["2343", "107899", "61"]);
    expect(e.file).toBe(path.join(tmp.dir, "missing.parquet"));
    expect(e.detail).toMatch(/cannot read the file/);
  });
});
