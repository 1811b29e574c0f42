import { describe, expect, it } from "vitest";
import { defaultDraft, draftField, draftToInput, serverErrors } from "./predict-draft";

const base = () => ({ ...defaultDraft({ hasApiKey: false, onnxModels: ["tiny-onnx"] }), name: "run", splitId: "3", model: "Qwen2-VL-7B" });

describe("predict form draft", () => {
  it("turns the default draft into the create input with e.3 defaults and no API key", () => {
    const { input, errors } = draftToInput(base());
    expect(errors).toEqual({});
    expect(input).toEqual({
      name: "run",
      splitId: 3,
      settings: {
        backend: { kind: "openai", model: "Qwen2-VL-7B", apiKeySource: "none", boxScale: "qwen2-vl" },
        prompt: { variant: "closed", system: "plain" },
        sampling: { temperature: 0.01, topP: 0.001, maxTokens: 2048 },
        concurrency: 4,
        timeoutMs: 300000,
        retries: 3,
      },
    });
    expect(defaultDraft({ hasApiKey: true, openaiBaseUrl: "http://x/v1", onnxModels: [] }).apiKeySource).toBe("env");
  });

  it("builds the ONNX backend and leaves empty optional numbers out", () => {
    const { input } = draftToInput({ ...base(), backend: "onnx", batchSize: "2", imageLimit: "10", seed: "" });
    expect(input?.settings.backend).toEqual({ kind: "onnx", modelDir: "tiny-onnx", decoding: "greedy", batchSize: 2 });
    expect(input?.settings.imageLimit).toBe(10);
    expect(input?.settings.sampling).not.toHaveProperty("seed");
  });

  it("leaves the relationship-id rule to the model unless one is chosen", () => {
    const onnx = { ...base(), backend: "onnx" };
    expect(draftToInput(onnx).input?.settings.backend).not.toHaveProperty("constrainRelationIds");
    expect(draftToInput({ ...onnx, relationIds: "constrained" }).input?.settings.backend).toMatchObject({ constrainRelationIds: true });
    expect(draftToInput({ ...onnx, relationIds: "free" }).input?.settings.backend).toMatchObject({ constrainRelationIds: false });
  });

  it("puts each problem next to its field", () => {
    const { input, errors } = draftToInput({ ...base(), name: " ", splitId: "", model: "", temperature: "hot", topP: "0", imageLimit: "-1" });
    expect(input).toBeUndefined();
    expect(errors).toEqual({
      name: "give the prediction set a name",
      splitId: "choose a split",
      model: "name the model the server serves",
      temperature: "enter a number",
      topP: "top_p must be above 0",
      imageLimit: expect.stringContaining(">=1"),
    });
  });

  it("maps the server's field paths onto the form", () => {
    expect(draftField("settings.backend.modelDir")).toBe("modelDir");
    expect(draftField("settings.backend.minPixels")).toBe("boxScale");
    expect(draftField("settings.sampling.topK")).toBe("topK");
    expect(draftField("settings.retries")).toBe("retries");
    expect(draftField("settings")).toBe("form");
    expect(serverErrors([{ field: "name", message: "taken" }], "x")).toEqual({ name: "taken" });
    expect(serverErrors([], "sign in to do this")).toEqual({ form: "sign in to do this" });
  });
});
