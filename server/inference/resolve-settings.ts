import { env, type Env } from "../env";
import type { InferenceSettings } from "./inference-settings";
import { resolveModelDir } from "./model-dir";
import { InferenceSettingsError } from "./settings-error";

function origin(url: string): string {
  return new URL(url).origin;
}

/**
 * Checks what the schema cannot: a base URL exists (given or SGG_OPENAI_BASE_URL), the environment key
 * is configured when asked for and is only sent to the configured endpoint's origin, the Qwen2.5-VL pixel
 * limits are ordered, and an ONNX model folder exists inside the allowed folders. Returns the settings
 * with the base URL and the model folder resolved (what the run will really use, and what is stored).
 * Throws `InferenceSettingsError` naming the field.
 */
export async function resolveInferenceSettings(settings: InferenceSettings, config: Env = env()): Promise<InferenceSettings> {
  const b = settings.backend;
  if (b.kind === "onnx") {
    const modelDir = await resolveModelDir(b.modelDir, [config.models.modelsDir, config.workers.runsDir]);
    return { ...settings, backend: { ...b, modelDir } };
  }
  const baseUrl = b.baseUrl ?? config.models.openaiBaseUrl;
  if (!baseUrl) throw new InferenceSettingsError("settings.backend.baseUrl", "give the server's base URL (e.g. http://127.0.0.1:8000/v1); SGG_OPENAI_BASE_URL is not set");
  if (b.apiKeySource === "env") {
    if (!config.models.openaiApiKey) {
      throw new InferenceSettingsError("settings.backend.apiKeySource", 'SGG_OPENAI_API_KEY is not set on this workbench; choose "none" for a server without a key');
    }
    // The key belongs to the configured endpoint: never hand it to a host named in a form.
    if (!config.models.openaiBaseUrl || origin(config.models.openaiBaseUrl) !== origin(baseUrl)) {
      throw new InferenceSettingsError(
        "settings.backend.apiKeySource",
        `the workbench's API key is only sent to SGG_OPENAI_BASE_URL (${config.models.openaiBaseUrl ?? "not set"}); choose "none" for ${origin(baseUrl)}`,
      );
    }
  }
  if (b.boxScale === "qwen2.5-vl" && b.minPixels > b.maxPixels) {
    throw new InferenceSettingsError("settings.backend.minPixels", `min pixels (${b.minPixels}) exceed max pixels (${b.maxPixels})`);
  }
  return { ...settings, backend: { ...b, baseUrl: baseUrl.replace(/\/+$/, "") } };
}
