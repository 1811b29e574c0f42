import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecordsJsonl, recordsJsonlInfo } from "./records-jsonl";
import { collect, errorOf, makeImage, tempDir } from "./test-helpers";

let tmp: ReturnType<typeof tempDir>;
let jpeg: Uint8Array;
let png: Uint8Array;

beforeAll(async () => {
  tmp = tempDir("records-jsonl");
  mkdirSync(path.join(tmp.dir, "images"));
  jpeg = await makeImage(64, 48, "jpeg");
  png = await makeImage(40, 30, "png");
  writeFileSync(path.join(tmp.dir, "images", "1.jpg"), jpeg);
  writeFileSync(path.join(tmp.dir, "images", "2.png"), png);
  writeFileSync(path.join(tmp.dir, "images", "broken.jpg"), "not an image");
});
afterAll(() => tmp.cleanup());

const man = { id: "man.1", bbox: [1, 2, 30, 40] };
const horse = { id: "horse.2", bbox: [10.5, 5.25, 63, 47] };
const riding = { subject: "man.1", predicate: "riding", object: "horse.2" };

function jsonl(name: string, lines: unknown[]): string {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return file;
}

const good = () => [
  { image_id: "1", width: 64, height: 48, objects: [man, horse], relationships: [riding], image: "images/1.jpg" },
  "",
  // Graph fields as JSON text (the HF encoding), no size: read from the image.
  { image_id: 2, objects: JSON.stringify([{ id: "tree.1", bbox: [0, 0, 40, 30] }]), relationships: "[]", image: "images/2.png" },
  // No image: the size must be given.
  { image_id: "3", width: 100, height: 50, objects: [], relationships: [] },
];

describe("readRecordsJsonl", () => {
  it("reads records with arrays or JSON text, sizes from the line or the image", async () => {
    const file = jsonl("good.jsonl", good());
    const records = await collect(readRecordsJsonl(file, { datasetType: "vg", split: "val", withImages: false }));
    expect(records).toEqual([
      { imageId: "1", split: "val", width: 64, height: 48, objects: [man, horse], relationships: [riding], imageBytes: undefined, origin: `${file}#1` },
      { imageId: "2", split: "val", width: 40, height: 30, objects: [{ id: "tree.1", bbox: [0, 0, 40, 30] }], relationships: [], imageBytes: undefined, origin: `${file}#3` },
      { imageId: "3", split: "val", width: 100, height: 50, objects: [], relationships: [], imageBytes: undefined, origin: `${file}#4` },
    ]);
    expect(recordsJsonlInfo("vg")).toMatchObject({ datasetType: "vg", format: "records-jsonl" });
  });

  it("loads the images next to the file when asked, and needs one on every line", async () => {
    const file = jsonl("images.jsonl", good().slice(0, 3));
    const records = await collect(readRecordsJsonl(file, { datasetType: "vg", split: "val", withImages: true }));
    expect(records.map((r) => r.imageBytes)).toEqual([jpeg, png]);
    const e = await errorOf(readRecordsJsonl(jsonl("no-image.jsonl", good()), { datasetType: "vg", split: "val", withImages: true }));
    expect(e.record).toBe("row 4, image_id 3");
    expect(e.detail).toMatch(/no image/);
  });

  it("skips lines of another split", async () => {
    const file = jsonl("splits.jsonl", [
      { image_id: "1", width: 64, height: 48, objects: [], relationships: [], split: "train" },
      { image_id: "2", width: 64, height: 48, objects: [], relationships: [], split: "val" },
      { image_id: "3", width: 64, height: 48, objects: [], relationships: [] },
    ]);
    const records = await collect(readRecordsJsonl(file, { datasetType: "vg", split: "val", withImages: false }));
    expect(records.map((r) => r.imageId)).toEqual(["2", "3"]);
  });

  const bad = async (name: string, line: unknown, withImages = false) => {
    const file = jsonl(name, [good()[0], line]);
    const e = await errorOf(readRecordsJsonl(file, { datasetType: "vg", split: "val", withImages }));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
    return e;
  };
  const base = { image_id: "7", width: 64, height: 48, objects: [man, horse], relationships: [riding] };

  it("rejects a record with an unknown class or predicate", async () => {
    const cls = await bad("unknown-class.jsonl", { ...base, objects: [{ id: "unicorn.1", bbox: [0, 0, 1, 1] }], relationships: [] });
    expect(cls.record).toBe("row 2, image_id 7");
    expect(cls.detail).toMatch(/"unicorn" is not a vg class/);
    const pred = await bad("unknown-predicate.jsonl", { ...base, relationships: [{ ...riding, predicate: "rides" }] });
    expect(pred.detail).toMatch(/"rides" is not a vg predicate/);
    const id = await bad("bad-id.jsonl", { ...base, objects: [{ id: "man", bbox: [0, 0, 1, 1] }], relationships: [] });
    expect(id.detail).toMatch(/"man" is not <class>\.<n>/);
  });

  it("rejects a relation to a missing object and bad boxes", async () => {
    const dangling = await bad("dangling.jsonl", { ...base, relationships: [{ ...riding, object: "horse.9" }] });
    expect(dangling.record).toBe("row 2, image_id 7");
    expect(dangling.detail).toMatch(/"horse\.9" is not an object id/);
    const nan = await bad("nan-box.jsonl", { ...base, objects: [man, { id: "horse.2", bbox: [0, 0, "1", 1] }] });
    expect(nan.detail).toMatch(/not four finite numbers/);
  });

  it("rejects missing, undecodable, escaping or mis-sized images", async () => {
    const missing = await bad("missing-image.jsonl", { ...base, image: "images/7.jpg" }, true);
    expect(missing.record).toBe("row 2, image_id 7");
    expect(missing.detail).toMatch(/image file "images\/7\.jpg" is missing/);
    const broken = await bad("broken-image.jsonl", { ...base, image: "images/broken.jpg" }, true);
    expect(broken.detail).toMatch(/image does not decode/);
    const escaping = await bad("escaping.jsonl", { ...base, image: "../elsewhere/7.jpg" });
    expect(escaping.detail).toMatch(/outside the file's folder/);
    const size = await bad("mis-sized.jsonl", { ...base, width: 65, image: "images/1.jpg" }, true);
    expect(size.detail).toMatch(/65×48 differ from the image's 64×48/);
    const noSize = await bad("no-size.jsonl", { image_id: "7", objects: [], relationships: [] });
    expect(noSize.detail).toMatch(/no width\/height and no image/);
  });

  it("rejects a line that is not JSON, naming the line", async () => {
    const e = await bad("not-json.jsonl", '{"image_id": "7", ');
    expect(e.record).toBe("row 2");
    expect(e.detail).toMatch(/not JSON/);
  });
});
