import { iou } from "../boxes";
import { PyFailure } from "../py-json";
import { labelSim } from "../similarity";
import { cat, norm } from "../text";
import type { BoxNorm } from "../types";
import type { RewardContext } from "./reward-context";

const EDGE_REWARD_WEIGHT = 5.0;
const IOU_THRESHOLD = 0.5;

function lookup<T>(m: ReadonlyMap<string, T>, key: string, what: string): T {
  const v = m.get(key);
  if (v === undefined) throw new PyFailure(`unknown ${what} id "${key}"`);
  return v;
}

/**
 * `edge_soft` (d.8, the reference's `edge_reward`): ground-truth triplets whose ends are matched nodes and
 * whose matched pair carries a predicted predicate score the product of the three label similarities.
 * Only the last predicate per ordered predicted pair counts. Range [0, 5].
 */
export function edgeSoftReward(ctx: RewardContext): number {
  const preds = ctx.predNodes();
  const rels = ctx.predRels();
  const matches = ctx.matches();
  const toPred = new Map<string, string>();
  for (const m of matches) toPred.set(ctx.gtNodes()[m.gt]!.id, preds[m.pred]!.id);
  const triplets = new Map<string, string>();
  for (const r of rels) triplets.set(`${r.subject()}\u0000${r.object()}`, r.predicate());
  const S = ctx.similarity;
  const gtRels = ctx.input.gt.relationships;
  let sum = 0;
  for (const { subject: s, predicate: q, object: o } of gtRels) {
    const ps = toPred.get(s);
    const po = toPred.get(o);
    if (ps === undefined || po === undefined) continue;
    const pq = triplets.get(`${ps}\u0000${po}`);
    if (pq === undefined) continue;
    sum += labelSim(S, s, ps) * labelSim(S, o, po) * labelSim(S, q, pq) * EDGE_REWARD_WEIGHT;
  }
  return sum / Math.max(1, gtRels.length);
}

function gtBox(ctx: RewardContext, id: string): BoxNorm {
  return lookup(ctx.gtBoxById(), id, "ground-truth");
}

/**
 * `edge_hard` (d.9, the paper's Hard Recall): a ground-truth triplet is hit by a predicted triplet with the
 * same normalised predicate, both ends at IoU ≥ 0.5 (boxes looked up by id, last duplicate wins) and the
 * same categories. Predicted triplets may be reused. Range [0, 5].
 */
export function edgeHardReward(ctx: RewardContext): number {
  const gtRels = ctx.input.gt.relationships;
  if (gtRels.length === 0) return 0;
  const rels = ctx.predRels();
  const pBox = ctx.predBoxById();
  let sum = 0;
  for (const { subject: s, predicate: q, object: o } of gtRels) {
    const nq = norm(q);
    const gs = gtBox(ctx, s);
    const go = gtBox(ctx, o);
    let hit = false;
    for (const r of rels) {
      if (nq !== r.predicate()) continue;
      const subIoU = iou(gs, lookup(pBox, r.subject(), "predicted"));
      const objIoU = iou(go, lookup(pBox, r.object(), "predicted"));
      if (subIoU < IOU_THRESHOLD || objIoU < IOU_THRESHOLD) continue;
      hit = cat(norm(s)) === cat(r.subject()) && cat(norm(o)) === cat(r.object());
      if (hit) break;
    }
    if (hit) sum += EDGE_REWARD_WEIGHT;
  }
  return sum / Math.max(1, gtRels.length);
}

/**
 * `edge_hard_relax` (d.10): for each ground-truth triplet, the best similarity product over predicted
 * triplets whose ends pass IoU ≥ 0.5, no predicate or label filter. Range [0, 5].
 */
export function edgeHardRelaxReward(ctx: RewardContext): number {
  const gtRels = ctx.input.gt.relationships;
  if (gtRels.length === 0) return 0;
  const rels = ctx.predRels();
  const pBox = ctx.predBoxById();
  const S = ctx.similarity;
  let sum = 0;
  for (const { subject: s, predicate: q, object: o } of gtRels) {
    const gs = gtBox(ctx, s);
    const go = gtBox(ctx, o);
    let best: number | undefined;
    for (const r of rels) {
      const subIoU = iou(gs, lookup(pBox, r.subject(), "predicted"));
      const objIoU = iou(go, lookup(pBox, r.object(), "predicted"));
      if (subIoU < IOU_THRESHOLD || objIoU < IOU_THRESHOLD) continue;
      const v = labelSim(S, norm(s), r.subject()) * labelSim(S, norm(o), r.object()) * labelSim(S, norm(q), r.predicate());
      if (best === undefined || v > best) best = v;
    }
    if (best !== undefined) sum += best * EDGE_REWARD_WEIGHT;
  }
  return sum / Math.max(1, gtRels.length);
}
