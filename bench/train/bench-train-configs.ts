/**
 * The bench's task and run configs (trainer config.json, schema version 1).
 *
 * Task size, chosen so that a model trained from random weights learns it in minutes on 2 CPU cores
 * (bench/train/shipped-model-readme.md says what was tried): 128×128 rendered images of six large
 * classes (person, car, tree, house, boat, kite; the small ones — hat, bird, orange, flower, window — are
 * a few pixels at this size), at most four objects and at least one relation per image (Scene-Graph-
 * Benchmark's VG150 split likewise drops images without relations), ids numbered 1..n over each image's
 * objects as in the VG150 export, 33 coordinate bins (4 px at 128 px).
 *
 * The tiny model starts from random weights, so its learning rates are those of training from scratch,
 * not the reference's fine-tuning rates for a 2B model (method.md e.1/e.2); everything else follows the
 * reference: SFT with the e.2 augmentation and a linear schedule with 5 % warmup, then GRPO from the SFT
 * checkpoint with G = 8 completions for each of 8 prompts per step, the clipped objective, β = 0, bnpo, sampling at temperature 1 / top-p 0.9 /
 * top-k 50, linear decay without warmup and the Hard Recall reward (format + edge_hard), decoding with the
 * relationship-id constraint (config.py `constrain_relation_ids`).
 */
export type BenchSize = "full" | "quick";

export const BENCH_CLASSES = ["person", "car", "tree", "house", "boat", "kite"] as const;

const MODEL = { image_size: 128, patch_size: 16, d_model: 128, n_heads: 4, encoder_layers: 2, decoder_layers: 3, coord_bins: 33 } as const;

export function benchTrainConfigs(size: BenchSize) {
  const full = size === "full";
  const seed = 7;
  const sftSteps = full ? 2000 : 40;
  const grpoSteps = full ? 300 : 4;
  // Two single-threaded data-parallel ranks: on 2 cores that is about twice one process with two
  // threads (small matrices leave OpenMP threads mostly waiting).
  const processes = 2;
  const common = {
    schema_version: 1,
    model: "tiny",
    model_options: MODEL,
    prompt_variant: "closed",
    max_completion_length: 256,
    seed,
    threads: 1,
  };
  return {
    seed,
    imageSize: 128,
    classes: BENCH_CLASSES,
    maxObjects: 4,
    minRelations: 1,
    ids: "running" as const,
    trainImages: full ? 4000 : 200,
    valImages: full ? 500 : 32,
    sftSteps,
    grpoSteps,
    processes,
    sft: (train: string, val: string, rewardUrl: string) => ({
      ...common,
      kind: "sft",
      data: { train: [train], eval: [val] },
      batch_size: 32,
      micro_batch_size: 16,
      max_steps: sftSteps,
      // Half the draws under the think prompt with tagged targets: the instruction following a pretrained
      // model brings to GRPO, which a model trained from random weights must be taught (config.py).
      think_prompt_ratio: 0.5,
      optimizer: { lr: 3e-3 },
      schedule: { type: "linear", warmup_ratio: 0.05 },
      reward: { preset: "hard_recall", service_url: rewardUrl },
      eval: { every: full ? 250 : 20, max_images: 50 },
      log_every: full ? 10 : 1,
      checkpoint_every: 0,
    }),
    grpo: (train: string, val: string, rewardUrl: string, initCheckpoint: string) => ({
      ...common,
      kind: "grpo",
      init_checkpoint: initCheckpoint,
      data: { train: [train], eval: [val] },
      group_size: 8,
      prompts_per_step: 8,
      micro_batch_size: 16,
      max_steps: grpoSteps,
      // A thirtieth of SFT's peak: at 3e-4 greedy recall fell below the SFT start for the first 200 steps.
      optimizer: { lr: 1e-4 },
      schedule: { type: "linear", warmup_ratio: 0 },
      beta: 0,
      reward: { preset: "hard_recall", service_url: rewardUrl },
      // Rollouts, evaluation and the export decode relationship ends among the listed objects only: unconstrained,
      // one completion in nine named an unlisted object, scored 0 as a whole, and GRPO learned to write fewer
      // relationships (bench/train/shipped-model-readme.md). SFT stays unconstrained (its loss never decodes).
      constrain_relation_ids: true,
      sampling: { temperature: 1.0, top_p: 0.9, top_k: 50 },
      eval: { every: full ? 50 : 2, max_images: 50 },
      log_every: 1,
      rollout_every: full ? 5 : 1,
      checkpoint_every: 0,
      export_onnx: true,
    }),
  };
}
