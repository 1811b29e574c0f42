import { iou } from "../boxes";
import { cat, norm } from "../text";
import type { BoxPx, GtRecord } from "../types";
import type { GatheredImage } from "./gather";
import { mean, round4 } from "./numeric";

const IOU_THRESHOLD = 0.5;

/** Per-image outcome of family A: one hit flag per ground-truth relationship, dataset order. */
export interface NgRecallImage {
  readonly imageId: string;
  readonly hits: readonly boolean[];
}

export interface NgRecallPredicate {
  readonly predicate: string;
  readonly count: number;
  readonly hits: number;
  /** round4(hits / count) over the split. */
  readonly recall: number;
  /** round4 of the mean over images containing the predicate of their own hits / count. */
  readonly recallPerImage: number;
}

/** Family A (method.md f.4): recall without a cut-off, the loop the paper's Recall and mRecall follow. */
export interface NgRecallResult {
  readonly recall: number;
  readonly meanRecall: number;
  readonly recallPerImage: number;
  readonly meanRecallPerImage: number;
  readonly perPredicate: readonly NgRecallPredicate[];
  readonly perImage: readonly NgRecallImage[];
}

/**
 * Family A over the whole split: every ground-truth image in dataset order, with or without a prediction.
 * A ground-truth triplet is hit by any gathered relation with the same predicate and mapped categories
 * whose two boxes reach IoU ≥ 0.5 (d.2 IoU, original pixels). Predicted relations may be reused.
 */
export function computeNgRecall(gt: readonly GtRecord[], gathered: ReadonlyMap<string, GatheredImage>): NgRecallResult {
  let hitsAll = 0;
  let countAll = 0;
  const perImageRatios: number[] = [];
  const byPredicate = new Map<string, { count: number; hits: number; imageRatios: number[] }>();
  const perImage: NgRecallImage[] = [];

  for (const rec of gt) {
    const g = gathered.get(rec.image_id);
    const boxById = new Map<string, BoxPx>();
    for (const o of rec.objects) boxById.set(norm(o.id), o.bbox);
    const imageCounts = new Map<string, { count: number; hits: number }>();
    const flags: boolean[] = [];
    for (const r of rec.relationships) {
      const q = norm(r.predicate);
      const s = norm(r.subject);
      const o = norm(r.object);
      const hit = g !== undefined && isHit(g, q, cat(s), cat(o), boxById.get(s), boxById.get(o));
      flags.push(hit);
      const pc = byPredicate.get(q) ?? { count: 0, hits: 0, imageRatios: [] };
      byPredicate.set(q, pc);
      pc.count++;
      const ic = imageCounts.get(q) ?? { count: 0, hits: 0 };
      imageCounts.set(q, ic);
      ic.count++;
      if (hit) {
        pc.hits++;
        ic.hits++;
      }
    }
    const h = flags.filter(Boolean).length;
    hitsAll += h;
    countAll += flags.length;
    if (flags.length > 0) perImageRatios.push(h / flags.length);
    for (const [q, ic] of imageCounts) byPredicate.get(q)!.imageRatios.push(ic.hits / ic.count);
    perImage.push({ imageId: rec.image_id, hits: flags });
  }

  const perPredicate: NgRecallPredicate[] = [];
  for (const [predicate, p] of byPredicate) {
    perPredicate.push({
      predicate,
      count: p.count,
      hits: p.hits,
      recall: round4(p.hits / p.count),
      recallPerImage: round4(mean(p.imageRatios)),
    });
  }
  return {
    recall: countAll === 0 ? NaN : hitsAll / countAll,
    meanRecall: mean(perPredicate.map((p) => p.recall)),
    recallPerImage: mean(perImageRatios),
    meanRecallPerImage: mean(perPredicate.map((p) => p.recallPerImage)),
    perPredicate,
    perImage,
  };
}

function isHit(g: GatheredImage, q: string, cs: string, co: string, bs?: BoxPx, bo?: BoxPx): boolean {
  if (!bs || !bo) return false;
  for (const r of g.relations) {
    if (r.predicate !== q) continue;
    const ps = g.objects[r.subject]!;
    const po = g.objects[r.object]!;
    if (ps.category !== cs || po.category !== co) continue;
    if (iou(bs, ps.box) >= IOU_THRESHOLD && iou(bo, po.box) >= IOU_THRESHOLD) return true;
  }
  return false;
}
