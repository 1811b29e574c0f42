import type { PrismaClient } from "../db/generated/client";
import type { DatasetType } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import { graphFromRows, graphRowsSelect } from "./current-graph";
import type { GraphIssue } from "./graph-errors";
import type { ImageGraph } from "./image-graph-schema";
import { validateImageGraph } from "./validate-image-graph";

export interface ImageGraphView {
  readonly imageId: number;
  readonly imageKey: string;
  readonly splitId: number;
  /** Original size in pixels: the space of every box. */
  readonly width: number;
  readonly height: number;
  readonly datasetType: DatasetType;
  /** The current revision's number; 0: as ingested, never edited. Send it back as `baseRevision`. */
  readonly revision: number;
  /** The split's current gtVersion. */
  readonly splitVersion: number;
  /** Who saved the current revision ("dataset" for revision 0) and when (the ingest, for revision 0). */
  readonly authorName: string;
  readonly createdAt: Date;
  /** Boxes in original-image pixels (BoxPx). */
  readonly graph: ImageGraph;
  /** Labels outside the dataset's vocabulary, by field (`objects.2.id`). */
  readonly warnings: GraphIssue[];
  /** The dataset's class names (raw, as ids use them) and predicates, for the label and predicate pickers. */
  readonly vocabulary: { readonly classes: readonly string[]; readonly predicates: readonly string[] };
}

/** An image's current ground-truth graph with its revision, for the editor; null for an unknown image. */
export async function getImageGraph(prisma: PrismaClient, imageId: number): Promise<ImageGraphView | null> {
  const image = await prisma.image.findUnique({
    where: { id: imageId },
    select: {
      id: true,
      imageKey: true,
      splitId: true,
      width: true,
      height: true,
      gtRevision: true,
      split: { select: { gtVersion: true, createdAt: true, dataset: { select: { datasetType: true } } } },
      revisions: { select: { authorName: true, createdAt: true }, orderBy: { number: "desc" }, take: 1 },
      ...graphRowsSelect,
    },
  });
  if (!image) return null;
  const datasetType = image.split.dataset.datasetType;
  const graph = graphFromRows(image);
  const { warnings } = validateImageGraph(graph, { width: image.width, height: image.height, datasetType });
  const v = getVocabulary(datasetType);
  const last = image.gtRevision > 0 ? image.revisions[0] : undefined;
  return {
    imageId: image.id,
    imageKey: image.imageKey,
    splitId: image.splitId,
    width: image.width,
    height: image.height,
    datasetType,
    revision: image.gtRevision,
    splitVersion: image.split.gtVersion,
    authorName: last?.authorName ?? "dataset",
    createdAt: last?.createdAt ?? image.split.createdAt,
    graph,
    warnings,
    vocabulary: { classes: v.classIds.map((id) => v.className(id)), predicates: v.predicates },
  };
}
