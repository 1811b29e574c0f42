/**
 * The run form's state: every input's text (or checkbox) keyed by the dotted path of its field in
 * `trainingRunFormSchema` ("model.options.d_model", "launcher.partition"), so the schema's issues and the
 * server's field errors land next to the input with the same key. Defaults come from the schema itself.
 */
import { z } from "zod";
import type { EstimateInput } from "@/server/runs/estimate-gpu-memory";
import { REWARD_FUNCTIONS, trainingRunFormSchema, type TrainingRunForm, type TrainingRunFormInput } from "@/server/runs/training-config";

export type Draft = Record<string, string | boolean>;
export type FieldErrors = Record<string, string>;

export const TINY_OPTION_KEYS = ["image_size", "patch_size", "d_model", "n_heads", "encoder_layers", "decoder_layers", "coord_bins"] as const;

/** The schema's defaults: what a form that names only the required fields becomes. */
export function schemaDefaults(): TrainingRunForm {
  return trainingRunFormSchema.parse({ name: "run", kind: "sft", model: { family: "tiny" }, splitId: 1 });
}

/** A fresh form: the schema's defaults as input text; kind-dependent optional fields left empty. */
export function initialDraft(): Draft {
  const d = schemaDefaults();
  const draft: Draft = {
    name: "",
    kind: d.kind,
    "model.family": "tiny",
    "model.id": "Qwen/Qwen2-VL-2B-Instruct",
    initCheckpointId: "",
    splitId: "",
    evalSplitId: "",
    trainLimit: String(d.trainLimit),
    promptVariant: d.promptVariant,
    "reward.preset": d.reward.preset,
    groupSize: String(d.groupSize),
    promptsPerStep: String(d.promptsPerStep),
    batchSize: String(d.batchSize),
    microBatchSize: String(d.microBatchSize),
    learningRate: "",
    schedule: d.schedule,
    warmupRatio: "",
    maxGradNorm: "",
    beta: String(d.beta),
    clipEps: String(d.clipEps),
    maxCompletionLength: String(d.maxCompletionLength),
    "sampling.temperature": String(d.sampling.temperature),
    "sampling.topP": String(d.sampling.topP),
    "sampling.topK": String(d.sampling.topK),
    maxSteps: String(d.maxSteps),
    epochs: "",
    seed: String(d.seed),
    checkpointEvery: String(d.checkpointEvery),
    evalEvery: String(d.evalEvery),
    evalImages: String(d.evalImages),
    threads: String(d.threads),
    gpus: String(d.gpus),
    "launcher.type": d.launcher.type,
    "launcher.partition": "",
    "launcher.account": "",
    "launcher.timeMinutes": "240",
    exportOnnx: d.exportOnnx,
    augment: d.augment,
    thinkPromptRatio: String(d.thinkPromptRatio),
    constrainRelationIds: d.constrainRelationIds,
  };
  for (const k of TINY_OPTION_KEYS) draft[`model.options.${k}`] = "";
  for (const f of REWARD_FUNCTIONS) draft[`reward.weights.${f}`] = "";
  return draft;
}

const text = (draft: Draft, key: string) => {
  const v = draft[key];
  return typeof v === "string" ? v.trim() : "";
};

/** A number input: empty is absent, anything else goes to the schema as a number (NaN fails there, named). */
const num = (draft: Draft, key: string): number | undefined => {
  const s = text(draft, key);
  return s === "" ? undefined : Number(s);
};

function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The draft as the schema's input: what the client validates and what is POSTed. */
export function toFormInput(draft: Draft): TrainingRunFormInput {
  const tiny = text(draft, "model.family") === "tiny";
  const options: Record<string, number | undefined> = {};
  for (const k of TINY_OPTION_KEYS) options[k] = num(draft, `model.options.${k}`);
  const weights: Record<string, number | undefined> = {};
  for (const f of REWARD_FUNCTIONS) weights[f] = num(draft, `reward.weights.${f}`);
  const slurm = text(draft, "launcher.type") === "slurm";
  return defined({
    name: text(draft, "name"),
    kind: text(draft, "kind") as TrainingRunFormInput["kind"],
    model: tiny ? { family: "tiny" as const, options: defined(options) } : { family: "hf" as const, id: text(draft, "model.id") },
    initCheckpointId: num(draft, "initCheckpointId"),
    splitId: num(draft, "splitId") as number,
    evalSplitId: num(draft, "evalSplitId"),
    trainLimit: num(draft, "trainLimit"),
    promptVariant: text(draft, "promptVariant") as "closed" | "open",
    reward: { preset: text(draft, "reward.preset") as TrainingRunForm["reward"]["preset"], weights: defined(weights) },
    groupSize: num(draft, "groupSize"),
    promptsPerStep: num(draft, "promptsPerStep"),
    batchSize: num(draft, "batchSize"),
    microBatchSize: num(draft, "microBatchSize"),
    learningRate: num(draft, "learningRate"),
    schedule: text(draft, "schedule") as "linear" | "constant",
    warmupRatio: num(draft, "warmupRatio"),
    maxGradNorm: num(draft, "maxGradNorm"),
    beta: num(draft, "beta"),
    clipEps: num(draft, "clipEps"),
    maxCompletionLength: num(draft, "maxCompletionLength"),
    sampling: defined({ temperature: num(draft, "sampling.temperature"), topP: num(draft, "sampling.topP"), topK: num(draft, "sampling.topK") }),
    maxSteps: num(draft, "maxSteps"),
    epochs: num(draft, "epochs"),
    seed: num(draft, "seed"),
    checkpointEvery: num(draft, "checkpointEvery"),
    evalEvery: num(draft, "evalEvery"),
    evalImages: num(draft, "evalImages"),
    threads: num(draft, "threads"),
    gpus: num(draft, "gpus"),
    launcher: slurm
      ? defined({ type: "slurm" as const, partition: text(draft, "launcher.partition"), account: text(draft, "launcher.account") || undefined, timeMinutes: num(draft, "launcher.timeMinutes") as number })
      : { type: "local" as const },
    exportOnnx: draft.exportOnnx === true,
    augment: draft.augment !== false,
    thinkPromptRatio: num(draft, "thinkPromptRatio"),
    constrainRelationIds: tiny && draft.constrainRelationIds === true,
  });
}

/** The schema's type errors in plain words: an empty input is missing, a non-number is not a number. */
function message(issue: z.core.$ZodIssue, key: string, draft: Draft): string {
  if (issue.code !== "invalid_type" || !(key in draft)) return issue.message;
  if (text(draft, key) === "") return key === "splitId" ? "choose a training split" : "required";
  return issue.expected === "number" ? "enter a number" : issue.message;
}

/** Validates with the same schema as the server; the parsed form, or the first message per field. */
export function validateDraft(draft: Draft): { ok: true; form: TrainingRunForm } | { ok: false; errors: FieldErrors } {
  const r = trainingRunFormSchema.safeParse(toFormInput(draft));
  if (r.success) return { ok: true, form: r.data };
  return {
    ok: false,
    errors: fieldErrors(
      r.error.issues.map((i) => {
        const field = i.path.map(String).join(".");
        return { field, message: message(i, field, draft) };
      }),
    ),
  };
}

/** Field errors as a map, the first message per field winning (the server sends the same shape). */
export function fieldErrors(list: readonly { field: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const f of list) out[f.field || "form"] ??= f.message;
  return out;
}

/** What the memory estimate needs, read from a draft that may not validate yet: bad numbers fall back to defaults. */
export function estimateInput(draft: Draft): EstimateInput {
  const d = schemaDefaults();
  const pick = (key: string, fallback: number) => {
    const n = num(draft, key);
    return n !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  const positive = (key: string, fallback: number) => Math.max(1, pick(key, fallback));
  const options: Record<string, number> = {};
  for (const k of TINY_OPTION_KEYS) {
    const n = num(draft, `model.options.${k}`);
    if (n !== undefined && Number.isInteger(n) && n > 0) options[k] = n;
  }
  // A patch that does not divide the image is the schema's to report; the estimate keeps the default pair.
  if ((options.image_size ?? 128) % (options.patch_size ?? 16) !== 0) {
    delete options.patch_size;
    delete options.image_size;
  }
  return {
    kind: text(draft, "kind") === "grpo" ? "grpo" : "sft",
    model: text(draft, "model.family") === "tiny" ? { family: "tiny", options } : { family: "hf", id: text(draft, "model.id") },
    promptVariant: text(draft, "promptVariant") === "open" ? "open" : "closed",
    groupSize: positive("groupSize", d.groupSize),
    promptsPerStep: positive("promptsPerStep", d.promptsPerStep),
    microBatchSize: positive("microBatchSize", d.microBatchSize),
    maxCompletionLength: positive("maxCompletionLength", d.maxCompletionLength),
    beta: pick("beta", d.beta),
    gpus: Math.floor(pick("gpus", d.gpus)),
  };
}
