import { describe, expect, it } from "vitest";
import { estimateInput, fieldErrors, initialDraft, toFormInput, validateDraft } from "./run-form-draft";

const filled = () => ({ ...initialDraft(), name: "tiny sft", splitId: "3" });

describe("run form draft", () => {
  it("starts from the schema's defaults and validates once a name and split are chosen", () => {
    const r = validateDraft(filled());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.form).toMatchObject({
      name: "tiny sft", kind: "sft", model: { family: "tiny", options: {} }, splitId: 3, groupSize: 8, promptsPerStep: 32, batchSize: 128,
      microBatchSize: 8, beta: 0, clipEps: 0.2, maxCompletionLength: 1024, sampling: { temperature: 1, topP: 0.9, topK: 50 }, seed: 42,
      launcher: { type: "local" }, exportOnnx: false, augment: true, thinkPromptRatio: 0, constrainRelationIds: false,
    });
    // Kind-dependent fields stay absent so the kind's reference default applies.
    expect(r.form.learningRate).toBeUndefined();
    expect(r.form.evalSplitId).toBeUndefined();
  });

  it("names the missing and malformed fields by their schema path", () => {
    const r = validateDraft({ ...initialDraft(), "model.options.d_model": "abc", "sampling.topP": "1.5", microBatchSize: "" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.name).toBe("give the run a name");
    expect(r.errors.splitId).toBe("choose a training split");
    expect(r.errors["model.options.d_model"]).toBe("enter a number");
    expect(r.errors["sampling.topP"]).toMatch(/1/);
    // An emptied field with a default falls back to it rather than failing.
    expect(r.errors.microBatchSize).toBeUndefined();
  });

  it("carries the schema's cross-field rules", () => {
    const r = validateDraft({ ...filled(), evalEvery: "10", "launcher.type": "slurm", "launcher.partition": "gpu", gpus: "0" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.evalSplitId).toMatch(/evaluation split/);
    expect(r.errors.gpus).toMatch(/GPU/);
  });

  it("builds the Hugging Face, Slurm and reward-weight parts of the input", () => {
    const input = toFormInput({
      ...filled(), kind: "grpo", "model.family": "hf", "model.id": " Qwen/Qwen2-VL-7B-Instruct ", "reward.weights.format": "0.5",
      "launcher.type": "slurm", "launcher.partition": "gpu", "launcher.timeMinutes": "90", gpus: "8", learningRate: "3e-7",
    });
    expect(input).toMatchObject({
      kind: "grpo", model: { family: "hf", id: "Qwen/Qwen2-VL-7B-Instruct" }, reward: { preset: "hard_recall", weights: { format: 0.5 } },
      launcher: { type: "slurm", partition: "gpu", timeMinutes: 90 }, gpus: 8, learningRate: 3e-7,
    });
    expect(input.launcher).not.toHaveProperty("account");
  });

  it("sends the method options, and drops the id constraint when the model is not the tiny one", () => {
    expect(toFormInput({ ...filled(), augment: false, thinkPromptRatio: "0.5", constrainRelationIds: true })).toMatchObject({ augment: false, thinkPromptRatio: 0.5, constrainRelationIds: true });
    expect(toFormInput({ ...filled(), "model.family": "hf", constrainRelationIds: true }).constrainRelationIds).toBe(false);
    const r = validateDraft({ ...filled(), thinkPromptRatio: "2" });
    expect(r.ok ? {} : r.errors).toHaveProperty("thinkPromptRatio");
  });

  it("keeps the first message per field, and unnamed errors under 'form'", () => {
    expect(fieldErrors([{ field: "a", message: "one" }, { field: "a", message: "two" }, { field: "", message: "whole" }])).toEqual({ a: "one", form: "whole" });
  });

  it("feeds the estimate sane numbers while the form is half typed", () => {
    const e = estimateInput({ ...filled(), kind: "grpo", microBatchSize: "x", gpus: "2", "model.options.d_model": "64", "model.options.patch_size": "7" });
    expect(e).toEqual({ kind: "grpo", model: { family: "tiny", options: { d_model: 64 } }, promptVariant: "closed", groupSize: 8, promptsPerStep: 32, microBatchSize: 8, maxCompletionLength: 1024, beta: 0, gpus: 2 });
  });
});
