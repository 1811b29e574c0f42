import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildTrainerConfig } from "./build-trainer-config";
import { TRAINER_DIR } from "./trainer-command";
import { trainingRunFormSchema, type TrainingRunFormInput } from "./training-config";

const inputs = { trainShard: "/runs/1-a/data/train.jsonl", vocabFile: "/runs/1-a/data/vocab.json", rewardUrl: "http://127.0.0.1:40001" };
const form = (f: Partial<TrainingRunFormInput> = {}) => trainingRunFormSchema.parse({ name: "r", kind: "grpo", model: { family: "tiny" }, splitId: 1, ...f });

/** What the Python trainer makes of a config (sgg_trainer.config.parse_config), or its error. */
function pythonReads(config: unknown): { ok: boolean; out: string } {
  const code = "import json,sys\nfrom sgg_trainer.config import parse_config\nc=parse_config(json.loads(sys.stdin.read()))\nprint(json.dumps({'lr':c.lr,'clip':c.max_grad_norm,'warmup':c.warmup_ratio,'epochs':c.num_epochs,'kind':c.kind,'model':c.model,'augment':c.augment,'think':c.think_prompt_ratio,'constrain':c.constrain_relation_ids}))";
  try {
    return { ok: true, out: execFileSync("/usr/bin/python3", ["-c", code], { input: JSON.stringify(config), env: { ...process.env, PYTHONPATH: TRAINER_DIR } }).toString() };
  } catch (e) {
    return { ok: false, out: String((e as { stderr?: Buffer }).stderr ?? e) };
  }
}

describe("buildTrainerConfig", () => {
  it("writes out the reference GRPO defaults and the run's inputs", () => {
    const c = buildTrainerConfig(form(), inputs);
    expect(c).toMatchObject({
      schema_version: 1,
      kind: "grpo",
      model: "tiny",
      init_checkpoint: null,
      data: { train: [inputs.trainShard], eval: [], vocab_file: inputs.vocabFile, limit: 0 },
      reward: { preset: "hard_recall", weights: {}, service_url: inputs.rewardUrl, strict_format: true },
      group_size: 8,
      prompts_per_step: 32,
      optimizer: { lr: 6e-7, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, max_grad_norm: 1 },
      schedule: { type: "linear", warmup_ratio: 0 },
      beta: 0,
      clip_eps: 0.2,
      loss_aggregation: "bnpo",
      max_completion_length: 1024,
      sampling: { temperature: 1, top_p: 0.9, top_k: 50 },
      epochs: 1,
      seed: 42,
      checkpoint_every: 100,
      rollout_every: 1,
      eval: { every: 0, max_images: 16 },
    });
  });

  it("uses the SFT defaults for SFT and the form's values where given", () => {
    const c = buildTrainerConfig(form({ kind: "sft", learningRate: 2e-4, maxGradNorm: 2, warmupRatio: 0.1, epochs: 2, evalEvery: 5, evalSplitId: 3, evalImages: 8, trainLimit: 100, model: { family: "tiny", options: { d_model: 32 } } }), {
      ...inputs,
      evalShard: "/runs/1-a/data/eval.jsonl",
      initCheckpointPath: "/runs/0-s/checkpoints/step-00000100",
    });
    expect(c).toMatchObject({
      kind: "sft",
      init_checkpoint: "/runs/0-s/checkpoints/step-00000100",
      model_options: { d_model: 32 },
      data: { eval: ["/runs/1-a/data/eval.jsonl"], limit: 0 },
      optimizer: { lr: 2e-4, max_grad_norm: 2 },
      schedule: { warmup_ratio: 0.1 },
      epochs: 2,
      rollout_every: 0,
      eval: { every: 5, max_images: 8 },
    });
    const d = buildTrainerConfig(form({ kind: "sft" }), inputs);
    expect([d.optimizer!.lr, d.optimizer!.max_grad_norm, d.schedule!.warmup_ratio, d.epochs]).toEqual([1e-5, 0.3, 0.05, 3]);
  });

  it("names Hugging Face models by id, or by their local folder when one exists", () => {
    const hf = form({ model: { family: "hf", id: "Qwen/Qwen2-VL-2B-Instruct" } });
    expect(buildTrainerConfig(hf, inputs)).toMatchObject({ model: "hf:Qwen/Qwen2-VL-2B-Instruct", model_options: {} });
    expect(buildTrainerConfig(hf, { ...inputs, hfModelPath: "/models/Qwen/Qwen2-VL-2B-Instruct" }).model).toBe("hf:/models/Qwen/Qwen2-VL-2B-Instruct");
  });

  it.skipIf(!existsPython())("is accepted by the Python trainer's own config check, with the same defaults", () => {
    for (const kind of ["sft", "grpo"] as const) {
      const r = pythonReads(buildTrainerConfig(form({ kind, evalEvery: 2, evalSplitId: 2 }), { ...inputs, evalShard: "/e.jsonl" }));
      expect(r.ok, r.out).toBe(true);
      const got = JSON.parse(r.out);
      const method = { augment: true, think: 0, constrain: false };
      expect(got).toEqual(kind === "sft" ? { lr: 1e-5, clip: 0.3, warmup: 0.05, epochs: 3, kind, model: "tiny", ...method } : { lr: 6e-7, clip: 1, warmup: 0, epochs: 1, kind, model: "tiny", ...method });
    }
  });

  it.skipIf(!existsPython())("carries the method options (augmentation, think-prompt ratio, id constraint) to the trainer", () => {
    const r = pythonReads(buildTrainerConfig(form({ kind: "sft", augment: false, thinkPromptRatio: 0.5, constrainRelationIds: true }), inputs));
    expect(r.ok, r.out).toBe(true);
    expect(JSON.parse(r.out)).toMatchObject({ augment: false, think: 0.5, constrain: true });
  });

  it("refuses the id constraint for Hugging Face models and a ratio outside [0, 1]", () => {
    const hf = trainingRunFormSchema.safeParse({ name: "r", kind: "grpo", model: { family: "hf", id: "Qwen/Qwen2-VL-2B-Instruct" }, splitId: 1, constrainRelationIds: true });
    expect(hf.success ? [] : hf.error.issues.map((i) => i.path.join("."))).toEqual(["constrainRelationIds"]);
    const ratio = trainingRunFormSchema.safeParse({ name: "r", kind: "sft", model: { family: "tiny" }, splitId: 1, thinkPromptRatio: 1.5 });
    expect(ratio.success ? [] : ratio.error.issues.map((i) => i.path.join("."))).toEqual(["thinkPromptRatio"]);
  });
});

function existsPython(): boolean {
  try {
    execFileSync("/usr/bin/python3", ["-c", "pass"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
