import type { Prisma, PrismaClient } from "../db/generated/client";
import { NotFoundError } from "../queries/find-split";
import type { CurrentRevision } from "./graph-errors";
import { imageGraphSchema, type ImageGraph } from "./image-graph-schema";

type Db = PrismaClient | Prisma.TransactionClient;

/** The GtObject and GtRelation rows of an image, in graph order. */
export const graphRowsSelect = {
  objects: { select: { idx: true, label: true, x1: true, y1: true, x2: true, y2: true }, orderBy: { idx: "asc" as const } },
  relations: { select: { subjectIdx: true, objectIdx: true, predicate: true }, orderBy: { idx: "asc" as const } },
};

interface GraphRows {
  objects: { label: string; x1: number; y1: number; x2: number; y2: number }[];
  relations: { subjectIdx: number; objectIdx: number; predicate: string }[];
}

/** The graph the rows hold; relation ends are the ids of the objects they point at. */
export function graphFromRows(rows: GraphRows): ImageGraph {
  const objects = rows.objects.map((o) => ({ id: o.label, bbox: [o.x1, o.y1, o.x2, o.y2] as [number, number, number, number] }));
  return {
    objects,
    relationships: rows.relations.map((r) => ({ subject: objects[r.subjectIdx]!.id, predicate: r.predicate, object: objects[r.objectIdx]!.id })),
  };
}

/** A graph stored in a revision's JSON columns, checked on the way out. */
export function graphFromJson(objects: Prisma.JsonValue, relationships: Prisma.JsonValue): ImageGraph {
  return imageGraphSchema.parse({ objects, relationships });
}

/** What the image holds now, with who saved it: the conflict view's "theirs". */
export async function currentRevision(db: Db, imageId: number): Promise<CurrentRevision> {
  const image = await db.image.findUnique({
    where: { id: imageId },
    select: { gtRevision: true, split: { select: { createdAt: true } }, ...graphRowsSelect },
  });
  if (!image) throw new NotFoundError(`no image with id ${imageId}`);
  if (image.gtRevision === 0) return { revision: 0, authorName: "dataset", createdAt: image.split.createdAt, ...graphFromRows(image) };
  const rev = await db.gtRevision.findUniqueOrThrow({ where: { imageId_number: { imageId, number: image.gtRevision } } });
  return { revision: rev.number, authorName: rev.authorName, createdAt: rev.createdAt, ...graphFromJson(rev.objects, rev.relationships) };
}
