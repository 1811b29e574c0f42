import type { PrismaClient } from "../db/generated/client";
import { loadSplitGtAtVersion } from "../annotation/load-split-gt-at-version";
import { NotFoundError } from "../queries/find-split";
import { evaluate, EVALUATOR_VERSION, type EvaluationReport } from "../scene-graph/eval/evaluate";
import type { PredictionFile } from "../scene-graph/eval/gather";
import type { CompatFlag } from "../scene-graph/types";
import { wordnetLookups } from "./wordnet-lookups";

export interface EvaluatePredictionSetOptions {
  readonly predictionSetId: number;
  readonly compat?: readonly CompatFlag[];
  readonly ngTieOrder?: "numpy" | "stable";
  /** The split's GT version to evaluate against; default: its current one. */
  readonly gtVersion?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Whether a set answers only part of its split on purpose (a predict run with an image limit, a
 * checkpoint predicted on the evaluation subset): then it is evaluated against the images it covers,
 * not against the whole split, where every unasked image would count as a miss.
 */
export function coversSubset(settings: unknown): boolean {
  const s = (settings ?? {}) as { imageLimit?: unknown; scope?: unknown };
  return s.scope === "subset" || (typeof s.imageLimit === "number" && s.imageLimit > 0);
}

/**
 * Evaluates a stored prediction set against its split with the scene-graph core and stores the result:
 * the summary with its protocol, one row per image and one per predicate. An evaluation with the same
 * protocol (flags, evaluator version) and GT version is replaced, in one transaction. Ground truth is
 * read as it stood at that GT version, so edits saved meanwhile do not leak into it.
 */
export async function evaluatePredictionSet(prisma: PrismaClient, o: EvaluatePredictionSetOptions): Promise<{ evaluationId: number; report: EvaluationReport }> {
  const set = await prisma.predictionSet.findUnique({ where: { id: o.predictionSetId }, include: { split: { include: { dataset: true } } } });
  if (!set) throw new NotFoundError(`no prediction set with id ${o.predictionSetId}`);
  const type = set.split.dataset.datasetType;
  const gtVersion = o.gtVersion ?? set.split.gtVersion;
  const split = await loadSplitGtAtVersion(prisma, set.splitId, gtVersion);
  const preds = await prisma.prediction.findMany({
    where: { predictionSetId: set.id },
    select: { response: true, boxScaleX: true, boxScaleY: true, image: { select: { imageKey: true } } },
    orderBy: { imageId: "asc" },
  });
  const files: PredictionFile[] = preds.map((p) => ({ image_id: p.image.imageKey, response: p.response, box_scale: [p.boxScaleX, p.boxScaleY] }));
  const subset = coversSubset(set.settings);
  const asked = new Set(files.map((f) => f.image_id));
  const keep = split.records.map((r) => !subset || asked.has(r.image_id));
  const records = split.records.filter((_, i) => keep[i]);
  const rowIds = split.rowIds.filter((_, i) => keep[i]);
  const compat = [...(o.compat ?? [])].sort();
  const { report } = evaluate(records, files, { datasetType: type, compat, ngTieOrder: o.ngTieOrder, onProgress: o.onProgress, ...(await wordnetLookups(type)) });

  const rowIdByKey = new Map(records.map((r, i) => [r.image_id, rowIds[i]!]));
  const compatKey = compat.join(",");
  const evaluationId = await prisma.$transaction(
    async (tx) => {
      await tx.evaluation.deleteMany({ where: { predictionSetId: set.id, compatKey, evaluatorVersion: EVALUATOR_VERSION, gtVersion } });
      const ev = await tx.evaluation.create({
        data: {
          predictionSetId: set.id,
          datasetType: type,
          compatKey,
          compat,
          evaluatorVersion: EVALUATOR_VERSION,
          gtVersion,
          protocol: { ...report.protocol, split: set.split.name, dataset: set.split.dataset.name, image_scope: subset ? "subset" : "split", gt_version: gtVersion },
          summary: jsonSafe({ failure: report.failure, coco: report.coco, ngr: report.ngr, sgdet: report.sgdet, unknown_images: report.unknown_images.length }),
        },
      });
      const imageRows = report.per_image.map((p) => ({
        evaluationId: ev.id,
        imageId: rowIdByKey.get(p.image_id)!,
        predicted: p.predicted,
        failed: p.failed,
        failureKind: p.failure_kind,
        keptObjects: p.kept_objects,
        keptRelations: p.kept_relations,
        gtRelations: p.gt_relations,
        ngrHits: p.ngr_hits,
        ngrRecall: p.gt_relations > 0 ? p.ngr_hits / p.gt_relations : null,
        r20: p["R@20"],
        r50: p["R@50"],
        r100: p["R@100"],
        tripletHits: [...p.triplet_hits],
      }));
      for (let i = 0; i < imageRows.length; i += 2000) await tx.evaluationImage.createMany({ data: imageRows.slice(i, i + 2000) });
      await tx.predicateMetric.createMany({
        data: report.per_predicate.map((p) => ({
          evaluationId: ev.id,
          predicateId: p.id,
          predicate: p.predicate,
          gtCount: p.gt_count,
          ngrHits: p.ngr_hits,
          ngrRecall: p.ngr_recall,
          ngrRecallPerImage: p.ngr_recall_per_image,
          mR20: p["mR@20"],
          mR50: p["mR@50"],
          mR100: p["mR@100"],
          ngmR100: p["ngmR@100"],
        })),
      });
      return ev.id;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return { evaluationId, report };
}

/** JSON has no NaN: undefined means (no zero-shot triplet, …) are stored as null. */
function jsonSafe<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
