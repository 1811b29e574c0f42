import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createActor, seedAnnotationSplit } from "./annotation-fixtures";
import { commitGraphRevision } from "./commit-graph-revision";
import { getImageGraph } from "./get-image-graph";
import { getRevision } from "./get-revision";
import { GraphConflictError, GraphValidationError } from "./graph-errors";
import { listRevisions } from "./list-revisions";
import { revertImageGraph } from "./revert-image-graph";
import { saveImageGraph } from "./save-image-graph";

let db: TestDatabase;
let ann: Actor;
let bob: Actor;
beforeAll(async () => {
  db = await createTestDatabase();
  ann = await createActor(db, "ann");
  bob = await createActor(db, "bob");
});
afterAll(async () => {
  await db?.drop();
});

const edited = {
  objects: [
    { id: "person.1", bbox: [12, 20, 110, 300] as [number, number, number, number] },
    { id: "street.1", bbox: [0, 250, 641, 480] as [number, number, number, number] },
    { id: "dog.1", bbox: [200, 300, 260, 380] as [number, number, number, number] },
  ],
  relationships: [
    { subject: "person.1", predicate: "on", object: "street.1" },
    { subject: "dog.1", predicate: "near", object: "person.1" },
  ],
};

async function fieldsOf(p: Promise<unknown>): Promise<string[]> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(GraphValidationError);
  return (e as GraphValidationError).issues.map((i) => i.field);
}

describe("saving an image's graph", () => {
  it("keeps the ingested graph as revision 1 and the first edit as revision 2, rows and counts updated", async () => {
    const { splitId, imageIds } = await seedAnnotationSplit(db, "first-save");
    const id = imageIds[0]!;
    const before = await getImageGraph(db.prisma, id);
    expect(before).toMatchObject({ revision: 0, splitVersion: 0, authorName: "dataset", warnings: [] });
    expect(before!.vocabulary.predicates).toContain("on");

    const r = await saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph: edited, message: "add the dog", actor: ann });
    expect(r).toEqual({ revision: 2, splitVersion: 1, warnings: [] });

    const revs = await listRevisions(db.prisma, id);
    expect(revs.map((x) => [x.number, x.kind, x.authorName, x.splitVersion, x.objectCount, x.relationCount])).toEqual([
      [2, "edit", "ann", 1, 3, 2],
      [1, "import", "dataset", 0, 2, 1],
    ]);
    expect((await getRevision(db.prisma, id, 1))!.objects[0]!.bbox).toEqual([10, 20, 110, 300]);
    expect(await getRevision(db.prisma, id, 0)).toMatchObject({ number: 0, kind: "import", objects: [{ id: "person.1" }, { id: "street.1" }] });
    expect(await getRevision(db.prisma, id, 7)).toBeNull();

    const after = await getImageGraph(db.prisma, id);
    expect(after).toMatchObject({ revision: 2, splitVersion: 1, authorName: "ann", graph: edited });
    const image = await db.prisma.image.findUniqueOrThrow({ where: { id }, select: { objectCount: true, relationCount: true, gtRevision: true } });
    expect(image).toEqual({ objectCount: 3, relationCount: 2, gtRevision: 2 });
    const rels = await db.prisma.gtRelation.findMany({ where: { imageId: id }, orderBy: { idx: "asc" } });
    expect(rels.map((x) => [x.subjectIdx, x.predicate, x.objectIdx, x.predicateId > 0])).toEqual([[0, "on", 1, true], [2, "near", 0, true]]);
    const split = await db.prisma.split.findUniqueOrThrow({ where: { id: splitId } });
    expect(split).toMatchObject({ gtVersion: 1, objectCount: 4, relationCount: 2 });

    const third = await saveImageGraph(db.prisma, { imageId: id, baseRevision: 2, graph: { objects: edited.objects.slice(0, 2), relationships: [] }, actor: bob });
    expect(third).toMatchObject({ revision: 3, splitVersion: 2 });
  });

  it("names every field that breaks a rule, and saves nothing", async () => {
    const { imageIds } = await seedAnnotationSplit(db, "rules");
    const id = imageIds[0]!;
    const bad = {
      objects: [
        { id: "person.1", bbox: [10, 20, 110, 300] as [number, number, number, number] },
        { id: "person.1", bbox: [0, 0, 10, 10] as [number, number, number, number] },
        { id: "person", bbox: [0, 0, 10, 10] as [number, number, number, number] },
        { id: "dog.1", bbox: [50, 0, 40, 10] as [number, number, number, number] },
        { id: "dog.2", bbox: [600, 400, 700, 480] as [number, number, number, number] },
      ],
      relationships: [
        { subject: "cat.1", predicate: "on", object: "person.1" },
        { subject: "person.1", predicate: "levitating over", object: "dog.1" },
      ],
    };
    expect(await fieldsOf(saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph: bad, actor: ann }))).toEqual([
      "objects.1.id",
      "objects.2.id",
      "objects.3.bbox",
      "objects.4.bbox",
      "relationships.0.subject",
      "relationships.1.predicate",
    ]);
    // A box off the image is refused even where the dataset's own box (street.1) passes untouched.
    const moved = { objects: [{ id: "street.1", bbox: [0, 250, 642, 480] as [number, number, number, number] }], relationships: [] };
    expect(await fieldsOf(saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph: moved, actor: ann }))).toEqual(["objects.0.bbox"]);
    expect(await db.prisma.gtRevision.count({ where: { imageId: id } })).toBe(0);
    expect((await getImageGraph(db.prisma, id))!.revision).toBe(0);
  });

  it("saves a label outside the vocabulary with a warning and no class id", async () => {
    const { imageIds } = await seedAnnotationSplit(db, "unknown-label");
    const id = imageIds[1]!;
    const graph = { objects: [{ id: "dog.1", bbox: [5, 5, 50, 50] as [number, number, number, number] }, { id: "frisbee.1", bbox: [60, 60, 90, 90] as [number, number, number, number] }], relationships: [{ subject: "dog.1", predicate: "near", object: "frisbee.1" }] };
    const r = await saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph, actor: ann });
    expect(r.warnings).toEqual([{ field: "objects.1.id", message: expect.stringContaining("frisbee") }]);
    const rows = await db.prisma.gtObject.findMany({ where: { imageId: id }, orderBy: { idx: "asc" } });
    expect(rows.map((o) => [o.label, o.classId === -1])).toEqual([["dog.1", false], ["frisbee.1", true]]);
    expect((await getImageGraph(db.prisma, id))!.warnings.map((w) => w.field)).toEqual(["objects.1.id"]);
  });
});

describe("conflicts", () => {
  it("refuses a save from a stale revision and says who saved what", async () => {
    const { imageIds } = await seedAnnotationSplit(db, "stale");
    const id = imageIds[0]!;
    await saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph: edited, actor: ann });
    const e = await saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph: { objects: [], relationships: [] }, actor: bob }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GraphConflictError);
    expect((e as GraphConflictError).current).toMatchObject({ revision: 2, authorName: "ann", objects: edited.objects, relationships: edited.relationships });
    expect((e as GraphConflictError).current.createdAt).toBeInstanceOf(Date);
    expect((await getImageGraph(db.prisma, id))!.graph).toEqual(edited);
  });

  it("lets exactly one of several concurrent saves from the same revision through", async () => {
    const { splitId, imageIds } = await seedAnnotationSplit(db, "race");
    const id = imageIds[0]!;
    const graphs = [0, 1, 2, 3, 4].map((k) => ({ objects: [{ id: "person.1", bbox: [k, 0, 100, 100] as [number, number, number, number] }], relationships: [] }));
    const results = await Promise.allSettled(graphs.map((graph, k) => saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph, actor: k % 2 ? ann : bob })));
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.reason).toBeInstanceOf(GraphConflictError);
    expect(await db.prisma.gtRevision.count({ where: { imageId: id } })).toBe(2);
    expect((await db.prisma.split.findUniqueOrThrow({ where: { id: splitId } })).gtVersion).toBe(1);
    const winner = graphs[results.findIndex((r) => r.status === "fulfilled")]!;
    expect((await getImageGraph(db.prisma, id))!.graph).toEqual(winner);
  });

  it("makes a save that arrives while another holds the image wait for it, then refuses it", async () => {
    const { imageIds } = await seedAnnotationSplit(db, "overlap");
    const id = imageIds[1]!;
    let claimed!: () => void;
    const firstHoldsLock = new Promise<void>((resolve) => (claimed = resolve));
    const first = commitGraphRevision(db.prisma, {
      imageId: id,
      baseRevision: 0,
      kind: "edit",
      actor: ann,
      build: async (current) => {
        claimed();
        // Stay inside the transaction, holding the row lock, while the second save starts.
        await new Promise((r) => setTimeout(r, 400));
        return { objects: [...current.objects, { id: "dog.2", bbox: [60, 60, 80, 80] }], relationships: [] };
      },
    });
    await firstHoldsLock;
    const second = saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph: { objects: [], relationships: [] }, actor: bob });
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a).toMatchObject({ status: "fulfilled", value: { revision: 2 } });
    expect(b.status).toBe("rejected");
    expect((b as PromiseRejectedResult).reason).toBeInstanceOf(GraphConflictError);
    expect(((b as PromiseRejectedResult).reason as GraphConflictError).current).toMatchObject({ revision: 2, authorName: "ann" });
  });
});

describe("reverting", () => {
  it("saves an old revision's graph as a new revision, the dataset's own boxes included", async () => {
    const { imageIds } = await seedAnnotationSplit(db, "revert");
    const id = imageIds[0]!;
    const ingested = (await getImageGraph(db.prisma, id))!.graph;
    const moved = { objects: [{ id: "person.1", bbox: [10, 20, 100, 300] as [number, number, number, number] }], relationships: [] };
    await saveImageGraph(db.prisma, { imageId: id, baseRevision: 0, graph: moved, actor: ann });
    const r = await revertImageGraph(db.prisma, { imageId: id, baseRevision: 2, toRevision: 1, actor: bob });
    expect(r.revision).toBe(3);
    expect((await getImageGraph(db.prisma, id))!.graph).toEqual(ingested);
    expect((await listRevisions(db.prisma, id))[0]).toMatchObject({ number: 3, kind: "revert", authorName: "bob", message: "revert to revision 1" });
    await expect(revertImageGraph(db.prisma, { imageId: id, baseRevision: 2, toRevision: 1, actor: bob })).rejects.toBeInstanceOf(GraphConflictError);
    await expect(revertImageGraph(db.prisma, { imageId: id, baseRevision: 3, toRevision: 9, actor: bob })).rejects.toThrow(/no revision 9/);
  });
});
