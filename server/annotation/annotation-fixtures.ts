import type { Actor } from "../auth/actor";
import type { TestDatabase } from "../db/test-database";
import { ingestSplit } from "../ingest/ingest-split";
import type { SourceRecord } from "../ingest/source-record";

/** Two 640×480 images in a fresh VG150 split, ingested the way the readers feed it. */
export async function seedAnnotationSplit(db: TestDatabase, name: string): Promise<{ splitId: number; imageIds: number[] }> {
  async function* records(): AsyncIterable<SourceRecord> {
    yield {
      imageId: "a",
      split: "val",
      width: 640,
      height: 480,
      // A box a pixel past the right edge, as datasets ship them.
      objects: [
        { id: "person.1", bbox: [10, 20, 110, 300] },
        { id: "street.1", bbox: [0, 250, 641, 480] },
      ],
      relationships: [{ subject: "person.1", predicate: "on", object: "street.1" }],
      origin: "fixture#0",
    };
    yield {
      imageId: "b",
      split: "val",
      width: 640,
      height: 480,
      objects: [{ id: "dog.1", bbox: [5, 5, 50, 50] }],
      relationships: [],
      origin: "fixture#1",
    };
  }
  const r = await ingestSplit({ databaseUrl: db.url, dataset: { name, format: "records-jsonl", datasetType: "vg", source: "test" }, split: "val", fingerprint: name, records: records() });
  const images = await db.prisma.image.findMany({ where: { splitId: r.splitId }, orderBy: { id: "asc" }, select: { id: true } });
  return { splitId: r.splitId, imageIds: images.map((i) => i.id) };
}

/** A signed-in user as the routes would pass it. */
export async function createActor(db: TestDatabase, username: string): Promise<Actor> {
  const u = await db.prisma.user.create({ data: { username, passwordHash: "x" } });
  return { kind: "user", userId: u.id, username, role: "researcher" };
}
