import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createActor, seedAnnotationSplit } from "./annotation-fixtures";
import { graphsAtVersion, type GraphAtVersion } from "./graphs-at-version";
import { loadSplitGtAtVersion } from "./load-split-gt-at-version";
import { saveImageGraph } from "./save-image-graph";

let db: TestDatabase;
let ann: Actor;
beforeAll(async () => {
  db = await createTestDatabase();
  ann = await createActor(db, "ann");
});
afterAll(async () => {
  await db?.drop();
});

async function all(splitId: number, version: number, pageSize?: number): Promise<GraphAtVersion[]> {
  const out: GraphAtVersion[] = [];
  for await (const g of graphsAtVersion(db.prisma, splitId, version, pageSize)) out.push(g);
  return out;
}

const box = (x: number): [number, number, number, number] => [x, 10, x + 20, 40];

describe("graphsAtVersion", () => {
  it("gives each image's graph as it stood at an older version after later edits", async () => {
    const { splitId, imageIds } = await seedAnnotationSplit(db, "versions");
    const [a, b] = imageIds as [number, number];
    const ingested = await all(splitId, 0);
    expect(ingested.map((g) => [g.imageId, g.revision, g.objects.length])).toEqual([["a", 0, 2], ["b", 0, 1]]);

    const v1 = { objects: [{ id: "person.1", bbox: box(1) }], relationships: [] };
    const v2 = { objects: [{ id: "dog.1", bbox: box(2) }], relationships: [] };
    const v3 = { objects: [{ id: "dog.1", bbox: box(3) }, { id: "cat.1", bbox: box(30) }], relationships: [{ subject: "cat.1", predicate: "near", object: "dog.1" }] };
    expect((await saveImageGraph(db.prisma, { imageId: a, baseRevision: 0, graph: v1, actor: ann })).splitVersion).toBe(1);
    expect((await saveImageGraph(db.prisma, { imageId: b, baseRevision: 0, graph: v2, actor: ann })).splitVersion).toBe(2);
    expect((await saveImageGraph(db.prisma, { imageId: b, baseRevision: 2, graph: v3, actor: ann })).splitVersion).toBe(3);

    // Page size 1: the revision lookup runs per page.
    const at = async (v: number) => (await all(splitId, v, 1)).map((g) => ({ id: g.imageId, rev: g.revision, objects: g.objects, relationships: g.relationships }));
    // Revision 1 of an edited image is its graph as ingested.
    expect(await at(0)).toEqual(ingested.map((g) => ({ id: g.imageId, rev: 1, objects: g.objects, relationships: g.relationships })));
    expect(await at(1)).toEqual([
      { id: "a", rev: 2, ...v1 },
      { id: "b", rev: 1, objects: ingested[1]!.objects, relationships: [] },
    ]);
    expect(await at(2)).toEqual([{ id: "a", rev: 2, ...v1 }, { id: "b", rev: 2, ...v2 }]);
    expect(await at(3)).toEqual([{ id: "a", rev: 2, ...v1 }, { id: "b", rev: 3, ...v3 }]);

    const gt = await loadSplitGtAtVersion(db.prisma, splitId, 2);
    expect(gt.rowIds).toEqual([a, b]);
    expect(gt.records[1]).toEqual({ image_id: "b", width: 640, height: 480, ...v2 });
    await expect(all(splitId, 4)).rejects.toThrow(/no GT version 4/);
  });
});
