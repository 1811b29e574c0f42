import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, tempDir } from "../ingest/readers/test-helpers";
import { readVg150H5 } from "../ingest/readers/vg150-h5";
import type { SourceRecord } from "../ingest/source-record";
import { ExportError } from "./export-error";
import { VG150_FILES, writeVg150Files } from "./write-vg150-files";

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir("sgg-vg150-writer");
});
afterAll(() => tmp?.cleanup());

const rec = (imageId: string, over: Partial<SourceRecord> = {}): SourceRecord => ({
  imageId,
  split: "test",
  width: 800,
  height: 600,
  objects: [
    { id: "man.1", bbox: [117.1875, 210.9375, 195.3125, 257.8125] },
    { id: "shirt.2", bbox: [148.4375, 199.21875, 179.6875, 238.28125] },
  ],
  relationships: [{ subject: "man.1", predicate: "wearing", object: "shirt.2" }],
  origin: `test#${imageId}`,
  ...over,
});
async function* from(rs: SourceRecord[]) {
  yield* rs;
}
const files = (dir: string) => ({ h5File: path.join(dir, VG150_FILES.h5), dictFile: path.join(dir, VG150_FILES.dict), imageDataFile: path.join(dir, VG150_FILES.imageData) });

describe("writeVg150Files", () => {
  it("writes a test split whose boxes, empty images and id order the reader gives back", async () => {
    const dir = path.join(tmp.dir, "test-split");
    const input = [rec("10"), rec("11", { objects: [], relationships: [] }), rec("13", { width: 512, height: 1024, objects: [{ id: "man.1", bbox: [199, 325, 301, 475] }], relationships: [] })];
    const r = await writeVg150Files(from(input), { dir, split: "test" });
    expect(r.warnings).toEqual([expect.stringContaining("2 image(s) have no boxes or no relations")]);
    const kept = await collect(readVg150H5({ ...files(dir), split: "test", withImages: false, keepEmpty: true }));
    expect(kept.map((k) => [k.imageId, k.width, k.height, k.objects, k.relationships])).toEqual(input.map((k) => [k.imageId, k.width, k.height, k.objects, k.relationships]));
    // The loader's default drops images without boxes or relations.
    expect((await collect(readVg150H5({ ...files(dir), split: "test", withImages: false }))).map((k) => k.imageId)).toEqual(["10"]);
  });

  it("adds labels and predicates outside VG150 after the vocabulary and says so", async () => {
    const dir = path.join(tmp.dir, "extra");
    const r = await writeVg150Files(from([rec("1", { objects: [{ id: "spaceship.1", bbox: [1, 1, 5, 5] }, { id: "man.2", bbox: [2, 2, 6, 6] }], relationships: [{ subject: "man.2", predicate: "piloting", object: "spaceship.1" }] })]), { dir, split: "val" });
    const dict = JSON.parse(await readFile(path.join(dir, VG150_FILES.dict), "utf8")) as Record<string, Record<string, unknown>>;
    expect(dict.idx_to_label!["151"]).toBe("spaceship");
    expect(dict.idx_to_label!["1"]).toBe("airplane");
    expect(dict.predicate_to_idx!.piloting).toBe(51);
    expect(r.warnings.join(" ")).toMatch(/spaceship.*piloting/s);
  });

  it("refuses a box without area, an id the loaders skip and an id that is not a number", async () => {
    const flat = rec("5", { objects: [{ id: "man.1", bbox: [10, 10, 10, 20] }], relationships: [] });
    await expect(writeVg150Files(from([flat]), { dir: path.join(tmp.dir, "flat"), split: "test" })).rejects.toThrow(/has no area/);
    await expect(writeVg150Files(from([rec("1592")]), { dir: path.join(tmp.dir, "corrupt"), split: "test" })).rejects.toThrow(ExportError);
    await expect(writeVg150Files(from([rec("a/b")]), { dir: path.join(tmp.dir, "named"), split: "test" })).rejects.toThrow(/positive integers/);
  });

  it("renumbers around the ids the loaders skip and maps the new ids back", async () => {
    const dir = path.join(tmp.dir, "renumber");
    const many = Array.from({ length: 1593 }, (_, i) => rec(`photo-${i}`));
    await writeVg150Files(from(many), { dir, split: "test", renumberImages: true });
    const map = JSON.parse(await readFile(path.join(dir, VG150_FILES.idMap), "utf8")) as Record<string, string>;
    expect(map["1591"]).toBe("photo-1590");
    expect(map["1592"]).toBeUndefined();
    expect(map["1593"]).toBe("photo-1591");
    expect((await collect(readVg150H5({ ...files(dir), split: "test", withImages: false }))).length).toBe(1593);
  });
});
