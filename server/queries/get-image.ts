import type { PrismaClient } from "../db/generated/client";
import { diagnoseImage, type ImageDiagnosis } from "../scene-graph/eval/diagnose-image";
import { gatherPrediction, type GatheredImage } from "../scene-graph/eval/gather";
import type { GtRecord } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import { wordnetLookups } from "../evaluation/wordnet-lookups";
import { toGtRecord } from "./load-split-gt";

export interface ImagePrediction {
  predictionSetId: number;
  predictionSetName: string;
  response: string;
  boxScale: [number, number];
  parseOk: boolean;
  failureKind: string | null;
  failureMessage: string | null;
  /** The gather step's view: kept objects in original pixels, mapped labels, kept relations, drops. */
  gathered: GatheredImage;
  diagnosis: ImageDiagnosis;
}

export interface ImageDetail {
  id: number;
  imageKey: string;
  splitId: number;
  storageKey: string | null;
  gt: GtRecord;
  predictions: ImagePrediction[];
}

/**
 * One image: ground truth, and for each chosen prediction set the raw answer, the gather step's result
 * and the per-triplet diagnosis, computed by the same core as the stored numbers.
 */
export async function getImage(prisma: PrismaClient, imageId: number, predictionSetIds: readonly number[] = []): Promise<ImageDetail | null> {
  const img = await prisma.image.findUnique({
    where: { id: imageId },
    include: {
      split: { include: { dataset: true } },
      objects: { orderBy: { idx: "asc" } },
      relations: { orderBy: { idx: "asc" } },
      predictions: { where: { predictionSetId: { in: [...predictionSetIds] } }, include: { predictionSet: { select: { name: true } } } },
    },
  });
  if (!img) return null;
  const gt = toGtRecord(img);
  const type = img.split.dataset.datasetType;
  const lookups = await wordnetLookups(type);
  const vocab = getVocabulary(type);
  const predictions = predictionSetIds
    .map((id) => img.predictions.find((p) => p.predictionSetId === id))
    .filter((p) => p !== undefined)
    .map((p) => {
      const gathered = gatherPrediction({ image_id: img.imageKey, response: p.response, box_scale: [p.boxScaleX, p.boxScaleY] }, [img.width, img.height], { vocab, ...lookups });
      return {
        predictionSetId: p.predictionSetId,
        predictionSetName: p.predictionSet.name,
        response: p.response,
        boxScale: [p.boxScaleX, p.boxScaleY] as [number, number],
        parseOk: p.parseOk,
        failureKind: p.failureKind,
        failureMessage: p.failureMessage,
        gathered,
        diagnosis: diagnoseImage(gt, gathered),
      };
    });
  return { id: img.id, imageKey: img.imageKey, splitId: img.splitId, storageKey: img.storageKey, gt, predictions };
}
