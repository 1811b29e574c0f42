/**
 * What a prediction run asks of a model backend (OpenAI-compatible HTTP or onnxruntime-node): answers
 * for a batch of images, each with its box space and usage, or a per-image failure with its reason.
 */

/** One split image to answer. `bytes` is null when the split was ingested without image bytes. */
export interface ImageTask {
  /** Image row id. */
  readonly imageId: number;
  /** The dataset's own image id. */
  readonly imageKey: string;
  /** Original size in pixels. */
  readonly width: number;
  readonly height: number;
  readonly bytes: Buffer | null;
}

/** Inference details stored in Prediction.usage (JSON). Times in milliseconds. */
export interface PredictionUsage {
  readonly backend: "openai" | "onnx";
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** Duration of the answering request (OpenAI) or of the whole batch the image was decoded in (ONNX). */
  readonly latencyMs: number;
  /** Requests made, retries included. */
  readonly attempts: number;
  readonly finishReason?: string;
  /** Why no answer was obtained (the prediction is then stored with an empty response). */
  readonly error?: { readonly kind: InferenceFailureKind; readonly message: string };
}

/**
 * Why a backend gave no answer for an image (the image is stored as a failed answer with this reason):
 * `timeout` after every retry; `rejected`: the server refused this request (4xx other than 401/403/404/429);
 * `bad_response`: an answer without a message; `no_image`: the split has no bytes for the image or they do
 * not decode.
 */
export type InferenceFailureKind = "timeout" | "rejected" | "bad_response" | "no_image";

export interface PredictionOutcome {
  readonly imageId: number;
  /** The raw answer text; "" when the backend gave none. */
  readonly response: string;
  readonly boxScale: readonly [number, number];
  readonly usage: PredictionUsage;
}

export interface InferenceBackend {
  /** Images handed to one `predict` call. */
  readonly batchSize: number;
  /** `predict` calls in flight at once. */
  readonly concurrency: number;
  /** One outcome per task, in task order. Throws `InferenceUnavailableError` or `InferenceSettingsError`. */
  predict(tasks: readonly ImageTask[], signal: AbortSignal): Promise<PredictionOutcome[]>;
  close(): Promise<void>;
}

/**
 * The model server could not be reached or kept failing (network errors, 429, 5xx) after every retry:
 * nothing about the image is known, so nothing is stored; the job is retried later and resumes.
 */
export class InferenceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InferenceUnavailableError";
  }
}

/** An outcome for an image that got no answer. */
export function failedOutcome(
  task: ImageTask,
  backend: PredictionUsage["backend"],
  kind: InferenceFailureKind,
  message: string,
  extra: { boxScale?: readonly [number, number]; latencyMs?: number; attempts?: number } = {},
): PredictionOutcome {
  return {
    imageId: task.imageId,
    response: "",
    boxScale: extra.boxScale ?? [1000, 1000],
    usage: { backend, latencyMs: extra.latencyMs ?? 0, attempts: extra.attempts ?? 0, error: { kind, message } },
  };
}
