import { cocoDetFromXyxyPx, cocoGtFromXyxyPx, COCO_STAT_NAMES, evaluateCocoBoxes, type CocoImage, type CocoStatName } from "../metrics/coco-eval";
import { PARSE_FAILURE_KINDS, type ParseFailureKind } from "../parse-graph";
import { cat } from "../text";
import type { CompatFlag, DatasetType, GtRecord } from "../types";
import { getVocabulary } from "../vocab";
import { gatherPrediction, type GatheredImage, type PredictionFile } from "./gather";
import { computeNgRecall, type NgRecallResult } from "./ng-recall";
import { pyRound4 } from "./numeric";
import { computeSgdetRecall, SGDET_KS, type SgdetResult } from "./sgdet-recall";

export const EVALUATOR_VERSION = "sgg-workbench-eval/1";

export interface EvaluateOptions {
  readonly datasetType: DatasetType;
  readonly compat?: readonly CompatFlag[];
  readonly wordnetClass?: (x: string) => string | undefined;
  readonly wordnetPredicate?: (x: string) => string | undefined;
  readonly ngTieOrder?: "numpy" | "stable";
  /** Called during the gather step with the number of predictions done. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Raised for inputs the evaluation must refuse, e.g. two predictions for one image. */
export class EvaluationInputError extends Error {}

/** Everything the evaluation computes (method.md f.8), figures as fractions except the failure rate (%). */
export interface EvaluationReport {
  readonly protocol: {
    readonly evaluator: string;
    readonly dataset_type: DatasetType;
    readonly compat: readonly CompatFlag[];
    readonly gt_images: number;
    readonly predicted_images: number;
    readonly gt_triplets: number;
    readonly iou_threshold: 0.5;
    readonly ng_tie_order: "numpy" | "stable";
  };
  readonly failure: { failed: number; total: number; rate: number; reasons: Record<ParseFailureKind, number> };
  readonly coco: Record<CocoStatName, number>;
  readonly ngr: { recall: number; mean_recall: number; recall_per_image: number; mean_recall_per_image: number };
  readonly sgdet: Record<string, number>;
  readonly per_predicate: readonly PredicateRow[];
  readonly per_image: readonly ImageRow[];
  /** Prediction image ids that the ground truth lacks: reported and skipped. */
  readonly unknown_images: readonly string[];
  readonly sgdet_skipped_images: readonly string[];
}

export interface PredicateRow {
  readonly predicate: string;
  readonly id: number;
  readonly gt_count: number;
  readonly ngr_hits: number;
  readonly ngr_recall: number | null;
  readonly ngr_recall_per_image: number | null;
  readonly "mR@20": number;
  readonly "mR@50": number;
  readonly "mR@100": number;
  readonly "ngmR@100": number;
}

export interface ImageRow {
  readonly image_id: string;
  readonly predicted: boolean;
  readonly failed: boolean;
  readonly failure_kind: ParseFailureKind | null;
  readonly failure_message: string | null;
  readonly kept_objects: number;
  readonly kept_relations: number;
  readonly gt_objects: number;
  readonly gt_relations: number;
  readonly ngr_hits: number;
  /** Family A hit flag of each ground-truth relationship, dataset order. */
  readonly triplet_hits: readonly boolean[];
  readonly "R@20": number | null;
  readonly "R@50": number | null;
  readonly "R@100": number | null;
}

export interface EvaluationResult {
  readonly report: EvaluationReport;
  readonly gathered: ReadonlyMap<string, GatheredImage>;
  readonly ngRecall: NgRecallResult;
  readonly sgdet: SgdetResult;
}

/**
 * The full evaluation of a prediction set against a split (method.md f): gather, failure rate with reasons,
 * family A (no-K recalls), family B (SGDET R@K family) and family C (COCO AP). Pure: the caller reads the
 * files and supplies WordNet lookups.
 */
export function evaluate(gt: readonly GtRecord[], predictions: readonly PredictionFile[], options: EvaluateOptions): EvaluationResult {
  const vocab = getVocabulary(options.datasetType);
  const compat = options.compat ?? [];
  const gtById = new Map<string, GtRecord>();
  for (const r of gt) gtById.set(r.image_id, r);

  const seen = new Set<string>();
  for (const p of predictions) {
    if (seen.has(p.image_id)) throw new EvaluationInputError(`two predictions for image "${p.image_id}"`);
    seen.add(p.image_id);
  }

  const gathered = new Map<string, GatheredImage>();
  const unknown: string[] = [];
  const reasons = Object.fromEntries(PARSE_FAILURE_KINDS.map((k) => [k, 0])) as Record<ParseFailureKind, number>;
  let failed = 0;
  predictions.forEach((p, i) => {
    const rec = gtById.get(p.image_id);
    if (!rec) {
      unknown.push(p.image_id);
      return;
    }
    const g = gatherPrediction(p, [rec.width, rec.height], { vocab, compat, wordnetClass: options.wordnetClass, wordnetPredicate: options.wordnetPredicate });
    if (g.failed) {
      failed++;
      reasons[g.failure!.kind]++;
    }
    gathered.set(p.image_id, g);
    if (options.onProgress && (i % 256 === 255 || i === predictions.length - 1)) options.onProgress(i + 1, predictions.length);
  });
  const total = gathered.size;

  const ngRecall = computeNgRecall(gt, gathered);
  const gatheredList = [...gathered.values()];
  const sgdet = computeSgdetRecall(gtById, gatheredList, vocab, { ngTieOrder: options.ngTieOrder });
  const coco = evaluateCocoBoxes(cocoImages(gt, gathered, options), {
    categories: vocab.classIds,
    annIdZeroUnmatched: compat.includes("coco-id0"),
  });

  const sgdetFigures: Record<string, number> = {};
  for (const k of SGDET_KS) {
    sgdetFigures[`R@${k}`] = sgdet.recall[k];
    sgdetFigures[`ngR@${k}`] = sgdet.ngRecall[k];
    sgdetFigures[`zR@${k}`] = sgdet.zeroShotRecall[k];
    sgdetFigures[`ngzR@${k}`] = sgdet.ngZeroShotRecall[k];
    sgdetFigures[`mR@${k}`] = sgdet.meanRecall[k];
    sgdetFigures[`ngmR@${k}`] = sgdet.ngMeanRecall[k];
  }

  const report: EvaluationReport = {
    protocol: {
      evaluator: EVALUATOR_VERSION,
      dataset_type: options.datasetType,
      compat: [...compat],
      gt_images: gt.length,
      predicted_images: total,
      gt_triplets: gt.reduce((n, r) => n + r.relationships.length, 0),
      iou_threshold: 0.5,
      ng_tie_order: options.ngTieOrder ?? "numpy",
    },
    failure: { failed, total, rate: total === 0 ? NaN : pyRound4((100 * failed) / total), reasons },
    coco: Object.fromEntries(COCO_STAT_NAMES.map((n) => [n, coco.stats[n]])) as Record<CocoStatName, number>,
    ngr: {
      recall: ngRecall.recall,
      mean_recall: ngRecall.meanRecall,
      recall_per_image: ngRecall.recallPerImage,
      mean_recall_per_image: ngRecall.meanRecallPerImage,
    },
    sgdet: sgdetFigures,
    per_predicate: predicateRows(ngRecall, sgdet, vocab.predicates),
    per_image: imageRows(gt, gathered, ngRecall, sgdet),
    unknown_images: unknown,
    sgdet_skipped_images: sgdet.skipped,
  };
  return { report, gathered, ngRecall, sgdet };
}

function cocoImages(gt: readonly GtRecord[], gathered: ReadonlyMap<string, GatheredImage>, options: EvaluateOptions): CocoImage[] {
  const vocab = getVocabulary(options.datasetType);
  let annId = options.compat?.includes("coco-id0") ? 0 : 1;
  const images: CocoImage[] = [];
  for (const rec of gt) {
    const g = gathered.get(rec.image_id);
    const gts = rec.objects.map((o) => cocoGtFromXyxyPx(vocab.gtClassId.get(cat(o.id)) ?? -1, o.bbox, annId++));
    if (!g) continue;
    images.push({ imageId: rec.image_id, gts, dts: g.objects.map((o) => cocoDetFromXyxyPx(o.label, o.box)) });
  }
  // pycocotools sorts image ids; the reference's ids are strings, so code-unit order.
  return images.sort((a, b) => (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0));
}

function predicateRows(ng: NgRecallResult, sg: SgdetResult, predicates: readonly string[]): PredicateRow[] {
  const byName = new Map(ng.perPredicate.map((p) => [p.predicate, p]));
  return predicates.map((predicate, i) => {
    const p = byName.get(predicate);
    return {
      predicate,
      id: i + 1,
      gt_count: p?.count ?? 0,
      ngr_hits: p?.hits ?? 0,
      ngr_recall: p ? p.recall : null,
      ngr_recall_per_image: p ? p.recallPerImage : null,
      "mR@20": sg.meanRecallList[20][i]!,
      "mR@50": sg.meanRecallList[50][i]!,
      "mR@100": sg.meanRecallList[100][i]!,
      "ngmR@100": sg.ngMeanRecallList[100][i]!,
    };
  });
}

function imageRows(gt: readonly GtRecord[], gathered: ReadonlyMap<string, GatheredImage>, ng: NgRecallResult, sg: SgdetResult): ImageRow[] {
  const sgById = new Map(sg.perImage.map((s) => [s.imageId, s]));
  return gt.map((rec, i) => {
    const g = gathered.get(rec.image_id);
    const s = sgById.get(rec.image_id);
    return {
      image_id: rec.image_id,
      predicted: g !== undefined,
      failed: g?.failed ?? false,
      failure_kind: g?.failure?.kind ?? null,
      failure_message: g?.failure?.message ?? null,
      kept_objects: g?.objects.length ?? 0,
      kept_relations: g?.relations.length ?? 0,
      gt_objects: rec.objects.length,
      gt_relations: rec.relationships.length,
      ngr_hits: ng.perImage[i]!.hits.filter(Boolean).length,
      triplet_hits: ng.perImage[i]!.hits,
      "R@20": s ? s.recall[20] : null,
      "R@50": s ? s.recall[50] : null,
      "R@100": s ? s.recall[100] : null,
    };
  });
}
