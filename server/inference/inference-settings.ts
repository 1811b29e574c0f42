/**
 * Inference settings of a prediction run: which model answers (an OpenAI-compatible endpoint or a local
 * ONNX export of the tiny model), with which prompt and sampling, how many requests at once, and over
 * how much of the split. Stored on the PredictionSet as parsed here (defaults filled in); the schema
 * has no place for a secret, so none can reach the database or a job payload.
 *
 * API keys: the only key the workbench uses is `SGG_OPENAI_API_KEY` from the worker's (or the CLI's)
 * environment, chosen with `apiKeySource: "env"`, and it is only ever sent to `SGG_OPENAI_BASE_URL`
 * (see resolve-settings.ts), so a form cannot redirect it to another host.
 *
 * Defaults follow method.md e.3 (effectively greedy: temperature 0.01, top_p 0.001, 2,048 new tokens;
 * plain system prompt, closed user prompt).
 */
import { z } from "zod";

/** The model's box space (method.md b.4): Qwen2-VL's 0..1000 grid, Qwen2.5-VL's resized pixels, or fixed. */
export const boxScaleSchema = z.union([
  z.literal("qwen2-vl"),
  z.literal("qwen2.5-vl"),
  z.strictObject({ x: z.number().positive().max(1e6), y: z.number().positive().max(1e6) }),
]);
export type BoxScaleSetting = z.infer<typeof boxScaleSchema>;

export const openaiBackendSchema = z.strictObject({
  kind: z.literal("openai"),
  /** e.g. http://127.0.0.1:8000/v1 (vLLM, SGLang) or a hosted API; absent: SGG_OPENAI_BASE_URL. */
  baseUrl: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }).max(500).optional(),
  model: z.string().trim().min(1, "name the model the server serves").max(200),
  /** `env`: send SGG_OPENAI_API_KEY (only to SGG_OPENAI_BASE_URL); `none`: no Authorization header. */
  apiKeySource: z.enum(["env", "none"]).default("env"),
  boxScale: boxScaleSchema.default("qwen2-vl"),
  /** Pixel limits of the Qwen2.5-VL resize (method.md a.5; inference: 3,136 .. 802,816). */
  minPixels: z.number().int().min(784).max(50_000_000).default(3136),
  maxPixels: z.number().int().min(784).max(50_000_000).default(802_816),
});

export const onnxBackendSchema = z.strictObject({
  kind: z.literal("onnx"),
  /** A folder with encoder.onnx, decoder.onnx, tokenizer.json and model_config.json, inside the models or runs folder. */
  modelDir: z.string().trim().min(1, "name the model folder").max(1000),
  decoding: z.enum(["greedy", "sample"]).default("greedy"),
  /** Relationship ends may name only listed objects; absent: as the model was trained (its generation_config.json). */
  constrainRelationIds: z.boolean().optional(),
  /** Images decoded together (one encoder and one decoder call per step for the whole batch). */
  batchSize: z.number().int().min(1).max(64).default(4),
});

export const backendSchema = z.discriminatedUnion("kind", [openaiBackendSchema, onnxBackendSchema]);

export const promptSchema = z.strictObject({
  /** closed: the dataset vocabulary is listed (VG150 or PSG); open: no lists ("w/o cats."). */
  variant: z.enum(["closed", "open"]).default("closed"),
  /** think: the R1 system prompt (GRPO-trained models); plain: base and SFT models. */
  system: z.enum(["plain", "think"]).default("plain"),
});

export const samplingSchema = z.strictObject({
  temperature: z.number().min(0).max(5).default(0.01),
  topP: z.number().gt(0, "top_p must be above 0").max(1).default(0.001),
  /** Sent as `top_k` only when set (vLLM and SGLang accept it; hosted APIs may not). The ONNX model uses it as is (0 = off). */
  topK: z.number().int().min(0).max(100_000).optional(),
  maxTokens: z.number().int().min(1).max(32_768).default(2048),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
});

export const inferenceSettingsSchema = z.strictObject({
  backend: backendSchema,
  prompt: promptSchema.default({ variant: "closed", system: "plain" }),
  sampling: samplingSchema.default({ temperature: 0.01, topP: 0.001, maxTokens: 2048 }),
  /** Requests in flight at once (OpenAI backend); the ONNX backend batches instead. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Per request, in milliseconds. */
  timeoutMs: z.number().int().min(100).max(3_600_000).default(300_000),
  /** Extra attempts after a failed request (429, 5xx, network error, timeout). */
  retries: z.number().int().min(0).max(10).default(3),
  /** First backoff delay in milliseconds; doubles per attempt (with jitter), capped at 30 s. */
  retryDelayMs: z.number().int().min(0).max(60_000).default(1000),
  /** Only the first N images of the split (by id); absent: all. */
  imageLimit: z.number().int().min(1).optional(),
});

/** Settings as stored: every default filled in. */
export type InferenceSettings = z.infer<typeof inferenceSettingsSchema>;
/** Settings as a form or the CLI sends them: defaults may be left out. */
export type InferenceSettingsInput = z.input<typeof inferenceSettingsSchema>;
export type OpenAiBackendSettings = z.infer<typeof openaiBackendSchema>;
export type OnnxBackendSettings = z.infer<typeof onnxBackendSchema>;

/** What starts a prediction run: a new set on a split, filled by a model with these settings. */
export const createPredictionRunSchema = z.strictObject({
  name: z.string().trim().min(1, "give the prediction set a name").max(200),
  splitId: z.number().int().positive(),
  settings: inferenceSettingsSchema,
});
export type CreatePredictionRunInput = z.input<typeof createPredictionRunSchema>;
