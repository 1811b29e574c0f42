import type { PrismaClient } from "../db/generated/client";
import { wordnetLookups } from "../evaluation/wordnet-lookups";
import { diagnoseImage } from "../scene-graph/eval/diagnose-image";
import { gatherPrediction } from "../scene-graph/eval/gather";
import type { BoxPx } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import { NotFoundError } from "./find-split";
import { toGtRecord } from "./load-split-gt";

export interface ComparedEvaluation {
  id: number;
  predictionSetId: number;
  predictionSetName: string;
  splitId: number;
  dataset: string;
  split: string;
  datasetType: string;
  compat: string[];
  evaluatorVersion: string;
  protocol: unknown;
  summary: unknown;
  predicates: { predicateId: number; predicate: string; gtCount: number; ngrHits: number; ngrRecall: number | null }[];
}

/**
 * Two or more evaluations side by side, in the order asked for (the first is the baseline). Throws
 * `NotFoundError` naming the first id that does not exist. Whether they share a split and a protocol is
 * for the caller to judge and say.
 */
export async function compareEvaluations(prisma: PrismaClient, ids: readonly number[]): Promise<ComparedEvaluation[]> {
  const rows = await prisma.evaluation.findMany({
    where: { id: { in: [...ids] } },
    include: {
      predicates: { orderBy: { predicateId: "asc" } },
      predictionSet: { select: { id: true, name: true, splitId: true, split: { select: { name: true, dataset: { select: { name: true } } } } } },
    },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const r = byId.get(id);
    if (!r) throw new NotFoundError(`no evaluation with id ${id}`);
    return {
      id: r.id,
      predictionSetId: r.predictionSetId,
      predictionSetName: r.predictionSet.name,
      splitId: r.predictionSet.splitId,
      dataset: r.predictionSet.split.dataset.name,
      split: r.predictionSet.split.name,
      datasetType: r.datasetType,
      compat: r.compat,
      evaluatorVersion: r.evaluatorVersion,
      protocol: r.protocol,
      summary: r.summary,
      predicates: r.predicates.map((p) => ({ predicateId: p.predicateId, predicate: p.predicate, gtCount: p.gtCount, ngrHits: p.ngrHits, ngrRecall: p.ngrRecall })),
    };
  });
}

export interface ComparedImage {
  id: number;
  imageKey: string;
  storageKey: string | null;
  width: number;
  height: number;
  gt: { id: string; box: BoxPx }[];
  /** Per prediction set, in the order asked for; a set without an answer for the image is left out. */
  sets: {
    predictionSetId: number;
    name: string;
    parseOk: boolean;
    failureKind: string | null;
    failureMessage: string | null;
    /** Boxes the evaluation keeps, original pixels; `matched` when one localises a ground-truth object. */
    objects: { name: string; box: BoxPx; matched: boolean }[];
    /** Ground-truth triplets hit (family A). */
    hits: number;
  }[];
}

/**
 * One image as each prediction set answered it, through the evaluation's gather step and per-image
 * diagnosis. When the WordNet database cannot be read, labels are mapped by the vocabulary alone.
 */
export async function compareImage(prisma: PrismaClient, imageId: number, setIds: readonly number[]): Promise<ComparedImage | null> {
  const img = await prisma.image.findUnique({
    where: { id: imageId },
    include: {
      split: { select: { dataset: { select: { datasetType: true } } } },
      objects: { orderBy: { idx: "asc" } },
      relations: { orderBy: { idx: "asc" } },
      predictions: { where: { predictionSetId: { in: [...setIds] } }, include: { predictionSet: { select: { name: true } } } },
    },
  });
  if (!img) return null;
  const gt = toGtRecord(img);
  const type = img.split.dataset.datasetType;
  const lookups = await wordnetLookups(type).catch(() => ({}));
  const vocab = getVocabulary(type);
  const sets = setIds.flatMap((id) => {
    const p = img.predictions.find((x) => x.predictionSetId === id);
    if (!p) return [];
    const gathered = gatherPrediction({ image_id: img.imageKey, response: p.response, box_scale: [p.boxScaleX, p.boxScaleY] }, [img.width, img.height], { vocab, ...lookups });
    const diagnosis = diagnoseImage(gt, gathered);
    return [
      {
        predictionSetId: id,
        name: p.predictionSet.name,
        parseOk: p.parseOk,
        failureKind: p.failureKind,
        failureMessage: p.failureMessage,
        objects: gathered.objects.map((o, i) => ({ name: o.name, box: o.box, matched: diagnosis.objectMatch[i] !== null && diagnosis.objectMatch[i] !== undefined })),
        hits: diagnosis.gt.filter((t) => t.hit).length,
      },
    ];
  });
  return { id: img.id, imageKey: img.imageKey, storageKey: img.storageKey, width: img.width, height: img.height, gt: gt.objects.map((o) => ({ id: o.id, box: o.bbox })), sets };
}
