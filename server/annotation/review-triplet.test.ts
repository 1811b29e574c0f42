import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createActor, seedAnnotationSplit } from "./annotation-fixtures";
import { getImageGraph } from "./get-image-graph";
import { GraphConflictError, GraphValidationError } from "./graph-errors";
import { listImageReviews } from "./list-image-reviews";
import { listRevisions } from "./list-revisions";
import { reviewSummary } from "./review-summary";
import { reviewTriplet } from "./review-triplet";

let db: TestDatabase;
let ann: Actor;
let setId: number;
let splitId: number;
let imageA: number;
let imageB: number;
beforeAll(async () => {
  db = await createTestDatabase();
  ann = await createActor(db, "ann");
  const seeded = await seedAnnotationSplit(db, "reviews");
  splitId = seeded.splitId;
  [imageA, imageB] = seeded.imageIds as [number, number];
  setId = (await db.prisma.predictionSet.create({ data: { name: "model", splitId, origin: "import" } })).id;
});
afterAll(async () => {
  await db?.drop();
});

describe("reviewing triplets", () => {
  it("accepts a predicted triplet, adding the predicted objects it needs and renumbering a colliding id", async () => {
    // Image a holds person.1 and street.1; the model's person.1 is another person, its bag.1 is new.
    const r = await reviewTriplet(db.prisma, {
      imageId: imageA,
      baseRevision: 0,
      kind: "accepted",
      triplet: { subject: "person.1", predicate: "holding", object: "bag.1" },
      predictionSetId: setId,
      objects: [
        { id: "person.1", bbox: [300, 50, 400, 470] },
        { id: "bag.1", bbox: [380, 200, 700, 260] },
      ],
      actor: ann,
    });
    expect(r).toMatchObject({ revision: 2, triplet: { subject: "person.2", predicate: "holding", object: "bag.1" }, renamed: { "person.1": "person.2" } });
    const g = (await getImageGraph(db.prisma, imageA))!.graph;
    expect(g.objects).toEqual([
      { id: "person.1", bbox: [10, 20, 110, 300] },
      { id: "street.1", bbox: [0, 250, 641, 480] },
      { id: "person.2", bbox: [300, 50, 400, 470] },
      // Clipped to the 640-pixel-wide image.
      { id: "bag.1", bbox: [380, 200, 640, 260] },
    ]);
    expect(g.relationships).toEqual([
      { subject: "person.1", predicate: "on", object: "street.1" },
      { subject: "person.2", predicate: "holding", object: "bag.1" },
    ]);
    expect((await listRevisions(db.prisma, imageA))[0]).toMatchObject({ number: 2, kind: "review", authorName: "ann" });
    expect(await listImageReviews(db.prisma, imageA)).toEqual([
      expect.objectContaining({ revisionNumber: 2, kind: "accepted", subject: "person.2", predicate: "holding", object: "bag.1", predictionSetId: setId, authorName: "ann" }),
    ]);
  });

  it("accepts a triplet between two objects ground truth already has", async () => {
    const r = await reviewTriplet(db.prisma, { imageId: imageA, baseRevision: 2, kind: "accepted", triplet: { subject: "person.1", predicate: "near", object: "person.2" }, actor: ann });
    expect(r.revision).toBe(3);
    expect((await getImageGraph(db.prisma, imageA))!.graph.objects).toHaveLength(4);
    const again = reviewTriplet(db.prisma, { imageId: imageA, baseRevision: 3, kind: "accepted", triplet: { subject: "person.1", predicate: "near", object: "person.2" }, actor: ann });
    await expect(again).rejects.toBeInstanceOf(GraphValidationError);
    const unknown = await reviewTriplet(db.prisma, { imageId: imageA, baseRevision: 3, kind: "accepted", triplet: { subject: "cat.4", predicate: "near", object: "person.2" }, actor: ann }).catch((e: unknown) => e);
    expect((unknown as GraphValidationError).issues.map((i) => i.field)).toEqual(["triplet.subject"]);
  });

  it("flags a ground-truth triplet as wrong, removing it and keeping its objects", async () => {
    const r = await reviewTriplet(db.prisma, { imageId: imageA, baseRevision: 3, kind: "flagged", triplet: { subject: "person.1", predicate: "on", object: "street.1" }, predictionSetId: setId, actor: ann });
    expect(r.revision).toBe(4);
    const g = (await getImageGraph(db.prisma, imageA))!.graph;
    expect(g.relationships).not.toContainEqual({ subject: "person.1", predicate: "on", object: "street.1" });
    expect(g.objects.map((o) => o.id)).toContain("street.1");
    const twice = reviewTriplet(db.prisma, { imageId: imageA, baseRevision: 4, kind: "flagged", triplet: { subject: "person.1", predicate: "on", object: "street.1" }, actor: ann });
    await expect(twice).rejects.toBeInstanceOf(GraphValidationError);
    const stale = reviewTriplet(db.prisma, { imageId: imageA, baseRevision: 3, kind: "flagged", triplet: { subject: "person.1", predicate: "near", object: "person.2" }, actor: ann });
    await expect(stale).rejects.toBeInstanceOf(GraphConflictError);
  });

  it("counts accepted and flagged triplets per split and per prediction set", async () => {
    await reviewTriplet(db.prisma, { imageId: imageB, baseRevision: 0, kind: "accepted", triplet: { subject: "dog.1", predicate: "on", object: "bed.1" }, objects: [{ id: "bed.1", bbox: [0, 40, 200, 200] }], actor: ann });
    expect(await reviewSummary(db.prisma, splitId)).toEqual({ accepted: 3, flagged: 1 });
    expect(await reviewSummary(db.prisma, splitId, setId)).toEqual({ accepted: 1, flagged: 1 });
    expect(await reviewSummary(db.prisma, splitId + 1000)).toEqual({ accepted: 0, flagged: 0 });
    expect(await db.prisma.tripletReview.count()).toBe(4);
  });
});
