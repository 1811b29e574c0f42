/**
 * The demo's recorded training runs: the SFT and GRPO runs that made the shipped tiny model
 * (data/demo-model, written by `npm run bench:train -- --ship`), replayed into the database through the
 * same recorder the train job uses, so run pages, curves, rollouts and checkpoints work on a fresh start.
 * Each run's final checkpoint gets the greedy predictions it made on the val split, evaluated; the
 * weights themselves are not shipped (the ONNX export of the GRPO model is).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { PrismaClient } from "../db/generated/client";
import { evaluatePredictionSet } from "../evaluation/evaluate-prediction-set";
import { importPredictions } from "../predictions/import-predictions";
import { recordTrainerLine, type EventTarget } from "../runs/record-trainer-event";
import { TINY_MODEL } from "../runs/run-model";
import { tinyModelOptionsSchema, trainingRunFormSchema, type TrainingRunForm } from "../runs/training-config";

/** How to render the same synthetic splits again (written by the bench beside the model). */
export const demoDatasetSchema = z.object({
  seed: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  trainImages: z.number().int().min(1),
  valImages: z.number().int().min(1),
  classes: z.array(z.string()).optional(),
  maxObjects: z.number().int().min(1).optional(),
  minRelations: z.number().int().min(0).optional(),
  ids: z.enum(["per-class", "running"]).optional(),
});
export type DemoDataset = z.infer<typeof demoDatasetSchema>;

const trainerConfigLike = z.looseObject({
  kind: z.enum(["sft", "grpo"]),
  model_options: z.record(z.string(), z.unknown()).optional(),
  group_size: z.number().optional(),
  prompts_per_step: z.number().optional(),
  batch_size: z.number().optional(),
  micro_batch_size: z.number().optional(),
  optimizer: z.looseObject({ lr: z.number().nullable().optional(), max_grad_norm: z.number().nullable().optional() }).optional(),
  schedule: z.looseObject({ type: z.enum(["linear", "constant"]).optional(), warmup_ratio: z.number().nullable().optional() }).optional(),
  beta: z.number().optional(),
  max_completion_length: z.number().optional(),
  max_steps: z.number().optional(),
  seed: z.number().optional(),
  reward: z.looseObject({ preset: z.enum(["hard_recall", "hard_recall_relax", "soft_recall"]).optional() }).optional(),
  sampling: z.looseObject({ temperature: z.number().optional(), top_p: z.number().optional(), top_k: z.number().optional() }).optional(),
  eval: z.looseObject({ every: z.number().optional(), max_images: z.number().optional() }).optional(),
});

/** The run form that corresponds to a recorded trainer config (what the run page shows as its settings). */
export function formFromTrainerConfig(name: string, raw: unknown, splitId: number, evalSplitId: number): TrainingRunForm {
  const c = trainerConfigLike.parse(raw);
  const known = Object.keys(tinyModelOptionsSchema.shape);
  const options = Object.fromEntries(Object.entries(c.model_options ?? {}).filter(([k]) => known.includes(k)));
  return trainingRunFormSchema.parse({
    name,
    kind: c.kind,
    model: { family: "tiny", options },
    splitId,
    evalSplitId,
    reward: { preset: c.reward?.preset ?? "hard_recall", weights: {} },
    groupSize: c.group_size,
    promptsPerStep: c.prompts_per_step,
    batchSize: c.batch_size,
    microBatchSize: c.micro_batch_size,
    learningRate: c.optimizer?.lr ?? undefined,
    maxGradNorm: c.optimizer?.max_grad_norm ?? undefined,
    schedule: c.schedule?.type,
    warmupRatio: c.schedule?.warmup_ratio ?? undefined,
    beta: c.beta,
    maxCompletionLength: c.max_completion_length,
    sampling: c.sampling ? { temperature: c.sampling.temperature, topP: c.sampling.top_p, topK: c.sampling.top_k } : undefined,
    maxSteps: c.max_steps,
    seed: c.seed,
    checkpointEvery: 0,
    evalEvery: c.eval?.every ?? 0,
    evalImages: c.eval?.max_images,
  });
}

export interface SeedRecordedRunOptions {
  /** data/demo-model/runs/<kind>: config.json, events.jsonl, predictions.jsonl. */
  readonly folder: string;
  readonly name: string;
  /** Folder under the runs directory the replayed run is given (checkpoint paths are moved into it). */
  readonly runDir: string;
  readonly train: { readonly splitId: number; readonly dataset: string; readonly split: string };
  readonly val: { readonly splitId: number; readonly dataset: string; readonly split: string };
}

/**
 * Replays one recorded run (idempotent: a run of that name is left as it is) and evaluates its final
 * checkpoint's val predictions. Returns the run id and whether it was created now.
 */
export async function seedRecordedRun(prisma: PrismaClient, o: SeedRecordedRunOptions): Promise<{ runId: number; created: boolean }> {
  const existing = await prisma.run.findFirst({ where: { name: o.name }, select: { id: true } });
  if (existing) return { runId: existing.id, created: false };
  const config = JSON.parse(await readFile(path.join(o.folder, "config.json"), "utf8")) as unknown;
  const form = formFromTrainerConfig(o.name, config, o.train.splitId, o.val.splitId);
  const lines = (await readFile(path.join(o.folder, "events.jsonl"), "utf8")).split("\n");
  const done = lines.map((l) => (l.includes('"done"') ? (JSON.parse(l) as { elapsed_s?: number }) : null)).find((d) => d);
  const finishedAt = new Date();
  const startedAt = new Date(finishedAt.getTime() - 1000 * (done?.elapsed_s ?? 0));
  const run = await prisma.run.create({
    data: { name: o.name, kind: form.kind, status: "running", config: form, splitId: o.train.splitId, evalSplitId: o.val.splitId, runDir: o.runDir, launcher: "local", createdAt: startedAt, startedAt },
  });
  await mkdir(o.runDir, { recursive: true });
  const target: EventTarget = { runId: run.id, runDir: o.runDir, splitId: o.train.splitId, model: TINY_MODEL };
  const relocated: string[] = [];
  for (const [i, text] of lines.entries()) {
    // The recording names checkpoint folders of the machine that trained; they belong to this run's folder now.
    const line = text.replace(/"path":"[^"]*\/(checkpoints\/step-\d+)"/, (_m, rel: string) => `"path":${JSON.stringify(path.join(o.runDir, rel))}`);
    relocated.push(line);
    await recordTrainerLine(prisma, target, line, i + 1);
  }
  await writeFile(path.join(o.runDir, "events.jsonl"), relocated.join("\n"));
  await prisma.run.update({ where: { id: run.id }, data: { finishedAt } });

  const last = await prisma.checkpoint.findFirst({ where: { runId: run.id }, orderBy: { step: "desc" } });
  const imported = await importPredictions(prisma, { dataset: o.val.dataset, split: o.val.split, from: path.join(o.folder, "predictions.jsonl"), name: `${o.name} · step ${last?.step ?? "final"}`, checkpointId: last?.id, replace: true });
  await prisma.predictionSet.update({ where: { id: imported.predictionSetId }, data: { origin: "inference", settings: { runId: run.id, checkpointStep: last?.step ?? null, decoding: "greedy", recorded: true } } });
  await evaluatePredictionSet(prisma, { predictionSetId: imported.predictionSetId });
  return { runId: run.id, created: true };
}
