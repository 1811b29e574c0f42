/**
 * The predict form as text fields (a draft), turned into the create input the server validates with the
 * same schema; errors, from the browser's check or the server's answer, are keyed by draft field so each
 * message sits next to its input.
 */
import { createPredictionRunSchema, type CreatePredictionRunInput } from "@/server/inference/inference-settings";

export type Draft = Record<string, string>;
export type FieldErrors = Record<string, string>;

export interface DraftDefaults {
  /** SGG_OPENAI_BASE_URL, shown as the base URL's default. */
  readonly openaiBaseUrl?: string;
  /** Whether SGG_OPENAI_API_KEY is set (its value never reaches the browser). */
  readonly hasApiKey: boolean;
  readonly onnxModels: readonly string[];
}

export function defaultDraft(d: DraftDefaults): Draft {
  return {
    name: "",
    splitId: "",
    backend: "openai",
    baseUrl: "",
    model: "",
    apiKeySource: d.hasApiKey && d.openaiBaseUrl ? "env" : "none",
    boxScale: "qwen2-vl",
    modelDir: d.onnxModels[0] ?? "",
    decoding: "greedy",
    relationIds: "model",
    batchSize: "4",
    variant: "closed",
    system: "plain",
    temperature: "0.01",
    topP: "0.001",
    topK: "",
    maxTokens: "2048",
    seed: "",
    concurrency: "4",
    timeoutMs: "300000",
    retries: "3",
    imageLimit: "",
  };
}

const NUMERIC = ["splitId", "batchSize", "temperature", "topP", "topK", "maxTokens", "seed", "concurrency", "timeoutMs", "retries", "imageLimit"] as const;

/** A server or schema path (`settings.backend.modelDir`) → the draft field that shows its message. */
export function draftField(path: string): string {
  if (path === "name" || path === "splitId") return path;
  const last = path.split(".").at(-1) ?? "";
  if (path === "settings.backend.minPixels" || path === "settings.backend.maxPixels") return "boxScale";
  if (path === "settings.backend" || path === "settings.backend.kind") return "backend";
  return last in defaultDraft({ hasApiKey: false, onnxModels: [] }) ? last : "form";
}

/** The create input of a draft, or the errors that stop it (empty optional numbers are left out). */
export function draftToInput(d: Draft): { input?: CreatePredictionRunInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const n: Record<string, number | undefined> = {};
  for (const k of NUMERIC) {
    const raw = (d[k] ?? "").trim();
    if (raw === "") continue;
    const v = Number(raw);
    if (!Number.isFinite(v)) errors[k] = "enter a number";
    else n[k] = v;
  }
  if (n.splitId === undefined && !errors.splitId) errors.splitId = "choose a split";
  const backend =
    d.backend === "onnx"
      ? {
          kind: "onnx" as const,
          modelDir: d.modelDir ?? "",
          decoding: d.decoding === "sample" ? ("sample" as const) : ("greedy" as const),
          ...(n.batchSize !== undefined ? { batchSize: n.batchSize } : {}),
          ...(d.relationIds === "constrained" || d.relationIds === "free" ? { constrainRelationIds: d.relationIds === "constrained" } : {}),
        }
      : {
          kind: "openai" as const,
          ...(d.baseUrl?.trim() ? { baseUrl: d.baseUrl.trim() } : {}),
          model: d.model ?? "",
          apiKeySource: d.apiKeySource === "env" ? ("env" as const) : ("none" as const),
          boxScale: d.boxScale === "qwen2.5-vl" ? ("qwen2.5-vl" as const) : ("qwen2-vl" as const),
        };
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const input: CreatePredictionRunInput = {
    name: d.name ?? "",
    splitId: n.splitId ?? 0,
    settings: defined({
      backend,
      prompt: { variant: d.variant === "open" ? "open" : "closed", system: d.system === "think" ? "think" : "plain" },
      sampling: defined({ temperature: n.temperature, topP: n.topP, topK: n.topK, maxTokens: n.maxTokens, seed: n.seed }),
      concurrency: n.concurrency,
      timeoutMs: n.timeoutMs,
      retries: n.retries,
      imageLimit: n.imageLimit,
    }),
  };
  const parsed = createPredictionRunSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = draftField(issue.path.join("."));
      errors[field] ??= issue.message;
    }
  }
  return Object.keys(errors).length ? { errors } : { input, errors };
}

/** Server field errors (`[{ field, message }]`) keyed by draft field. */
export function serverErrors(fields: readonly { field: string; message: string }[], fallback: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of fields) errors[draftField(f.field)] ??= f.message;
  if (!fields.length) errors.form = fallback;
  return errors;
}
