import { PyFailure } from "../py-json";
import type { Similarity } from "../similarity";
import type { CompatFlag } from "../types";
import { edgeHardRelaxReward, edgeHardReward, edgeSoftReward } from "./edge-rewards";
import { formatReward } from "./format-reward";
import { nodeAccReward, nodeBoxReward } from "./node-rewards";
import { RewardContext, type RewardInput } from "./reward-context";

export const REWARD_NAMES = ["format", "node_acc", "node_box", "edge_soft", "edge_hard", "edge_hard_relax"] as const;
export type RewardName = (typeof REWARD_NAMES)[number];

/** Reward presets of d.13 and the functions each one sums. */
export const REWARD_PRESETS = {
  soft_recall: ["format", "node_acc", "node_box", "edge_soft"],
  hard_recall: ["format", "edge_hard"],
  hard_recall_relax: ["format", "edge_hard_relax"],
} as const satisfies Record<string, readonly RewardName[]>;
export type RewardPreset = keyof typeof REWARD_PRESETS;

export interface RewardOptions {
  readonly similarity?: Similarity;
  /** STRICT_FORMAT, default true. */
  readonly strictFormat?: boolean;
  readonly compat?: readonly CompatFlag[];
}

export interface RewardScores {
  readonly format: number;
  readonly node_acc: number;
  readonly node_box: number;
  readonly edge_soft: number;
  readonly edge_hard: number;
  readonly edge_hard_relax: number;
  readonly total_soft_recall: number;
  readonly total_hard_recall: number;
  readonly total_hard_recall_relax: number;
}

export interface RewardResult {
  readonly scores: RewardScores;
  /** Why a reward was forced to 0 (parse error, bad box, unknown id, …), by reward name. */
  readonly failures: Partial<Record<RewardName, string>>;
}

type Scorer = (ctx: RewardContext) => number;

const SCORERS: Record<Exclude<RewardName, "format">, Scorer> = {
  node_acc: nodeAccReward,
  node_box: nodeBoxReward,
  edge_soft: edgeSoftReward,
  edge_hard: edgeHardReward,
  edge_hard_relax: edgeHardRelaxReward,
};

function describe(e: PyFailure): string {
  return e.path ? `${e.path}: ${e.message}` : e.message;
}

/**
 * Every reward of method.md (d) for one completion, each guarded on its own (0.7): a failure makes that
 * reward exactly 0 and is reported with its reason. Totals are the d.13 presets, summed left to right.
 * Work is shared: the answer is parsed and the nodes matched once.
 */
export function computeRewards(input: RewardInput, options: RewardOptions = {}): RewardResult {
  const ctx = new RewardContext(input, options.similarity);
  const failures: Partial<Record<RewardName, string>> = {};
  const run = (name: Exclude<RewardName, "format">): number => {
    try {
      return SCORERS[name](ctx);
    } catch (e) {
      if (!(e instanceof PyFailure)) throw e;
      failures[name] = describe(e);
      return 0;
    }
  };
  const format = formatReward(
    input.completion,
    { strict: options.strictFormat ?? true, head: options.compat?.includes("r1sgg-head") ?? false },
    () => ctx.answer(),
  );
  const node_acc = run("node_acc");
  const node_box = run("node_box");
  const edge_soft = run("edge_soft");
  const edge_hard = run("edge_hard");
  const edge_hard_relax = run("edge_hard_relax");
  const scores: RewardScores = {
    format,
    node_acc,
    node_box,
    edge_soft,
    edge_hard,
    edge_hard_relax,
    total_soft_recall: format + node_acc + node_box + edge_soft,
    total_hard_recall: format + edge_hard,
    total_hard_recall_relax: format + edge_hard_relax,
  };
  return { scores, failures };
}

/**
 * Only the rewards a preset needs, summed with weights (default 1.0 each): the trainer's hot path.
 * Returns the total and the per-function values in preset order.
 */
export function computePresetReward(
  input: RewardInput,
  preset: RewardPreset,
  options: RewardOptions & { readonly weights?: Partial<Record<RewardName, number>> } = {},
): { total: number; values: Partial<Record<RewardName, number>> } {
  const ctx = new RewardContext(input, options.similarity);
  const values: Partial<Record<RewardName, number>> = {};
  let total = 0;
  for (const name of REWARD_PRESETS[preset]) {
    let v: number;
    if (name === "format") {
      v = formatReward(
        input.completion,
        { strict: options.strictFormat ?? true, head: options.compat?.includes("r1sgg-head") ?? false },
        () => ctx.answer(),
      );
    } else {
      try {
        v = SCORERS[name](ctx);
      } catch (e) {
        if (!(e instanceof PyFailure)) throw e;
        v = 0;
      }
    }
    values[name] = v;
    total += (options.weights?.[name] ?? 1.0) * v;
  }
  return { total, values };
}
