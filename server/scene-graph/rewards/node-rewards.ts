import { boxL1, iou } from "../boxes";
import { labelSim } from "../similarity";
import type { RewardContext } from "./reward-context";

const NODE_REWARD_WEIGHT = 2.0;
const IOU_WEIGHT = 2.0;
const BOX_L1_WEIGHT = 5.0;

/**
 * `node_acc` (d.6): label similarity of each matched pair, weighted 2.0, divided by the ground-truth
 * object count (by 1 when there is none). Range [0, 2]. Throws `PyFailure` when preprocessing fails.
 */
export function nodeAccReward(ctx: RewardContext): number {
  const preds = ctx.predNodes();
  let r = 0;
  for (const m of ctx.matches()) {
    r += labelSim(ctx.similarity, ctx.gtNodes()[m.gt]!.id, preds[m.pred]!.id) * NODE_REWARD_WEIGHT;
  }
  return r / (ctx.gtNodes().length || 1);
}

/**
 * `node_box` (d.7): plain IoU and exp(−L1) of each matched pair on normalised boxes, weighted 2:5,
 * averaged, times 2.0, divided by the ground-truth object count. Range [0, 2].
 */
export function nodeBoxReward(ctx: RewardContext): number {
  const preds = ctx.predNodes();
  let r = 0;
  for (const m of ctx.matches()) {
    const g = ctx.gtNodes()[m.gt]!.box;
    const p = preds[m.pred]!.box;
    r += ((iou(g, p) * IOU_WEIGHT + Math.exp(-boxL1(g, p)) * BOX_L1_WEIGHT) / 7.0) * NODE_REWARD_WEIGHT;
  }
  return r / (ctx.gtNodes().length || 1);
}
