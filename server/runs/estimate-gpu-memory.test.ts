import { describe, expect, it } from "vitest";
import { estimateGpuMemory, formatMemory, GIB, tinyParameterCount, type EstimateInput } from "./estimate-gpu-memory";

const qwen2b: EstimateInput = {
  kind: "grpo",
  model: { family: "hf", id: "Qwen/Qwen2-VL-2B-Instruct" },
  promptVariant: "closed",
  groupSize: 8,
  promptsPerStep: 32,
  microBatchSize: 8,
  maxCompletionLength: 1024,
  beta: 0.04,
  gpus: 4,
};

function known(input: EstimateInput) {
  const e = estimateGpuMemory(input);
  if (!e.known) throw new Error(e.message);
  return { ...e, part: (key: string) => e.parts.find((p) => p.key === key)?.gib };
}

describe("tinyParameterCount", () => {
  it("matches the parameter count torch reports for the tiny model", () => {
    // TinyVLM(TinyVLMConfig(vocab_size=375, coord_offset=274, coord_bins=101)) with Debian's torch: what
    // TinyAdapter builds for a new run over the VG150 tokenizer.
    expect(tinyParameterCount()).toBe(4_156_224);
    expect(tinyParameterCount({ d_model: 32, n_heads: 2, encoder_layers: 1, decoder_layers: 1, image_size: 64, patch_size: 16 })).toBe(102_784);
    // The benchmark's size over VG150 with 33 coordinate bins (vocab_size 307, coord_offset 274).
    expect(tinyParameterCount({ image_size: 128, patch_size: 16, d_model: 128, n_heads: 4, encoder_layers: 2, decoder_layers: 3, coord_bins: 33 })).toBe(1_480_064);
  });
});

describe("estimateGpuMemory", () => {
  it("works out GRPO on Qwen2-VL-2B over 4 GPUs by hand", () => {
    const e = known(qwen2b);
    // Sequence: 512 image tokens (401,408 px / 784) + 1,100 closed-prompt tokens + 1,024 completion = 2,636.
    expect(e.sequence).toEqual({ image: 512, prompt: 1100, completion: 1024 });
    expect(e.part("weights")).toBeCloseTo((2.21e9 * 2) / GIB, 9);
    expect(e.part("gradients")).toBeCloseTo((2.21e9 * 2) / GIB, 9);
    expect(e.part("optimizer")).toBeCloseTo((2.21e9 * 12) / GIB, 9);
    expect(e.part("reference")).toBeCloseTo((2.21e9 * 2) / GIB, 9);
    // Text: (28 layers + 17) × 8 × 2,636 × 1,536 × 2 B = 2,915,205,120 B;
    // vision: (32 + 17) × 8 × 2,048 patches × 1,280 × 2 B = 2,055,208,960 B;
    // logits: 8 × 1,024 completion positions × 151,936 × 8 B = 9,957,277,696 B.
    expect(e.part("activations")).toBeCloseTo((2_915_205_120 + 2_055_208_960 + 9_957_277_696) / GIB, 9);
    // 32 prompts / 4 GPUs × G 8 = 64 sequences × 2,636 × 28 layers × 2 × 256 × 2 B = 4,837,081,088 B.
    expect(e.part("kvCache")).toBeCloseTo(4_837_081_088 / GIB, 9);
    expect(e.part("runtime")).toBe(1);
    // 60,618,514,688 B in all ≈ 56.46 GiB: fits an 80 GB GPU.
    expect(e.totalGib).toBeCloseTo(60_618_514_688 / GIB, 9);
    expect(e.verdict).toBe("fits");
    expect(e.message).toBe("About 56.5 GiB per GPU: fits an 80 GB GPU.");
  });

  it("calls a run within 80 GiB but above 90% of it tight", () => {
    // One GPU samples all 32 prompts: 256 sequences → 19,348,324,352 B of KV cache; micro-batch 12:
    // 4,372,807,680 + 3,082,813,440 + 14,935,916,544 B of activations; no reference model (β = 0).
    const e = known({ ...qwen2b, gpus: 1, microBatchSize: 12, beta: 0 });
    expect(e.part("reference")).toBeUndefined();
    expect(e.part("kvCache")).toBeCloseTo(19_348_324_352 / GIB, 9);
    expect(e.totalGib).toBeCloseTo((2.21e9 * 16 + 22_391_537_664 + 19_348_324_352 + GIB) / GIB, 9);
    expect(e.totalGib).toBeGreaterThan(72);
    expect(e.verdict).toBe("tight");
  });

  it("says a 7B SFT does not fit when every GPU holds a full replica", () => {
    const e = known({ ...qwen2b, kind: "sft", model: { family: "hf", id: "Qwen/Qwen2-VL-7B-Instruct" }, microBatchSize: 2 });
    // SFT: no sampling cache and no reference model, whatever β says; 1,024 image tokens at 802,816 px.
    expect(e.parts.map((p) => p.key)).toEqual(["weights", "gradients", "optimizer", "activations", "runtime"]);
    expect(e.part("weights")! + e.part("gradients")! + e.part("optimizer")!).toBeCloseTo((8.29e9 * 16) / GIB, 9);
    // Sequence 1,024 + 1,100 + 1,024 = 3,148; logits over every position: 2 × 3,148 × 152,064 × 8 B.
    const text = 45 * 2 * 3148 * 3584 * 2;
    const vision = 49 * 2 * 4096 * 1280 * 2;
    const logits = 2 * 3148 * 152064 * 8;
    expect(e.part("activations")).toBeCloseTo((text + vision + logits) / GIB, 9);
    expect(e.verdict).toBe("exceeds");
    expect(e.message).toMatch(/replica/);
  });

  it("divides only the sampling cache when GPUs are added", () => {
    const one = known({ ...qwen2b, gpus: 1 });
    const eight = known({ ...qwen2b, gpus: 8 });
    expect(eight.part("weights")).toBe(one.part("weights"));
    expect(eight.part("activations")).toBe(one.part("activations"));
    expect(eight.part("kvCache")! * 8).toBeCloseTo(one.part("kvCache")!, 9);
  });

  it("uses the open prompt's shorter text and knows the Qwen2.5 sizes", () => {
    expect(known({ ...qwen2b, promptVariant: "open" }).sequence.prompt).toBe(400);
    expect(known({ ...qwen2b, model: { family: "hf", id: "Qwen/Qwen2.5-VL-3B-Instruct" } }).params).toBe(3.75e9);
    expect(known({ ...qwen2b, model: { family: "hf", id: "qwen2.5-vl-7b-local" } }).model).toBe("Qwen2.5-VL-7B");
  });

  it("estimates a tiny CPU run in fp32 host memory", () => {
    const e = known({ ...qwen2b, kind: "sft", model: { family: "tiny", options: {} }, gpus: 0, beta: 0 });
    expect(e.verdict).toBe("cpu");
    expect(e.message).toBe("A CPU run: about 2.4 GiB of host memory.");
    expect(e.part("runtime")).toBeUndefined();
    expect(e.part("weights")).toBeCloseTo((4_156_224 * 4) / GIB, 12);
    expect(e.part("optimizer")).toBeCloseTo((4_156_224 * 8) / GIB, 12);
    // Encoder: 3 × (17·8·64·192 + 2.5·6·8·64²) = 6,488,064 elements; decoder over 3 + 1,024 tokens:
    // 4 × (17·8·1,027·192 + 2.5·6·8·1,027²) = 613,538,016; fp32, plus logits 8 × 1,027 × 375 × 8 B.
    expect(e.part("activations")).toBeCloseTo(((6_488_064 + 613_538_016) * 4 + 8 * 1027 * 375 * 8) / GIB, 12);
  });

  it("caps the tiny model's completion at its positions, with a warning", () => {
    const e = known({ ...qwen2b, model: { family: "tiny", options: { d_model: 32, n_heads: 2 } }, maxCompletionLength: 4096, gpus: 1 });
    expect(e.sequence.completion).toBe(1085);
    expect(e.warnings[0]).toMatch(/1,088 positions/);
  });

  it("declines a model of unknown size, naming it", () => {
    const e = estimateGpuMemory({ ...qwen2b, model: { family: "hf", id: "llava-hf/llava-1.5-7b-hf" } });
    expect(e).toEqual({ known: false, message: expect.stringContaining("llava-hf/llava-1.5-7b-hf") });
  });
});

describe("formatMemory", () => {
  it("switches to MiB below 1 GiB", () => {
    expect(formatMemory(56.455)).toBe("56.5 GiB");
    expect(formatMemory(0.25)).toBe("256 MiB");
    expect(formatMemory(0.0001)).toBe("under 1 MiB");
  });
});
