import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeSyntheticShard } from "./write-synthetic-shard";

describe("writeSyntheticShard", () => {
  it("writes a trainer records file whose objects, relations and images match the rendered records", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "shard-"));
    try {
      const shard = await writeSyntheticShard(dir, { images: 6, seed: 3, split: "val", width: 96, height: 96, classes: ["person", "tree", "car"], maxObjects: 4, minRelations: 1, ids: "running" });
      const lines = (await readFile(shard.file, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { image_id: string; objects: { id: string }[]; relationships: unknown[]; image: string });
      expect(path.basename(shard.file)).toBe("val.jsonl");
      expect(lines.map((l) => l.image_id)).toEqual(shard.records.map((r) => r.imageId));
      for (const [k, l] of lines.entries()) {
        expect(l.objects).toEqual(shard.records[k]!.objects);
        expect(l.relationships).toEqual(shard.records[k]!.relationships);
        expect(l.objects.length).toBeLessThanOrEqual(4);
        expect(l.relationships.length).toBeGreaterThanOrEqual(1);
        expect((await readFile(path.join(dir, l.image))).subarray(1, 4).toString()).toBe("PNG");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
