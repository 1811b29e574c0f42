import { kindDefaults, TRAINER_SCHEMA_VERSION, trainerConfigSchema, type TrainerConfig, type TrainingRunForm } from "./training-config";

export interface TrainerConfigInputs {
  /** Absolute path of the exported training shard (records JSON lines). */
  readonly trainShard: string;
  /** Absolute path of the exported evaluation shard; absent when the run has no evaluation split. */
  readonly evalShard?: string;
  /** Absolute path of the vocabulary file ({"objects", "predicates"}, index 0 = background). */
  readonly vocabFile: string;
  /** The run's reward service, e.g. http://127.0.0.1:41234. */
  readonly rewardUrl: string;
  /** Absolute checkpoint folder to start from (SFT before GRPO); absent: the base model. */
  readonly initCheckpointPath?: string;
  /** For `hf` models: the confined local folder of the model when one exists under the models folder. */
  readonly hfModelPath?: string;
}

/**
 * The trainer's config.json for a validated run form: every setting written out, the kind's reference
 * defaults (method.md e.1 / e.2) filled in where the form left them open, so the file alone says how the
 * run was trained. Pure; the result is checked against `trainerConfigSchema`.
 */
export function buildTrainerConfig(form: TrainingRunForm, inputs: TrainerConfigInputs): TrainerConfig {
  const d = kindDefaults[form.kind];
  const model = form.model.family === "tiny" ? "tiny" : `hf:${inputs.hfModelPath ?? form.model.id}`;
  const config: TrainerConfig = {
    schema_version: TRAINER_SCHEMA_VERSION,
    kind: form.kind,
    model,
    init_checkpoint: inputs.initCheckpointPath ?? null,
    model_options: form.model.family === "tiny" ? { ...form.model.options } : {},
    data: {
      train: [inputs.trainShard],
      eval: inputs.evalShard ? [inputs.evalShard] : [],
      vocab_file: inputs.vocabFile,
      // The shard already holds at most trainLimit images.
      limit: 0,
    },
    prompt_variant: form.promptVariant,
    reward: { preset: form.reward.preset, weights: { ...form.reward.weights }, service_url: inputs.rewardUrl, strict_format: true },
    group_size: form.groupSize,
    prompts_per_step: form.promptsPerStep,
    batch_size: form.batchSize,
    micro_batch_size: form.microBatchSize,
    optimizer: { lr: form.learningRate ?? d.lr, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, max_grad_norm: form.maxGradNorm ?? d.maxGradNorm },
    schedule: { type: form.schedule, warmup_ratio: form.warmupRatio ?? d.warmupRatio },
    beta: form.beta,
    clip_eps: form.clipEps,
    loss_aggregation: "bnpo",
    max_completion_length: form.maxCompletionLength,
    sampling: { temperature: form.sampling.temperature, top_p: form.sampling.topP, top_k: form.sampling.topK },
    max_steps: form.maxSteps,
    epochs: form.epochs ?? d.epochs,
    seed: form.seed,
    checkpoint_every: form.checkpointEvery,
    keep_checkpoints: 0,
    log_every: 1,
    rollout_every: form.kind === "grpo" ? 1 : 0,
    eval: { every: inputs.evalShard ? form.evalEvery : 0, max_images: form.evalImages, max_new_tokens: 0 },
    threads: form.threads,
    export_onnx: form.exportOnnx,
    augment: form.augment,
    think_prompt_ratio: form.thinkPromptRatio,
    constrain_relation_ids: form.constrainRelationIds,
  };
  return trainerConfigSchema.parse(config);
}
