/**
 * The bench's run configs (trainer config.json, schema version 1). The tiny model starts from random
 * weights, so its learning rates are those of training from scratch, not the reference's fine-tuning
 * rates for a 2B model (method.md e.1/e.2); everything else follows the reference: linear decay with
 * warmup for SFT, group-normalised GRPO with the clipped objective, β = 0, Hard Recall reward.
 */
export type BenchSize = "full" | "quick";

const MODEL = { image_size: 128, patch_size: 16, d_model: 128, n_heads: 4, encoder_layers: 2, decoder_layers: 3 } as const;

export function benchTrainConfigs(size: BenchSize) {
  const full = size === "full";
  const seed = 7;
  const sftSteps = full ? 450 : 30;
  const grpoSteps = full ? 60 : 4;
  const common = {
    schema_version: 1,
    model: "tiny",
    model_options: MODEL,
    prompt_variant: "closed",
    max_completion_length: 256,
    seed,
    threads: 2,
    log_every: full ? 5 : 1,
  };
  return {
    seed,
    imageSize: 128,
    trainImages: full ? 2000 : 200,
    valImages: full ? 200 : 32,
    sftSteps,
    grpoSteps,
    sft: (train: string, val: string, rewardUrl: string) => ({
      ...common,
      kind: "sft",
      data: { train: [train], eval: [val] },
      batch_size: 32,
      micro_batch_size: 32,
      max_steps: sftSteps,
      optimizer: { lr: 1e-3 },
      schedule: { type: "linear", warmup_ratio: 0.05 },
      reward: { preset: "hard_recall", service_url: rewardUrl },
      eval: { every: full ? 150 : 0, max_images: 32 },
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
      optimizer: { lr: 5e-5 },
      schedule: { type: "linear", warmup_ratio: 0 },
      beta: 0,
      reward: { preset: "hard_recall", service_url: rewardUrl },
      sampling: { temperature: 1.0, top_p: 0.9, top_k: 50 },
      eval: { every: full ? 20 : 0, max_images: 32 },
      rollout_every: full ? 5 : 1,
      checkpoint_every: 0,
      export_onnx: true,
    }),
  };
}
