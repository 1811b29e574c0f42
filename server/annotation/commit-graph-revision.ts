import type { Actor } from "../auth/actor";
import type { Prisma, PrismaClient } from "../db/generated/client";
import { NotFoundError } from "../queries/find-split";
import { cat } from "../scene-graph/text";
import { getVocabulary } from "../scene-graph/vocab";
import { authorOf } from "./author-of";
import { currentRevision, graphFromRows, graphRowsSelect } from "./current-graph";
import { GraphConflictError, GraphValidationError, type GraphIssue } from "./graph-errors";
import { imageGraphSchema, type ImageGraph } from "./image-graph-schema";
import { keptBoxKey, validateImageGraph } from "./validate-image-graph";

export interface CommitRevisionInput {
  readonly imageId: number;
  /** The revision the change was made on; anything else is a conflict. */
  readonly baseRevision: number;
  readonly kind: "edit" | "revert" | "review";
  readonly message?: string | null;
  readonly actor: Actor;
  /** The new graph from the current one (which is the base revision's graph once the base is checked). */
  readonly build: (current: ImageGraph, image: { width: number; height: number }, tx: Prisma.TransactionClient) => ImageGraph | Promise<ImageGraph>;
  /** More rows to write in the same transaction, once the revision exists. */
  readonly after?: (tx: Prisma.TransactionClient, revision: number, graph: ImageGraph) => Promise<void>;
  /** Boxes of an earlier revision that may come back as they were (a revert), like the current ones. */
  readonly earlierObjects?: ImageGraph["objects"];
}

export interface CommitRevisionResult {
  /** The new revision's number. */
  readonly revision: number;
  /** The split's gtVersion this revision created. */
  readonly splitVersion: number;
  readonly warnings: GraphIssue[];
}

class StaleBase extends Error {}

/**
 * Writes a new revision of an image's graph in one transaction: the revision row (and, on an image's
 * first save, revision 1 holding the graph as ingested), the split's next gtVersion, the GtObject and
 * GtRelation rows and the counts. Boxes are BoxPx (original-image pixels). Throws GraphConflictError
 * when `baseRevision` is not the current revision, GraphValidationError when the graph breaks a rule.
 */
export async function commitGraphRevision(prisma: PrismaClient, c: CommitRevisionInput): Promise<CommitRevisionResult> {
  const exists = await prisma.image.findUnique({ where: { id: c.imageId }, select: { id: true } });
  if (!exists) throw new NotFoundError(`no image with id ${c.imageId}`);
  try {
    return await prisma.$transaction(
      async (tx) => {
        const next = c.baseRevision === 0 ? 2 : c.baseRevision + 1;
        // The conditional update takes the image's row lock: a second save from the same base waits
        // here until the first commits, then matches no row and is refused; no update is ever lost.
        const claimed = await tx.image.updateMany({ where: { id: c.imageId, gtRevision: c.baseRevision }, data: { gtRevision: next } });
        if (claimed.count === 0) throw new StaleBase();
        const image = await tx.image.findUniqueOrThrow({
          where: { id: c.imageId },
          select: {
            splitId: true,
            width: true,
            height: true,
            objectCount: true,
            relationCount: true,
            split: { select: { createdAt: true, dataset: { select: { datasetType: true } } } },
            ...graphRowsSelect,
          },
        });
        const current = graphFromRows(image);
        const built = imageGraphSchema.safeParse(await c.build(current, { width: image.width, height: image.height }, tx));
        if (!built.success) throw new GraphValidationError(built.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })));
        const graph = built.data;
        const datasetType = image.split.dataset.datasetType;
        const check = validateImageGraph(graph, {
          width: image.width,
          height: image.height,
          datasetType,
          keptBoxes: new Set([...(c.earlierObjects ?? []), ...current.objects].map(keptBoxKey)),
        });
        if (check.issues.length > 0) throw new GraphValidationError(check.issues);

        const dObjects = graph.objects.length - image.objectCount;
        const dRelations = graph.relationships.length - image.relationCount;
        const [split] = await tx.$queryRaw<{ gtVersion: number }[]>`
          UPDATE "Split" SET "gtVersion" = "gtVersion" + 1, "objectCount" = "objectCount" + ${dObjects}, "relationCount" = "relationCount" + ${dRelations}
          WHERE id = ${image.splitId} RETURNING "gtVersion"`;
        const splitVersion = split!.gtVersion;
        if (c.baseRevision === 0) {
          await tx.gtRevision.create({
            data: {
              imageId: c.imageId,
              number: 1,
              splitVersion: splitVersion - 1,
              authorName: "dataset",
              kind: "import",
              objects: current.objects as Prisma.InputJsonValue,
              relationships: current.relationships as Prisma.InputJsonValue,
              createdAt: image.split.createdAt,
            },
          });
        }
        await tx.gtRevision.create({
          data: {
            imageId: c.imageId,
            number: next,
            splitVersion,
            ...authorOf(c.actor),
            kind: c.kind,
            message: c.message ?? null,
            objects: graph.objects as Prisma.InputJsonValue,
            relationships: graph.relationships as Prisma.InputJsonValue,
          },
        });
        await replaceRows(tx, c.imageId, image.splitId, graph, datasetType);
        await c.after?.(tx, next, graph);
        return { revision: next, splitVersion, warnings: check.warnings };
      },
      { timeout: 30_000, maxWait: 15_000 },
    );
  } catch (e) {
    if (e instanceof StaleBase) throw new GraphConflictError(c.baseRevision, await currentRevision(prisma, c.imageId));
    throw e;
  }
}

async function replaceRows(tx: Prisma.TransactionClient, imageId: number, splitId: number, graph: ImageGraph, datasetType: "vg" | "psg"): Promise<void> {
  const v = getVocabulary(datasetType);
  await tx.gtRelation.deleteMany({ where: { imageId } });
  await tx.gtObject.deleteMany({ where: { imageId } });
  const idx = new Map(graph.objects.map((o, i) => [o.id, i]));
  await tx.gtObject.createMany({
    data: graph.objects.map((o, i) => ({
      imageId,
      splitId,
      idx: i,
      label: o.id,
      // -1: a class outside the vocabulary, saved with a warning.
      classId: v.gtClassId.get(cat(o.id)) ?? -1,
      x1: o.bbox[0],
      y1: o.bbox[1],
      x2: o.bbox[2],
      y2: o.bbox[3],
    })),
  });
  await tx.gtRelation.createMany({
    data: graph.relationships.map((r, i) => ({
      imageId,
      splitId,
      idx: i,
      subjectIdx: idx.get(r.subject)!,
      objectIdx: idx.get(r.object)!,
      predicate: r.predicate,
      predicateId: v.predicateId.get(r.predicate)!,
    })),
  });
  await tx.image.update({ where: { id: imageId }, data: { objectCount: graph.objects.length, relationCount: graph.relationships.length } });
}
