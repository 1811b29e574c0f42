import type { DatasetType } from "../scene-graph/types";
import type { InferenceBackend } from "./backend";
import type { InferenceSettings } from "./inference-settings";
import { createOpenAiBackend } from "./openai-backend";

/**
 * The backend the settings name. onnxruntime-node is loaded only when an ONNX model is asked for, so
 * the web server and OpenAI-only workers never load the native runtime.
 */
export async function createBackend(settings: InferenceSettings, datasetType: DatasetType): Promise<InferenceBackend> {
  if (settings.backend.kind === "openai") return createOpenAiBackend(settings, datasetType);
  const { createOnnxBackend } = await import("./onnx/onnx-backend");
  return createOnnxBackend(settings);
}
