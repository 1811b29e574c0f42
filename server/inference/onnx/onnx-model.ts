/**
 * The tiny model's ONNX export run by onnxruntime-node (CPU): encoder.onnx once per image batch, then the
 * full-sequence decoder (the export has no KV cache) once per generated token for the whole batch.
 * Decoding follows the trainer's `TinyVLM.generate`: rows that ended keep receiving PAD, generation stops
 * when every row has produced EOS or after min(maxNewTokens, max_positions − prompt length) tokens, and
 * the relationship-id constraint applies when the export's generation_config.json (or the caller) asks.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { z } from "zod";
import { maskedLogits, relationIdConstraint } from "./relation-id-constraint";
import { argmax, sampleToken, type SampleOptions } from "./sampling";
import { SceneGraphTokenizer, tokenizerFileSchema } from "./scene-graph-tokenizer";

export const modelConfigSchema = z.object({
  vocab_size: z.number().int().positive(),
  image_size: z.number().int().positive(),
  patch_size: z.number().int().positive(),
  d_model: z.number().int().positive(),
  max_positions: z.number().int().positive(),
});
export type TinyModelConfig = z.infer<typeof modelConfigSchema>;

/** generation_config.json: the decoding rules the model was trained under (absent in older exports). */
export const generationConfigSchema = z.object({ constrain_relation_ids: z.boolean().default(false) });
export type GenerationConfig = z.infer<typeof generationConfigSchema>;

export interface OnnxModel {
  readonly dir: string;
  readonly config: TinyModelConfig;
  readonly tokenizer: SceneGraphTokenizer;
  readonly generation: GenerationConfig;
  readonly encoder: ort.InferenceSession;
  readonly decoder: ort.InferenceSession;
  release(): Promise<void>;
}

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ")}`);
  return r.data;
}

/** Loads a model folder written by the trainer's export (the folder is assumed checked by resolveModelDir). */
export async function loadOnnxModel(dir: string): Promise<OnnxModel> {
  const config = await readJson(path.join(dir, "model_config.json"), modelConfigSchema);
  const tokenizer = new SceneGraphTokenizer(await readJson(path.join(dir, "tokenizer.json"), tokenizerFileSchema));
  if (tokenizer.vocabSize !== config.vocab_size) {
    throw new Error(`${dir}: tokenizer.json has ${tokenizer.vocabSize} tokens but model_config.json says vocab_size ${config.vocab_size}`);
  }
  const generationFile = path.join(dir, "generation_config.json");
  const generation = existsSync(generationFile) ? await readJson(generationFile, generationConfigSchema) : generationConfigSchema.parse({});
  const options: ort.InferenceSession.SessionOptions = { executionProviders: ["cpu"], graphOptimizationLevel: "all" };
  const encoder = await ort.InferenceSession.create(path.join(dir, "encoder.onnx"), options);
  const decoder = await ort.InferenceSession.create(path.join(dir, "decoder.onnx"), options);
  return {
    dir,
    config,
    tokenizer,
    generation,
    encoder,
    decoder,
    release: async () => {
      await encoder.release();
      await decoder.release();
    },
  };
}

/** Image features for a batch: `pixels` holds B images of [3, S, S] back to back. */
export async function encodeImages(model: OnnxModel, pixels: Float32Array, batch: number): Promise<ort.Tensor> {
  const s = model.config.image_size;
  const out = await model.encoder.run({ pixel_values: new ort.Tensor("float32", pixels, [batch, 3, s, s]) });
  return out.memory!;
}

/** Logits [B, T, V] of the full-sequence decoder for `ids` (B rows of equal length T). */
export async function decodeLogits(model: OnnxModel, ids: readonly (readonly number[])[], memory: ort.Tensor): Promise<ort.Tensor> {
  const b = ids.length;
  const t = ids[0]!.length;
  const flat = new BigInt64Array(b * t);
  ids.forEach((row, i) => row.forEach((v, j) => (flat[i * t + j] = BigInt(v))));
  const out = await model.decoder.run({ input_ids: new ort.Tensor("int64", flat, [b, t]), memory });
  return out.logits!;
}

export interface GenerateOptions {
  readonly system: "plain" | "think";
  readonly variant: "closed" | "open";
  readonly maxNewTokens: number;
  /** Greedy when absent or when the temperature is 0. */
  readonly sample?: SampleOptions & { readonly random: readonly (() => number)[] };
  /** Relationship ends name only listed objects (relation-id-constraint.ts); absent: the model's generation_config.json. */
  readonly constrainRelationIds?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Completion token ids per image (up to and including EOS when one was produced). `pixels` holds the
 * batch's preprocessed images back to back.
 */
export async function generate(model: OnnxModel, pixels: Float32Array, batch: number, o: GenerateOptions): Promise<number[][]> {
  const tok = model.tokenizer;
  const prompt = tok.encodePrompt(o.system, o.variant);
  const limit = Math.min(o.maxNewTokens, model.config.max_positions - prompt.length);
  const memory = await encodeImages(model, pixels, batch);
  const seqs = Array.from({ length: batch }, () => [...prompt]);
  const out: number[][] = Array.from({ length: batch }, () => []);
  const done = new Array<boolean>(batch).fill(false);
  const v = model.config.vocab_size;
  const allowed = (o.constrainRelationIds ?? model.generation.constrain_relation_ids) ? relationIdConstraint(tok) : undefined;
  for (let step = 0; step < limit; step++) {
    o.signal?.throwIfAborted();
    const logits = await decodeLogits(model, seqs, memory);
    const data = logits.data as Float32Array;
    const t = seqs[0]!.length;
    for (let i = 0; i < batch; i++) {
      let offset = (i * t + (t - 1)) * v;
      let row = data;
      const only = done[i] ? undefined : allowed?.(out[i]!);
      if (only) [row, offset] = [maskedLogits(data, offset, v, only), 0];
      let next: number;
      if (done[i]) next = tok.padId;
      else if (o.sample && o.sample.temperature > 0) next = sampleToken(row, offset, v, o.sample, o.sample.random[i]!);
      else next = argmax(row, offset, v);
      seqs[i]!.push(next);
      if (!done[i]) out[i]!.push(next);
      if (next === tok.eosId) done[i] = true;
    }
    if (done.every(Boolean)) break;
  }
  return out;
}
