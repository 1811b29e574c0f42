/**
 * A first-order estimate of the memory one training process needs, for the run form. Pure: the form
 * imports it and recomputes on every keystroke.
 *
 * Assumptions (bytes; GiB = 2^30 bytes):
 * - Hugging Face models (Qwen2-VL, Qwen2.5-VL) train every parameter in mixed precision: bf16 weights
 *   (2 B/param), bf16 gradients (2 B), AdamW first and second moments in fp32 (8 B) and an fp32 master copy
 *   of the weights (4 B): 16 B per parameter. The tiny model trains in fp32 on the CPU: fp32 weights (4 B),
 *   gradients (4 B) and moments (8 B), no master copy.
 * - Distribution is DDP: every GPU holds a full replica of weights, gradients and optimizer state; only
 *   the data is divided, so the per-GPU figure is one micro-batch and this GPU's share of the sampling.
 *   (ZeRO/FSDP sharding would divide the first three parts by the GPU count; this trainer does not shard.)
 * - Activations of the language model with gradient checkpointing: each layer's input is kept
 *   (L · b · s · h elements) and one layer is recomputed at a time with its full activations, about
 *   17 · b · s · h elements with FlashAttention (Korthikanti et al. 2022: 34·s·b·h bytes at 16 bit, the
 *   attention-score term gone). The vision tower likewise over its patches (4 per merged image token).
 *   Logits are fp32 and kept with their gradient: 8 B per position per vocabulary entry, over every
 *   position for SFT and over the completion only for GRPO. The tiny model has no checkpointing: every
 *   layer's activations plus its attention scores (2.5 · heads · b · s² elements) are kept.
 * - Sequence = image tokens + prompt text + max completion length. Qwen images: one token per 28×28
 *   pixels at the stage's pixel limit (method.md a.5): 512 for GRPO (401,408 px), 1,024 for SFT
 *   (802,816 px). Prompt text including the system prompt and chat template: about 1,100 tokens for the
 *   closed prompt (it lists 150 classes and 50 predicates), 400 for the open one.
 * - GRPO sampling: this trainer samples a step's local prompts at once, so the KV cache holds
 *   ⌈prompts per step / GPUs⌉ · G sequences × sequence length × layers × 2 (K and V) × KV width.
 *   The part is added to the training parts although sampling and the update do not overlap: PyTorch's
 *   caching allocator keeps the blocks, so the sum is the figure to plan with.
 * - β > 0 keeps a frozen reference model: one more copy of the weights.
 * - Each GPU process also needs about 1 GiB for the CUDA context and library workspaces.
 */
import type { TrainingRunForm } from "./training-config";

export const GIB = 2 ** 30;
/** Memory of one GPU the verdict is given against (an 80 GB H100 or A100). */
export const GPU_CAPACITY_GIB = 80;
/** Below this share of the capacity the run fits with room for fragmentation; above it is tight. */
const HEADROOM = 0.9;
const CUDA_RUNTIME_BYTES = GIB;
const PROMPT_TEXT_TOKENS = { closed: 1100, open: 400 } as const;
const IMAGE_TOKENS = { sft: 1024, grpo: 512 } as const;
/** Full activations of one transformer layer per (batch × sequence × hidden) element, FlashAttention. */
const LAYER_ACTIVATION_FACTOR = 17;

export interface ModelSpec {
  label: string;
  params: number;
  hidden: number;
  layers: number;
  heads: number;
  /** Width of the keys (= values) per layer: KV heads × head size. */
  kvHidden: number;
  vocab: number;
  /** The vision tower: hidden size and depth; patches per merged image token. */
  vision: { hidden: number; layers: number; patchesPerToken: number } | null;
}

/** Sizes of the Hugging Face models the workbench knows, from their published configs. */
export const KNOWN_MODELS: readonly { pattern: RegExp; spec: ModelSpec }[] = [
  { pattern: /qwen2-vl-2b/i, spec: { label: "Qwen2-VL-2B", params: 2.21e9, hidden: 1536, layers: 28, heads: 12, kvHidden: 256, vocab: 151936, vision: { hidden: 1280, layers: 32, patchesPerToken: 4 } } },
  { pattern: /qwen2-vl-7b/i, spec: { label: "Qwen2-VL-7B", params: 8.29e9, hidden: 3584, layers: 28, heads: 28, kvHidden: 512, vocab: 152064, vision: { hidden: 1280, layers: 32, patchesPerToken: 4 } } },
  { pattern: /qwen2\.5-vl-3b/i, spec: { label: "Qwen2.5-VL-3B", params: 3.75e9, hidden: 2048, layers: 36, heads: 16, kvHidden: 256, vocab: 151936, vision: { hidden: 1280, layers: 32, patchesPerToken: 4 } } },
  { pattern: /qwen2\.5-vl-7b/i, spec: { label: "Qwen2.5-VL-7B", params: 8.29e9, hidden: 3584, layers: 28, heads: 28, kvHidden: 512, vocab: 152064, vision: { hidden: 1280, layers: 32, patchesPerToken: 4 } } },
];

/** The tiny model's defaults (workers/trainer/sgg_trainer/models/tiny_vlm.py) and fixed sizes. */
export const TINY_DEFAULTS = { image_size: 128, patch_size: 16, d_model: 192, n_heads: 6, encoder_layers: 3, decoder_layers: 4, coord_bins: 101 } as const;
/** The VG150 tokenizer: 7 special + 17 structure + 50 ids + 150 classes + 50 predicates + the coordinate bins. */
const tinyVocab = (coordBins: number) => 274 + coordBins;
const TINY_POSITIONS = 1088;
const TINY_PROMPT_TOKENS = 3;

type TinyOptions = Partial<Record<keyof typeof TINY_DEFAULTS, number>>;

/**
 * Parameters of the tiny model for its options, counted layer by layer as tiny_vlm.py builds it (conv
 * patchify, learned patch positions, pre-norm encoder layers, decoder layers with self- and cross-attention,
 * tied output head, and the projection of the coordinate bins' Fourier features that every new run gets);
 * the default size gives 4,156,224.
 */
export function tinyParameterCount(options: TinyOptions = {}): number {
  const o = { ...TINY_DEFAULTS, ...options };
  const d = o.d_model;
  const patches = (o.image_size / o.patch_size) ** 2;
  const attention = 4 * d * d + 4 * d; // q, kv (2d), o with biases
  const ffn = 8 * d * d + 5 * d; // d → 4d → d with biases
  const encoderLayer = attention + ffn + 4 * d; // two layer norms
  const decoderLayer = 2 * attention + ffn + 6 * d; // three layer norms
  const coordProjection = 32 * d; // 32 Fourier features → d, no bias (tiny_vlm.py coord_proj)
  return (3 * o.patch_size ** 2 * d + d) + patches * d + o.encoder_layers * encoderLayer + 2 * d + tinyVocab(o.coord_bins) * d + coordProjection + TINY_POSITIONS * d + o.decoder_layers * decoderLayer + 2 * d;
}

export type EstimateInput = Pick<TrainingRunForm, "kind" | "model" | "promptVariant" | "groupSize" | "promptsPerStep" | "microBatchSize" | "maxCompletionLength" | "beta" | "gpus">;

export type MemoryPartKey = "weights" | "gradients" | "optimizer" | "reference" | "activations" | "kvCache" | "runtime";

export interface MemoryPart {
  key: MemoryPartKey;
  label: string;
  gib: number;
  /** How the figure was reached, for a tooltip. */
  note: string;
}

export type GpuMemoryEstimate =
  | {
      known: true;
      model: string;
      params: number;
      /** Tokens per sequence: image (or patch memory), prompt text, completion. */
      sequence: { image: number; prompt: number; completion: number };
      parts: MemoryPart[];
      /** Per process: per GPU, or the host for a CPU run. */
      totalGib: number;
      capacityGib: number;
      verdict: "fits" | "tight" | "exceeds" | "cpu";
      message: string;
      warnings: string[];
    }
  | { known: false; message: string };

const gib = (bytes: number) => bytes / GIB;

/** A memory size for people: GiB with one decimal from 1 GiB up, whole MiB below. */
export function formatMemory(gibibytes: number): string {
  if (gibibytes >= 1) return `${gibibytes.toFixed(1)} GiB`;
  const mib = Math.round(gibibytes * 1024);
  return mib >= 1 ? `${mib} MiB` : "under 1 MiB";
}
const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** The size of the model a form names, or null when its Hugging Face id is not one the estimate knows. */
export function modelSpecFor(model: EstimateInput["model"]): ModelSpec | null {
  if (model.family === "hf") return KNOWN_MODELS.find((m) => m.pattern.test(model.id))?.spec ?? null;
  const o = { ...TINY_DEFAULTS, ...model.options };
  return {
    label: `tiny (d ${o.d_model}, ${o.encoder_layers}+${o.decoder_layers} layers)`,
    params: tinyParameterCount(o),
    hidden: o.d_model,
    layers: o.decoder_layers,
    heads: o.n_heads,
    kvHidden: o.d_model,
    vocab: tinyVocab(o.coord_bins),
    vision: null,
  };
}

/**
 * Memory per GPU process for a run form, in GiB, split into weights, gradients, optimizer state, reference
 * model, activations, GRPO sampling KV cache and CUDA runtime, with a verdict against an 80 GB GPU (see
 * the module comment for every assumption). `known: false` for a Hugging Face model of unknown size.
 */
export function estimateGpuMemory(form: EstimateInput): GpuMemoryEstimate {
  const spec = modelSpecFor(form.model);
  if (!spec) {
    const id = form.model.family === "hf" ? form.model.id : "";
    return { known: false, message: `No size is known for "${id}"; the estimate covers Qwen2-VL 2B/7B, Qwen2.5-VL 3B/7B and the tiny model.` };
  }
  const tiny = form.model.family === "tiny";
  const grpo = form.kind === "grpo";
  const warnings: string[] = [];
  const p = spec.params;
  const wb = tiny ? 4 : 2; // bytes per weight, gradient and activation element
  const b = form.microBatchSize;
  const gpus = Math.max(1, form.gpus);

  let completion = form.maxCompletionLength;
  let image: number;
  let prompt: number;
  if (tiny) {
    const o = { ...TINY_DEFAULTS, ...(form.model.family === "tiny" ? form.model.options : {}) };
    image = (o.image_size / o.patch_size) ** 2;
    prompt = TINY_PROMPT_TOKENS;
    if (completion > TINY_POSITIONS - prompt) {
      completion = TINY_POSITIONS - prompt;
      warnings.push(`The tiny model has ${int(TINY_POSITIONS)} positions: completions stop at ${int(completion)} tokens.`);
    }
  } else {
    image = IMAGE_TOKENS[form.kind];
    prompt = PROMPT_TEXT_TOKENS[form.promptVariant];
  }
  // The tiny decoder reads the image through cross-attention, so its sequence is prompt + completion only.
  const seq = (tiny ? 0 : image) + prompt + completion;
  const logitPositions = grpo ? completion : seq;

  const parts: MemoryPart[] = [];
  parts.push({ key: "weights", label: "Weights", gib: gib(p * wb), note: `${int(p)} parameters × ${wb} B (${tiny ? "fp32" : "bf16"})` });
  parts.push({ key: "gradients", label: "Gradients", gib: gib(p * wb), note: `${int(p)} × ${wb} B` });
  const optBytes = tiny ? 8 : 12;
  parts.push({ key: "optimizer", label: "AdamW state", gib: gib(p * optBytes), note: tiny ? "fp32 m and v: 8 B per parameter" : "fp32 m, v and master weights: 12 B per parameter" });
  if (grpo && form.beta > 0) parts.push({ key: "reference", label: "Reference model", gib: gib(p * wb), note: `β = ${form.beta}: a frozen copy of the weights` });

  let actElements: number;
  let actNote: string;
  if (tiny) {
    const o = { ...TINY_DEFAULTS, ...(form.model.family === "tiny" ? form.model.options : {}) };
    const layer = (s: number) => LAYER_ACTIVATION_FACTOR * b * s * spec.hidden + 2.5 * spec.heads * b * s * s;
    actElements = o.encoder_layers * layer(image) + o.decoder_layers * layer(prompt + completion);
    actNote = `no checkpointing: every layer kept, fp32, micro-batch ${b}`;
  } else {
    const text = (spec.layers + LAYER_ACTIVATION_FACTOR) * b * seq * spec.hidden;
    const v = spec.vision!;
    const vision = (v.layers + LAYER_ACTIVATION_FACTOR) * b * image * v.patchesPerToken * v.hidden;
    actElements = text + vision;
    actNote = `checkpointed layer inputs + one recomputed layer, micro-batch ${b} × ${int(seq)} tokens, vision ${int(image * v.patchesPerToken)} patches`;
  }
  const logitBytes = b * logitPositions * spec.vocab * 8;
  parts.push({
    key: "activations",
    label: "Activations",
    gib: gib(actElements * wb + logitBytes),
    note: `${actNote}; fp32 logits and their gradient over ${int(logitPositions)} positions × ${int(spec.vocab)} entries`,
  });

  if (grpo) {
    const sequences = Math.ceil(form.promptsPerStep / gpus) * form.groupSize;
    let kv = sequences * seq * spec.layers * 2 * spec.kvHidden * wb;
    if (tiny) kv += sequences * image * spec.layers * 2 * spec.kvHidden * wb; // cross-attention keys and values
    parts.push({ key: "kvCache", label: "Sampling KV cache", gib: gib(kv), note: `${int(sequences)} sequences (${Math.ceil(form.promptsPerStep / gpus)} prompts × G ${form.groupSize}) × ${int(seq)} tokens × ${spec.layers} layers × 2 × ${spec.kvHidden}` });
  }
  if (form.gpus > 0) parts.push({ key: "runtime", label: "CUDA runtime", gib: gib(CUDA_RUNTIME_BYTES), note: "context and library workspaces, about 1 GiB" });

  const totalGib = parts.reduce((s, x) => s + x.gib, 0);
  let verdict: "fits" | "tight" | "exceeds" | "cpu";
  let message: string;
  const t = formatMemory(totalGib);
  if (form.gpus === 0) {
    verdict = "cpu";
    message = `A CPU run: about ${t} of host memory.`;
  } else if (totalGib <= GPU_CAPACITY_GIB * HEADROOM) {
    verdict = "fits";
    message = `About ${t} per GPU: fits an ${GPU_CAPACITY_GIB} GB GPU.`;
  } else if (totalGib <= GPU_CAPACITY_GIB) {
    verdict = "tight";
    message = `About ${t} per GPU: within ${GPU_CAPACITY_GIB} GB but with little room; a smaller micro-batch is safer.`;
  } else {
    verdict = "exceeds";
    message = `About ${t} per GPU: more than an ${GPU_CAPACITY_GIB} GB GPU holds. Every GPU keeps a full replica (DDP), so more GPUs do not shrink the model parts; lower the micro-batch, the completion length${grpo ? " or the prompts per step" : ""}, or pick a smaller model.`;
  }
  return { known: true, model: spec.label, params: p, sequence: { image, prompt, completion }, parts, totalGib, capacityGib: GPU_CAPACITY_GIB, verdict, message, warnings };
}
