/**
 * Training-run settings at the two boundaries that matter:
 *
 * - `trainingRunFormSchema`: what a person chooses in the run form (and what the `train` job payload
 *   refers to through the stored Run). The form, the API route and the worker all validate with it.
 * - `trainerConfigSchema`: the trainer's `config.json` (workers/trainer/sgg_trainer/config.py, schema
 *   version 1), snake_case as the Python side reads it. Unknown fields fail on both sides.
 *
 * Defaults are the reference's (method.md e.1 for GRPO, e.2 for SFT); lr and gradient clipping depend
 * on the kind and are filled in by `kindDefaults`.
 */
import { z } from "zod";

export const TRAINER_SCHEMA_VERSION = 1;

export const REWARD_FUNCTIONS = ["format", "node_acc", "node_box", "edge_soft", "edge_hard", "edge_hard_relax"] as const;
export const TRAINING_REWARD_PRESETS = ["hard_recall", "hard_recall_relax", "soft_recall"] as const;
export const RUN_KINDS = ["sft", "grpo"] as const;
export type RunKindName = (typeof RUN_KINDS)[number];

/** Kind-dependent reference defaults (method.md e.1 / e.2). */
export const kindDefaults: Record<RunKindName, { lr: number; maxGradNorm: number; warmupRatio: number; epochs: number }> = {
  sft: { lr: 1e-5, maxGradNorm: 0.3, warmupRatio: 0.05, epochs: 3 },
  grpo: { lr: 6e-7, maxGradNorm: 1.0, warmupRatio: 0, epochs: 1 },
};

// A Hugging Face id (`Qwen/Qwen2-VL-2B-Instruct`) or a folder name under the configured model folder;
// never a shell fragment or an absolute path (paths are confined, see server/runs/confine-path.ts).
const hfModelId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/, "expected a model id such as Qwen/Qwen2-VL-2B-Instruct");

const slurmName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, dot, dash and underscore only");

export const tinyModelOptionsSchema = z
  .object({
    image_size: z.number().int().min(16).max(512).optional(),
    patch_size: z.number().int().min(2).max(64).optional(),
    d_model: z.number().int().min(8).max(1024).optional(),
    n_heads: z.number().int().min(1).max(32).optional(),
    encoder_layers: z.number().int().min(1).max(24).optional(),
    decoder_layers: z.number().int().min(1).max(24).optional(),
    /** Coordinate tokens over 0..1000 (the trainer's default 101: a bin every 10). */
    coord_bins: z.number().int().min(2).max(1001).optional(),
  })
  .strict();

export const trainingRunFormSchema = z
  .object({
    name: z.string().trim().min(1, "give the run a name").max(120),
    kind: z.enum(RUN_KINDS),
    /** `tiny` (the project's small model, trains on CPU) or a Hugging Face model. */
    model: z.discriminatedUnion("family", [
      z.object({ family: z.literal("tiny"), options: tinyModelOptionsSchema.default({}) }),
      z.object({ family: z.literal("hf"), id: hfModelId }),
    ]),
    /** Start from this stored checkpoint (SFT before GRPO); absent: the base model. */
    initCheckpointId: z.number().int().positive().optional(),
    splitId: z.number().int().positive(),
    /** Split for the periodic evaluation and for evaluating checkpoints; absent: no evaluation. */
    evalSplitId: z.number().int().positive().optional(),
    /** Use at most this many training images (0: all). */
    trainLimit: z.number().int().min(0).default(0),
    promptVariant: z.enum(["closed", "open"]).default("closed"),
    reward: z
      .object({
        preset: z.enum(TRAINING_REWARD_PRESETS).default("hard_recall"),
        weights: z.partialRecord(z.enum(REWARD_FUNCTIONS), z.number().min(0).max(100)).default({}),
      })
      .default({ preset: "hard_recall", weights: {} }),
    groupSize: z.number().int().min(2).max(64).default(8),
    promptsPerStep: z.number().int().min(1).max(4096).default(32),
    batchSize: z.number().int().min(1).max(4096).default(128),
    microBatchSize: z.number().int().min(1).max(512).default(8),
    /** Absent: the kind's reference default. */
    learningRate: z.number().min(0).max(1).optional(),
    schedule: z.enum(["linear", "constant"]).default("linear"),
    warmupRatio: z.number().min(0).lt(1).optional(),
    maxGradNorm: z.number().positive().max(1000).optional(),
    beta: z.number().min(0).max(10).default(0),
    clipEps: z.number().gt(0).lt(1).default(0.2),
    maxCompletionLength: z.number().int().min(1).max(32768).default(1024),
    sampling: z
      .object({
        temperature: z.number().gt(0).max(10).default(1),
        topP: z.number().gt(0).max(1).default(0.9),
        topK: z.number().int().min(0).max(10000).default(50),
      })
      .default({ temperature: 1, topP: 0.9, topK: 50 }),
    /** 0: derived from epochs and the data size. */
    maxSteps: z.number().int().min(0).max(10_000_000).default(0),
    epochs: z.number().gt(0).max(1000).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
    checkpointEvery: z.number().int().min(0).default(100),
    evalEvery: z.number().int().min(0).default(0),
    evalImages: z.number().int().min(1).max(100_000).default(16),
    /** CPU threads for torch (0: all cores). */
    threads: z.number().int().min(0).max(1024).default(0),
    /** 0: CPU. More than one: torchrun with one process per GPU. */
    gpus: z.number().int().min(0).max(64).default(0),
    launcher: z
      .discriminatedUnion("type", [
        z.object({ type: z.literal("local") }),
        z.object({
          type: z.literal("slurm"),
          partition: slurmName,
          account: slurmName.optional(),
          /** Slurm time limit in minutes. */
          timeMinutes: z.number().int().min(1).max(60 * 24 * 30),
          nodes: z.number().int().min(1).max(1).default(1),
        }),
      ])
      .default({ type: "local" }),
    exportOnnx: z.boolean().default(false),
    /** SFT: shuffle and renumber the objects from an example's second draw on (method.md e.2). */
    augment: z.boolean().default(true),
    /** SFT: the fraction of draws taught under the think system prompt (0 in the reference; see config.py). */
    thinkPromptRatio: z.number().min(0).max(1).default(0),
    /** Tiny model: relationship ends decode among the listed objects only (rollouts, evaluation, the ONNX export). */
    constrainRelationIds: z.boolean().default(false),
  })
  .strict()
  .superRefine((form, ctx) => {
    if (form.constrainRelationIds && form.model.family !== "tiny") {
      ctx.addIssue({ code: "custom", path: ["constrainRelationIds"], message: "only the tiny model decodes with this constraint" });
    }
    if (form.kind === "grpo" && form.promptsPerStep * form.groupSize > 65536) {
      ctx.addIssue({ code: "custom", path: ["promptsPerStep"], message: "prompts per step × group size is over 65,536 completions" });
    }
    if (form.evalEvery > 0 && form.evalSplitId === undefined) {
      ctx.addIssue({ code: "custom", path: ["evalSplitId"], message: "evaluation every N steps needs an evaluation split" });
    }
    if (form.launcher.type === "slurm" && form.gpus === 0) {
      ctx.addIssue({ code: "custom", path: ["gpus"], message: "a Slurm run needs at least one GPU" });
    }
    if (form.model.family === "tiny" && form.gpus > 1) {
      ctx.addIssue({ code: "custom", path: ["gpus"], message: "the tiny model trains on one process" });
    }
  });

export type TrainingRunForm = z.output<typeof trainingRunFormSchema>;
export type TrainingRunFormInput = z.input<typeof trainingRunFormSchema>;

/** The trainer's config.json (snake_case, version 1), as workers/trainer/sgg_trainer/config.py reads it. */
export const trainerConfigSchema = z
  .object({
    kind: z.enum(RUN_KINDS),
    model: z.string().regex(/^(tiny|hf:.+)$/),
    schema_version: z.literal(TRAINER_SCHEMA_VERSION),
    init_checkpoint: z.string().nullable().optional(),
    model_options: z.record(z.string(), z.unknown()).optional(),
    data: z
      .object({
        train: z.array(z.string()).min(1),
        eval: z.array(z.string()).optional(),
        image_root: z.string().nullable().optional(),
        vocab_file: z.string().nullable().optional(),
        limit: z.number().int().min(0).optional(),
      })
      .strict(),
    prompt_variant: z.enum(["closed", "open"]).optional(),
    reward: z
      .object({
        preset: z.enum(TRAINING_REWARD_PRESETS).optional(),
        weights: z.record(z.string(), z.number()).optional(),
        service_url: z.string().url().nullable().optional(),
        strict_format: z.boolean().optional(),
        timeout_s: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    group_size: z.number().int().min(2).optional(),
    prompts_per_step: z.number().int().min(1).optional(),
    batch_size: z.number().int().min(1).optional(),
    micro_batch_size: z.number().int().min(1).optional(),
    optimizer: z
      .object({
        lr: z.number().min(0).nullable().optional(),
        betas: z.tuple([z.number(), z.number()]).optional(),
        eps: z.number().positive().optional(),
        weight_decay: z.number().min(0).optional(),
        max_grad_norm: z.number().positive().nullable().optional(),
      })
      .strict()
      .optional(),
    schedule: z
      .object({ type: z.enum(["linear", "constant"]).optional(), warmup_ratio: z.number().min(0).lt(1).nullable().optional() })
      .strict()
      .optional(),
    beta: z.number().min(0).optional(),
    clip_eps: z.number().gt(0).lt(1).optional(),
    loss_aggregation: z.enum(["bnpo", "grpo", "dr_grpo"]).optional(),
    max_completion_length: z.number().int().min(1).optional(),
    sampling: z
      .object({ temperature: z.number().positive().optional(), top_p: z.number().gt(0).max(1).optional(), top_k: z.number().int().min(0).optional() })
      .strict()
      .optional(),
    max_steps: z.number().int().min(0).optional(),
    epochs: z.number().positive().nullable().optional(),
    seed: z.number().int().optional(),
    checkpoint_every: z.number().int().min(0).optional(),
    keep_checkpoints: z.number().int().min(0).optional(),
    log_every: z.number().int().min(1).optional(),
    rollout_every: z.number().int().min(0).optional(),
    eval: z
      .object({ every: z.number().int().min(0).optional(), max_images: z.number().int().min(1).optional(), max_new_tokens: z.number().int().min(0).optional() })
      .strict()
      .optional(),
    threads: z.number().int().min(0).optional(),
    export_onnx: z.boolean().optional(),
    augment: z.boolean().optional(),
    think_prompt_ratio: z.number().min(0).max(1).optional(),
    constrain_relation_ids: z.boolean().optional(),
  })
  .strict();

export type TrainerConfig = z.infer<typeof trainerConfigSchema>;
