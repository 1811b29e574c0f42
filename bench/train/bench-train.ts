/**
 * Proof that the method learns at small scale: trains the project's tiny vision-language model on the
 * rendered synthetic dataset on CPU — SFT, then GRPO from the SFT checkpoint with the Hard Recall reward
 * served by the TypeScript reward service — and evaluates both checkpoints on the synthetic val split
 * with the scene-graph core (failure rate, AP50, recall, mean recall).
 *
 *   npm run bench:train                      # full size (about 10 minutes per stage on 2 cores)
 *   npm run bench:train -- --quick           # a smoke-sized run (a couple of minutes)
 *   npm run bench:train -- --out var/bench-train --ship data/demo-model
 *
 * `--ship <folder>` copies the GRPO model's ONNX export, its config and this run's figures there (the
 * model the demo ships). Every run folder keeps its config.json and events.jsonl.
 */
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { evaluateFiles } from "../../server/evaluation/evaluate-files";
import { startRewardServer } from "../../server/rewards/create-reward-server";
import type { EvaluationReport } from "../../server/scene-graph/eval/evaluate";
import { benchTrainConfigs, type BenchSize } from "./bench-train-configs";
import { runTrainerModule, type TrainerEvent } from "./run-trainer";
import { writeSyntheticShard } from "./write-synthetic-shard";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    out: { type: "string", default: "var/bench-train" },
    ship: { type: "string" },
    python: { type: "string", default: process.env.SGG_TRAINER_PYTHON ?? "/usr/bin/python3" },
    stage: { type: "string", default: "all" },
  },
});
const size: BenchSize = opts.quick ? "quick" : "full";
const out = path.resolve(opts.out!);
const python = opts.python!;

interface StageResult {
  readonly name: string;
  readonly seconds: number;
  readonly checkpoint: string;
  readonly events: readonly TrainerEvent[];
}

function lastCheckpoint(events: readonly TrainerEvent[]): string {
  const cps = events.filter((e) => e.type === "checkpoint" && typeof e.path === "string");
  if (!cps.length) throw new Error("the trainer wrote no checkpoint");
  return cps[cps.length - 1]!.path as string;
}

async function train(name: "sft" | "grpo", config: object, totalSteps: number): Promise<StageResult> {
  const runDir = path.join(out, name);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  const configPath = path.join(runDir, "config.json");
  await writeFile(configPath, JSON.stringify(config, null, 2) + "\n");
  const { events, seconds } = await runTrainerModule(python, "sgg_trainer", ["--config", configPath, "--run-dir", runDir], { label: name.toUpperCase(), totalSteps });
  await writeFile(path.join(runDir, "events.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const done = events.find((e) => e.type === "done");
  if (done?.status !== "completed") throw new Error(`${name}: the trainer did not complete (${JSON.stringify(done)})`);
  return { name, seconds, checkpoint: lastCheckpoint(events), events };
}

async function evaluateCheckpoint(stage: StageResult, valFile: string): Promise<EvaluationReport> {
  const runDir = path.join(out, stage.name);
  const predictions = path.join(runDir, "predictions.jsonl");
  await runTrainerModule(python, "sgg_trainer.predict", ["--checkpoint", stage.checkpoint, "--config", path.join(runDir, "config.json"), "--records", valFile, "--out", predictions], { label: "eval" });
  const { report } = await evaluateFiles({ gtFile: valFile, predictions, datasetType: "vg" });
  return report;
}

const pct = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(2) : "nan");

function table(rows: { name: string; seconds: number; report: EvaluationReport }[]): string {
  const lines = ["| checkpoint | train time | failure rate | AP50 | recall | mean recall |", "|---|---:|---:|---:|---:|---:|"];
  for (const { name, seconds, report } of rows) {
    lines.push(`| ${name} | ${(seconds / 60).toFixed(1)} min | ${report.failure.rate.toFixed(2)} % | ${pct(report.coco.AP50)} | ${pct(report.ngr.recall)} | ${pct(report.ngr.mean_recall)} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const plan = benchTrainConfigs(size);
  console.log(`bench:train (${size}): ${plan.trainImages} train / ${plan.valImages} val synthetic images, output ${out}`);
  const dataDir = path.join(out, "data");
  await rm(dataDir, { recursive: true, force: true });
  const train0 = performance.now();
  const trainShard = await writeSyntheticShard(dataDir, { images: plan.trainImages, seed: plan.seed, split: "train", width: plan.imageSize, height: plan.imageSize });
  const valShard = await writeSyntheticShard(dataDir, { images: plan.valImages, seed: plan.seed, split: "val", width: plan.imageSize, height: plan.imageSize });
  console.log(`  data rendered in ${((performance.now() - train0) / 1000).toFixed(1)} s`);

  const rewards = await startRewardServer({ port: 0 });
  try {
    const sft = await train("sft", plan.sft(trainShard.file, valShard.file, rewards.url), plan.sftSteps);
    const grpo = await train("grpo", plan.grpo(trainShard.file, valShard.file, rewards.url, sft.checkpoint), plan.grpoSteps);
    const rows = [];
    for (const stage of [sft, grpo]) rows.push({ name: stage.name.toUpperCase(), seconds: stage.seconds, report: await evaluateCheckpoint(stage, valShard.file) });
    const text = table(rows);
    console.log(`\nSynthetic val (${plan.valImages} images), greedy decoding, scene-graph core evaluation:\n\n${text}\n`);
    await writeFile(path.join(out, "results.md"), text + "\n");
    await writeFile(path.join(out, "results.json"), JSON.stringify(rows.map((r) => ({ name: r.name, seconds: r.seconds, failure: r.report.failure, coco: r.report.coco, ngr: r.report.ngr })), null, 2));
    if (opts.ship) await ship(path.resolve(opts.ship), grpo, sft, text);
  } finally {
    await rewards.close();
  }
}

async function ship(folder: string, grpo: StageResult, sft: StageResult, results: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await cp(path.join(out, "grpo", "onnx"), path.join(folder, "onnx"), { recursive: true });
  for (const stage of [sft, grpo]) {
    const dir = path.join(folder, "runs", stage.name);
    await mkdir(dir, { recursive: true });
    for (const f of ["config.json", "events.jsonl", "predictions.jsonl"]) await cp(path.join(out, stage.name, f), path.join(dir, f));
  }
  // How to render the same train and val images again (the demo ingests them to show rollouts and predictions).
  const plan = benchTrainConfigs(size);
  const dataset = { generator: "server/synthetic/render-dataset.ts", seed: plan.seed, width: plan.imageSize, height: plan.imageSize, trainImages: plan.trainImages, valImages: plan.valImages, ...("classes" in plan ? { classes: plan.classes } : {}) };
  await writeFile(path.join(folder, "dataset.json"), JSON.stringify(dataset, null, 2) + "\n");
  const readme = await readFile(path.join(import.meta.dirname, "shipped-model-readme.md"), "utf8");
  await writeFile(path.join(folder, "README.md"), `${readme}\n## Figures of the run that made these files\n\n${results}\n`);
  console.log(`shipped the model and the recorded runs to ${folder}`);
}

await main();
