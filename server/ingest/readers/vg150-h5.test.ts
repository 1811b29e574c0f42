import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceRecord } from "../source-record";
import { collect, errorOf, makeImage, tempDir } from "./test-helpers";
import { readVg150H5, vg150H5Info, type Vg150H5Options } from "./vg150-h5";

// Made by scripts/fixtures/gen-vg150-h5-fixture.py; its docstring lists the eight images and their splits.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "vg150-h5");
const files = {
  h5File: path.join(fixtures, "VG-SGG-with-attri.h5"),
  dictFile: path.join(fixtures, "VG-SGG-dicts-with-attri.json"),
  imageDataFile: path.join(fixtures, "image_data.json"),
};

const read = (o: Partial<Vg150H5Options> & Pick<Vg150H5Options, "split">) => collect(readVg150H5({ ...files, withImages: false, ...o }));
const ids = (records: SourceRecord[]) => records.map((r) => r.imageId);

// Pixel boxes by hand from (cx, cy, w, h) at scale 1024: x1 = cx − w/2, ..., times max(W, H)/1024.
// Image 10 is 800×600, so the factor is 0.78125; man (200, 300, 100, 60) → (150, 270, 250, 330) × 0.78125.
const EXPECTED: Record<string, Omit<SourceRecord, "split" | "origin" | "imageBytes">> = {
  "10": {
    imageId: "10",
    width: 800,
    height: 600,
    objects: [
      { id: "man.1", bbox: [117.1875, 210.9375, 195.3125, 257.8125] },
      { id: "shirt.2", bbox: [148.4375, 199.21875, 179.6875, 238.28125] },
    ],
    relationships: [{ subject: "man.1", predicate: "wearing", object: "shirt.2" }],
  },
  "13": {
    imageId: "13",
    width: 512,
    height: 1024,
    objects: [
      { id: "horse.1", bbox: [156, 362, 356, 662] },
      { id: "man.2", bbox: [199, 325, 301, 475] },
    ],
    relationships: [
      { subject: "man.2", predicate: "riding", object: "horse.1" },
      { subject: "horse.1", predicate: "near", object: "man.2" },
    ],
  },
  "14": {
    imageId: "14",
    width: 1280,
    height: 960,
    objects: [
      { id: "dog.1", bbox: [425, 700, 575, 800] },
      { id: "table.2", bbox: [687.5, 650, 1062.5, 850] },
    ],
    relationships: [{ subject: "dog.1", predicate: "near", object: "table.2" }],
  },
  "15": {
    imageId: "15",
    width: 300,
    height: 200,
    objects: [
      { id: "man.1", bbox: [91.40625, 14.6484375, 208.59375, 161.1328125] },
      { id: "shirt.2", bbox: [120.703125, 54.19921875, 179.296875, 98.14453125] },
    ],
    relationships: [{ subject: "man.1", predicate: "has", object: "shirt.2" }],
  },
  "17": {
    imageId: "17",
    width: 1000,
    height: 750,
    objects: [
      { id: "dog.1", bbox: [73.2421875, 180.6640625, 122.0703125, 209.9609375] },
      { id: "table.2", bbox: [39.0625, 185.546875, 234.375, 283.203125] },
    ],
    relationships: [{ subject: "dog.1", predicate: "on", object: "table.2" }],
  },
};
// h5 row of each image (the corrupted 1592 and 1722 are skipped before aligning).
const ROW: Record<string, number> = { "10": 0, "13": 3, "14": 4, "15": 5, "17": 7 };

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir("vg150-h5");
});
afterAll(() => tmp.cleanup());

describe("readVg150H5", () => {
  it("converts boxes to original pixels and names objects <label>.<k>", async () => {
    const records = await read({ split: "val", valSize: 2 });
    expect(records).toEqual(
      ["10", "13"].map((id) => ({ ...EXPECTED[id], split: "val", imageBytes: undefined, origin: `${files.h5File}#${ROW[id]}` })),
    );
  });

  it("splits like Scene-Graph-Benchmark: val is the first valSize eligible train images", async () => {
    expect(ids(await read({ split: "val", valSize: 2 }))).toEqual(["10", "13"]);
    expect(ids(await read({ split: "train", valSize: 2 }))).toEqual(["15", "17"]);
    expect(await read({ split: "train", valSize: 2 })).toEqual(
      ["15", "17"].map((id) => ({ ...EXPECTED[id], split: "train", imageBytes: undefined, origin: `${files.h5File}#${ROW[id]}` })),
    );
    // Images without relations (16) or boxes are dropped from test too.
    expect(await read({ split: "test" })).toEqual([{ ...EXPECTED["14"], split: "test", imageBytes: undefined, origin: `${files.h5File}#4` }]);
    // Default 5,000: every eligible train image is val, none is left for train.
    expect(ids(await read({ split: "val" }))).toEqual(["10", "13", "15", "17"]);
    expect(await read({ split: "train" })).toEqual([]);
    expect(ids(await read({ split: "train", valSize: 0 }))).toEqual(["10", "13", "15", "17"]);
  });

  it("keeps images without boxes or relations on request", async () => {
    const records = await read({ split: "train", valSize: 0, keepEmpty: true });
    expect(ids(records)).toEqual(["10", "11", "12", "13", "15", "17"]);
    expect(records[1]!.objects.map((o) => o.id)).toEqual(["tree.1", "tree.2", "dog.3"]);
    expect(records[1]!.relationships).toEqual([]);
    expect(records[2]!.objects).toEqual([]);
    expect(ids(await read({ split: "test", keepEmpty: true }))).toEqual(["14", "16"]);
  });

  it("reads the scale from the dataset name: boxes_512 gives the same pixels", async () => {
    expect(await read({ split: "val", boxScale: 512 })).toEqual(await read({ split: "val", boxScale: 1024 }));
    const e = await errorOf(readVg150H5({ ...files, split: "val", withImages: false, boxScale: 592 }));
    expect(e.file).toBe(files.h5File);
    expect(e.detail).toMatch(/no "boxes_592" dataset \(scales present: 1024, 512\)/);
  });

  it("reads <image_id>.jpg from the image folder and names a missing one", async () => {
    const imageDir = path.join(tmp.dir, "images");
    mkdirSync(imageDir);
    const jpeg15 = await makeImage(30, 20);
    writeFileSync(path.join(imageDir, "15.jpg"), jpeg15);
    const gen = readVg150H5({ ...files, split: "train", valSize: 2, withImages: true, imageDir });
    const first = await gen.next();
    expect(first.value).toMatchObject({ imageId: "15", imageBytes: new Uint8Array(jpeg15) });
    const e = await errorOf({ [Symbol.asyncIterator]: () => gen });
    expect(e.file).toBe(path.join(imageDir, "17.jpg"));
    expect(e.record).toBe("row 7, image_id 17");
    expect(e.detail).toMatch(/17\.jpg is missing/);
    // An image file that does not decode.
    writeFileSync(path.join(imageDir, "17.jpg"), "not a jpeg");
    const bad = await errorOf(readVg150H5({ ...files, split: "train", valSize: 2, withImages: true, imageDir }));
    expect(bad.file).toBe(path.join(imageDir, "17.jpg"));
    expect(bad.detail).toMatch(/does not decode/);
  });

  it("rejects a truncated or foreign HDF5 file, naming it", async () => {
    const whole = readFileSync(files.h5File);
    for (const [name, bytes, detail] of [
      ["truncated.h5", whole.subarray(0, Math.floor(whole.length * 0.6)), /truncated HDF5 file/],
      ["tiny.h5", whole.subarray(0, 100), /truncated HDF5 file/],
      ["text.h5", Buffer.from("this is not HDF5\n"), /not an HDF5 file/],
    ] as const) {
      const h5File = path.join(tmp.dir, name);
      writeFileSync(h5File, bytes);
      const e = await errorOf(readVg150H5({ ...files, h5File, split: "test", withImages: false }));
      expect(e.file).toBe(h5File);
      expect(e.message).toContain(h5File);
      expect(e.detail).toMatch(detail);
    }
  });

  it("rejects an image_data.json that does not align with the h5 rows", async () => {
    const imageDataFile = path.join(tmp.dir, "image_data.json");
    const entries = JSON.parse(readFileSync(files.imageDataFile, "utf8")) as unknown[];
    writeFileSync(imageDataFile, JSON.stringify(entries.slice(1)));
    const e = await errorOf(readVg150H5({ ...files, imageDataFile, split: "test", withImages: false }));
    expect(e.file).toBe(imageDataFile);
    expect(e.detail).toMatch(/7 images after skipping the corrupted ones, but the h5 file has 8/);
  });

  it("rejects a label the dictionary lacks or a class outside VG150, naming the record", async () => {
    const dict = JSON.parse(readFileSync(files.dictFile, "utf8")) as { idx_to_label: Record<string, string> };
    const missing = path.join(tmp.dir, "dict-missing.json");
    const rest = { ...dict.idx_to_label };
    delete rest["78"];
    writeFileSync(missing, JSON.stringify({ ...dict, idx_to_label: rest }));
    const e = await errorOf(readVg150H5({ ...files, dictFile: missing, split: "val", withImages: false }));
    expect(e.file).toBe(files.h5File);
    expect(e.record).toBe("row 0, image_id 10");
    expect(e.detail).toMatch(/label 78, which is not in the dictionary/);

    const foreign = path.join(tmp.dir, "dict-foreign.json");
    writeFileSync(foreign, JSON.stringify({ ...dict, idx_to_label: { ...dict.idx_to_label, 78: "unicorn" } }));
    const u = await errorOf(readVg150H5({ ...files, dictFile: foreign, split: "val", withImages: false }));
    expect(u.file).toBe(files.h5File);
    expect(u.record).toBe("row 0, image_id 10");
    expect(u.detail).toMatch(/"unicorn" is not a vg class/);
  });

  it("describes the source", () => {
    expect(vg150H5Info()).toMatchObject({ datasetType: "vg", format: "vg150-h5" });
    expect(vg150H5Info().attribution).toMatch(/Visual Genome.*CC BY 4\.0.*Scene-Graph-Benchmark/);
  });

  it("works on a copy of the fixture elsewhere (paths are host paths)", async () => {
    const h5File = path.join(tmp.dir, "copy with spaces.h5");
    copyFileSync(files.h5File, h5File);
    expect(ids(await collect(readVg150H5({ ...files, h5File, split: "test", withImages: false })))).toEqual(["14"]);
  });
});
