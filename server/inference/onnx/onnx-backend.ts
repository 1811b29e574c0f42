import { failedOutcome, type ImageTask, type InferenceBackend, type PredictionOutcome } from "../backend";
import type { InferenceSettings, OnnxBackendSettings } from "../inference-settings";
import { resolveModelDir } from "../model-dir";
import { InferenceSettingsError } from "../settings-error";
import { generate, loadOnnxModel } from "./onnx-model";
import { imageToPixels } from "./preprocess";
import { imageRng } from "./sampling";

/** The tiny model's box space: the 0..1000 grid (TinyAdapter.box_scale). */
const BOX_SCALE = [1000, 1000] as const;

/**
 * The local backend: the tiny model's ONNX export on onnxruntime-node, `batchSize` images decoded
 * together, one batch at a time (the runtime already uses every core). Sampling draws from a PRNG
 * seeded by (seed, image id), so an answer does not depend on which batch the image landed in.
 */
export async function createOnnxBackend(settings: InferenceSettings): Promise<InferenceBackend> {
  const b = settings.backend as OnnxBackendSettings;
  const dir = await resolveModelDir(b.modelDir);
  let model: Awaited<ReturnType<typeof loadOnnxModel>>;
  try {
    model = await loadOnnxModel(dir);
  } catch (e) {
    throw new InferenceSettingsError("settings.backend.modelDir", `cannot load the model in ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const size = model.config.image_size;
  const s = settings.sampling;

  async function predict(tasks: readonly ImageTask[], signal: AbortSignal): Promise<PredictionOutcome[]> {
    const outcomes: (PredictionOutcome | undefined)[] = new Array(tasks.length);
    const ready: { index: number; task: ImageTask; pixels: Float32Array }[] = [];
    for (const [index, task] of tasks.entries()) {
      if (!task.bytes) {
        outcomes[index] = failedOutcome(task, "onnx", "no_image", `the split has no image bytes for image ${task.imageKey}`, { boxScale: BOX_SCALE });
        continue;
      }
      try {
        ready.push({ index, task, pixels: await imageToPixels(task.bytes, size) });
      } catch (e) {
        outcomes[index] = failedOutcome(task, "onnx", "no_image", `image ${task.imageKey} does not decode: ${e instanceof Error ? e.message : String(e)}`, { boxScale: BOX_SCALE });
      }
    }
    if (ready.length) {
      const pixels = new Float32Array(ready.length * 3 * size * size);
      ready.forEach((r, i) => pixels.set(r.pixels, i * 3 * size * size));
      const t0 = performance.now();
      const sampling = b.decoding === "sample" && s.temperature > 0;
      const ids = await generate(model, pixels, ready.length, {
        system: settings.prompt.system,
        variant: settings.prompt.variant,
        maxNewTokens: s.maxTokens,
        sample: sampling ? { temperature: s.temperature, topP: s.topP, topK: s.topK ?? 0, random: ready.map((r) => imageRng(s.seed ?? 0, r.task.imageId)) } : undefined,
        constrainRelationIds: b.constrainRelationIds,
        signal,
      });
      const latencyMs = Math.round(performance.now() - t0);
      ready.forEach((r, i) => {
        const completion = ids[i]!;
        outcomes[r.index] = {
          imageId: r.task.imageId,
          response: model.tokenizer.decode(completion),
          boxScale: BOX_SCALE,
          usage: {
            backend: "onnx",
            promptTokens: 3,
            completionTokens: completion.length,
            latencyMs,
            attempts: 1,
            finishReason: completion.at(-1) === model.tokenizer.eosId ? "stop" : "length",
          },
        };
      });
    }
    return outcomes as PredictionOutcome[];
  }

  return { batchSize: b.batchSize, concurrency: 1, predict, close: () => model.release() };
}
