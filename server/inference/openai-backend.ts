import sharp from "sharp";
import { env } from "../env";
import type { DatasetType } from "../scene-graph/types";
import { failedOutcome, type ImageTask, type InferenceBackend, type PredictionOutcome } from "./backend";
import { boxSpaceFor } from "./box-scale";
import type { InferenceSettings, OpenAiBackendSettings } from "./inference-settings";
import { chatCompletion } from "./openai-chat";
import { inferencePrompt } from "./prompts";
import { InferenceSettingsError } from "./settings-error";

/** MIME type of stored image bytes (the store keeps PNG, JPEG and WebP as ingested). */
export function imageMime(b: Uint8Array): string | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8) return "image/jpeg";
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return "image/webp";
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return "image/gif";
  return undefined;
}

/**
 * The OpenAI-compatible backend: one chat completion per image, `settings.concurrency` in flight. The
 * API key comes from the environment at run time (`apiKeySource: "env"`), never from stored settings.
 */
export function createOpenAiBackend(settings: InferenceSettings, datasetType: DatasetType, apiKey: string | undefined = env().models.openaiApiKey): InferenceBackend {
  const b = settings.backend as OpenAiBackendSettings;
  if (!b.baseUrl) throw new InferenceSettingsError("settings.backend.baseUrl", "no base URL in the stored settings");
  if (b.apiKeySource === "env" && !apiKey) throw new InferenceSettingsError("settings.backend.apiKeySource", "SGG_OPENAI_API_KEY is not set in the worker's environment");
  const baseUrl = b.baseUrl;
  const prompt = inferencePrompt(datasetType, settings.prompt.variant, settings.prompt.system);

  async function one(task: ImageTask, signal: AbortSignal): Promise<PredictionOutcome> {
    const space = boxSpaceFor(b.boxScale, task.width, task.height, b);
    if (!task.bytes) return failedOutcome(task, "openai", "no_image", `the split has no image bytes for image ${task.imageKey}`, { boxScale: space.scale });
    let bytes: Uint8Array = task.bytes;
    let mime = imageMime(bytes);
    try {
      if (space.resizeTo) {
        bytes = await sharp(bytes).resize(space.resizeTo.width, space.resizeTo.height, { fit: "fill" }).png().toBuffer();
        mime = "image/png";
      } else if (!mime) {
        bytes = await sharp(bytes).png().toBuffer();
        mime = "image/png";
      }
    } catch (e) {
      return failedOutcome(task, "openai", "no_image", `image ${task.imageKey} does not decode: ${e instanceof Error ? e.message : String(e)}`, { boxScale: space.scale });
    }
    const r = await chatCompletion(
      {
        baseUrl,
        apiKey: b.apiKeySource === "env" ? apiKey : undefined,
        model: b.model,
        system: prompt.system,
        user: prompt.user,
        image: { bytes, mime: mime! },
        sampling: settings.sampling,
        timeoutMs: settings.timeoutMs,
        retries: settings.retries,
        retryDelayMs: settings.retryDelayMs,
      },
      signal,
    );
    if (!r.ok) return failedOutcome(task, "openai", r.kind, r.message, { boxScale: space.scale, latencyMs: r.latencyMs, attempts: r.attempts });
    return {
      imageId: task.imageId,
      response: r.text,
      boxScale: space.scale,
      usage: { backend: "openai", promptTokens: r.promptTokens, completionTokens: r.completionTokens, latencyMs: r.latencyMs, attempts: r.attempts, finishReason: r.finishReason },
    };
  }

  return {
    batchSize: 1,
    concurrency: settings.concurrency,
    predict: (tasks, signal) => Promise.all(tasks.map((t) => one(t, signal))),
    close: async () => {},
  };
}
