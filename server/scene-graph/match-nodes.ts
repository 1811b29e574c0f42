import { boxL1, giou } from "./boxes";
import { linearSumAssignment } from "./linear-assignment";
import { PyFailure } from "./py-json";
import { labelSim, type Similarity } from "./similarity";
import { cat } from "./text";
import type { BoxNorm } from "./types";

/** A node in normalised space: ground truth keeps its raw id, predictions their `norm`ed id. */
export interface NodeNorm {
  readonly id: string;
  readonly box: BoxNorm;
}

/** One matched pair of the node matching, indices into the prediction and ground-truth lists. */
export interface NodeMatch {
  readonly pred: number;
  readonly gt: number;
  readonly cost: number;
}

const SEM_WEIGHT = 1.0;
const IOU_WEIGHT = 2.0;
const BOX_L1_WEIGHT = 5.0;
const PAD_COST = 100000.0;

/** Matching cost of a prediction against a ground-truth node (d.5), normalised boxes. */
export function matchCost(S: Similarity, p: NodeNorm, g: NodeNorm): number {
  const gi = giou(p.box, g.box);
  if (gi === undefined) throw new PyFailure("zero division in GIoU");
  return SEM_WEIGHT * (1 - labelSim(S, p.id, g.id)) + IOU_WEIGHT * (1 - gi) + BOX_L1_WEIGHT * boxL1(p.box, g.box);
}

/**
 * Hungarian node matching (d.5): rows are predictions in answer order (padded with 1e5 rows up to the
 * ground-truth count), columns ground truth in dataset order. Returns min(m, n) pairs in increasing
 * prediction index. Throws `PyFailure` on NaN costs or an infeasible matrix.
 */
export function matchNodes(S: Similarity, preds: readonly NodeNorm[], gts: readonly NodeNorm[]): NodeMatch[] {
  const m = preds.length;
  const n = gts.length;
  if (m === 0 || n === 0) return [];
  const rows = Math.max(m, n);
  const cost = new Float64Array(rows * n);
  // sim() reduces both names to lower-cased categories; do that once per node, not once per pair.
  const pc = preds.map((p) => cat(p.id).toLowerCase());
  const gc = gts.map((g) => cat(g.id).toLowerCase());
  for (let i = 0; i < m; i++) {
    const p = preds[i]!;
    for (let j = 0; j < n; j++) {
      const g = gts[j]!;
      const gi = giou(p.box, g.box);
      if (gi === undefined) throw new PyFailure("zero division in GIoU");
      cost[i * n + j] = SEM_WEIGHT * (1 - S(pc[i]!, gc[j]!)) + IOU_WEIGHT * (1 - gi) + BOX_L1_WEIGHT * boxL1(p.box, g.box);
    }
  }
  if (rows > m) cost.fill(PAD_COST, m * n);
  let pairs: Array<[number, number]>;
  try {
    pairs = linearSumAssignment(cost, rows, n);
  } catch (e) {
    throw new PyFailure((e as Error).message);
  }
  const out: NodeMatch[] = [];
  for (const [r, c] of pairs) if (r < m) out.push({ pred: r, gt: c, cost: cost[r * n + c]! });
  return out;
}
