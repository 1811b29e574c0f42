import type { PrismaClient } from "@/server/db/client";
import { loadImageGt } from "@/server/queries/load-split-gt";
import { parseSceneGraph } from "@/server/scene-graph/parse-graph";
import { PyFailure } from "@/server/scene-graph/py-json";
import { computeRewards, type RewardName, type RewardScores } from "@/server/scene-graph/rewards/compute-rewards";
import { RewardContext } from "@/server/scene-graph/rewards/reward-context";
import type { BoxScale, CompatFlag } from "@/server/scene-graph/types";

type Box = [number, number, number, number];

export interface Inspection {
  parse:
    | { ok: true; objects: number; relationships: number; warnings: { kind: string; message: string; path?: string }[] }
    | { ok: false; kind: string; message: string; path?: string; line?: number; column?: number };
  scores: RewardScores;
  failures: Partial<Record<RewardName, string>>;
  /** Ground truth and predictions in original pixels, with the Hungarian matching between them (d.5). */
  gt: { id: string; box: Box }[];
  pred: { id: string; box: Box }[];
  matches: { pred: number; gt: number; cost: number }[];
  matchError: string | null;
}

/**
 * Scores one completion against an image's ground truth with the trainer's reward core and explains it:
 * the parse, every reward with the three preset totals, and the node matching the rewards used.
 */
export async function inspectCompletion(
  prisma: PrismaClient,
  req: { imageId: number; completion: string; boxScale?: BoxScale; strictFormat?: boolean; compat?: CompatFlag[] },
): Promise<Inspection | null> {
  const gt = await loadImageGt(prisma, req.imageId);
  if (!gt) return null;
  const imageSize = [gt.width, gt.height] as const;
  const input = { completion: req.completion, gt, imageSize, boxScale: req.boxScale ?? ([1000, 1000] as const) };
  const { scores, failures } = computeRewards(input, { strictFormat: req.strictFormat, compat: req.compat });
  const ctx = new RewardContext(input);
  const toPx = (b: readonly number[]): Box => [b[0]! * gt.width, b[1]! * gt.height, b[2]! * gt.width, b[3]! * gt.height];
  let pred: Inspection["pred"] = [];
  let matches: Inspection["matches"] = [];
  let matchError: string | null = null;
  try {
    pred = ctx.predNodes().map((n) => ({ id: n.id, box: toPx(n.box) }));
    matches = ctx.matches().map((m) => ({ pred: m.pred, gt: m.gt, cost: m.cost }));
  } catch (e) {
    if (!(e instanceof PyFailure)) throw e;
    matchError = e.path ? `${e.path}: ${e.message}` : e.message;
  }
  const parsed = parseSceneGraph(req.completion);
  const parse: Inspection["parse"] = parsed.ok
    ? { ok: true, objects: parsed.graph.objects.length, relationships: parsed.graph.relationships.length, warnings: parsed.warnings.map((w) => ({ kind: w.kind, message: w.message, path: w.path })) }
    : { ok: false, kind: parsed.failure.kind, message: parsed.failure.message, path: parsed.failure.path, line: parsed.failure.json?.line, column: parsed.failure.json?.column };
  return { parse, scores, failures, gt: gt.objects.map((o) => ({ id: o.id, box: [...o.bbox] as Box })), pred, matches, matchError };
}

export interface InspectorImage {
  id: number;
  imageKey: string;
  splitId: number;
  storageKey: string | null;
  width: number;
  height: number;
  /** The first stored answer for the image, if any prediction set has one. */
  stored: { response: string; predictionSet: string; boxScale: [number, number] } | null;
  gtSummary: { objects: string[]; relationships: string[] };
}

/** The image the inspector opens with, and its stored answer to start from. */
export async function inspectorImage(prisma: PrismaClient, imageId: number): Promise<InspectorImage | null> {
  const img = await prisma.image.findUnique({
    where: { id: imageId },
    select: {
      id: true,
      imageKey: true,
      splitId: true,
      storageKey: true,
      width: true,
      height: true,
      objects: { select: { label: true }, orderBy: { idx: "asc" } },
      relations: { select: { subjectIdx: true, objectIdx: true, predicate: true }, orderBy: { idx: "asc" } },
      predictions: { take: 1, orderBy: { predictionSetId: "desc" }, select: { response: true, boxScaleX: true, boxScaleY: true, predictionSet: { select: { name: true } } } },
    },
  });
  if (!img) return null;
  const p = img.predictions[0];
  const labels = img.objects.map((o) => o.label);
  return {
    id: img.id,
    imageKey: img.imageKey,
    splitId: img.splitId,
    storageKey: img.storageKey,
    width: img.width,
    height: img.height,
    stored: p ? { response: p.response, predictionSet: p.predictionSet.name, boxScale: [p.boxScaleX, p.boxScaleY] } : null,
    gtSummary: { objects: labels, relationships: img.relations.map((r) => `${labels[r.subjectIdx]} ${r.predicate} ${labels[r.objectIdx]}`) },
  };
}

/** Splits with their images' ids and keys, for the picker. */
export async function inspectorChoices(prisma: PrismaClient, splitId: number | undefined) {
  const splits = await prisma.split.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, imageCount: true, dataset: { select: { name: true } } } });
  const images = splitId === undefined ? [] : await prisma.image.findMany({ where: { splitId }, orderBy: { id: "asc" }, take: 1000, select: { id: true, imageKey: true } });
  return { splits: splits.map((s) => ({ id: s.id, label: `${s.dataset.name}/${s.name}`, imageCount: s.imageCount })), images };
}
