/**
 * Proof that the method learns at small scale: trains the project's tiny vision-language model on the
 * rendered synthetic dataset on CPU — SFT, then GRPO from the SFT checkpoint with the Hard Recall reward
 * served by the TypeScript reward service — and evaluates both checkpoints on the synthetic val split
 * with the scene-graph core (failure rate, AP50, recall, mean recall).
 *
 *   npm run bench:train                      # full size (about 10 minutes per stage on 2 cores)
 *   npm run bench:train -- --quick           # a smoke-sized run (a couple of minutes)
 *   npm run bench:train -- --out var/bench-train --ship data/demo-model
 *   npm run bench:train -- --reuse-sft       # keep <out>/sft (same config) and train GRPO again
 *
 * `--ship <folder>` copies the GRPO model's ONNX export, its config and this run's figures there (the
 * model the demo ships). Every run folder keeps its config.json and events.jsonl.
 */
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { evaluateFiles } from "../../server/evaluation/evaluate-files";
import { startRewardServer } from "../../server/rewards/create-reward-server";
import { trainerArgv } from "../../server/runs/trainer-command";
import type { EvaluationReport } from "../../server/scene-graph/eval/evaluate";
import { benchTrainConfigs, type BenchSize } from "./bench-train-configs";
import { runTrainer, type TrainerEvent } from "./run-trainer";
import { writeSyntheticShard } from "./write-synthetic-shard";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    out: { type: "string", default: "var/bench-train" },
    ship: { type: "string" },
    python: { type: "string", default: process.env.SGG_TRAINER_PYTHON ?? "/usr/bin/python3" },
    "reuse-sft": { type: "boolean", default: false },
  },
});
const size: BenchSize = opts.quick ? "quick" : "full";
const out = path.resolve(opts.out!);
const python = opts.python!;
const processes = benchTrainConfigs(size).processes;

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

/** The SFT stage a previous run left in <out>/sft, when it was trained with this config and completed. */
async function reuseSft(config: object): Promise<StageResult> {
  const runDir = path.join(out, "sft");
  // The reward service's port changes from run to run; nothing else may.
  const comparable = (c: { reward?: object }) => JSON.stringify({ ...c, reward: { ...c.reward, service_url: undefined } });
  const recorded = JSON.parse(await readFile(path.join(runDir, "config.json"), "utf8")) as { reward?: object };
  if (comparable(recorded) !== comparable(config)) throw new Error(`--reuse-sft: ${runDir}/config.json is not this bench's SFT config; run without --reuse-sft`);
  const events = (await readFile(path.join(runDir, "events.jsonl"), "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l) as TrainerEvent);
  const done = events.find((e) => e.type === "done");
  if (done?.status !== "completed") throw new Error(`--reuse-sft: the SFT run in ${runDir} did not complete`);
  console.log(`  SFT reused from ${runDir}`);
  return { name: "sft", seconds: Number(done.elapsed_s), checkpoint: lastCheckpoint(events), events };
}

async function train(name: "sft" | "grpo", config: object, totalSteps: number): Promise<StageResult> {
  const runDir = path.join(out, name);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  const configPath = path.join(runDir, "config.json");
  await writeFile(configPath, JSON.stringify(config, null, 2) + "\n");
  // Several processes start through torchrun, as the workers start a multi-GPU run (gloo on CPU).
  const argv = trainerArgv({ python, configPath, runDir, resume: false, gpus: processes });
  const { events, seconds } = await runTrainer(argv, { label: name.toUpperCase(), totalSteps });
  await writeFile(path.join(runDir, "events.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const done = events.find((e) => e.type === "done");
  if (done?.status !== "completed") throw new Error(`${name}: the trainer did not complete (${JSON.stringify(done)})`);
  return { name, seconds, checkpoint: lastCheckpoint(events), events };
}

interface Decoding {
  /** Absent: the system prompt of the stage's kind. */
  readonly system?: "think";
  /** Absent: as the stage's config says (constrain_relation_ids). */
  readonly relationIds?: "constrained" | "free";
}

/** Greedy predictions of the stage's final checkpoint on val, scored by the core. */
async function evaluateCheckpoint(stage: StageResult, valFile: string, d: Decoding = {}): Promise<EvaluationReport> {
  const runDir = path.join(out, stage.name);
  const suffix = [d.system, d.relationIds].filter(Boolean).join("-");
  const predictions = path.join(runDir, suffix ? `predictions-${suffix}.jsonl` : "predictions.jsonl");
  const extra = [...(d.system ? ["--system", d.system] : []), ...(d.relationIds ? ["--relation-ids", d.relationIds] : [])];
  const argv = [python, "-m", "sgg_trainer.predict", "--checkpoint", stage.checkpoint, "--config", path.join(runDir, "config.json"), "--records", valFile, "--out", predictions, "--batch-size", "50", ...extra];
  await runTrainer(argv, { label: "eval", threads: 2 });
  const { report } = await evaluateFiles({ gtFile: valFile, predictions, datasetType: "vg" });
  return report;
}

const pct = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(2) : "nan");

interface Row {
  readonly name: string;
  readonly seconds?: number;
  readonly report: EvaluationReport;
}

function table(rows: readonly Row[]): string {
  const lines = ["| checkpoint | train time | failure rate | AP50 | recall | mean recall |", "|---|---:|---:|---:|---:|---:|"];
  for (const { name, seconds, report } of rows) {
    const time = seconds === undefined ? "" : `${(seconds / 60).toFixed(1)} min`;
    lines.push(`| ${name} | ${time} | ${report.failure.rate.toFixed(2)} % | ${pct(report.coco.AP50)} | ${pct(report.ngr.recall)} | ${pct(report.ngr.mean_recall)} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const plan = benchTrainConfigs(size);
  console.log(`bench:train (${size}): ${plan.trainImages} train / ${plan.valImages} val synthetic images (${plan.classes.join(", ")}; at most ${plan.maxObjects} objects, at least ${plan.minRelations} relation), ${processes} trainer processes, output ${out}`);
  const dataDir = path.join(out, "data");
  await rm(dataDir, { recursive: true, force: true });
  const train0 = performance.now();
  const shard = { seed: plan.seed, width: plan.imageSize, height: plan.imageSize, classes: plan.classes, maxObjects: plan.maxObjects, minRelations: plan.minRelations, ids: plan.ids };
  const trainShard = await writeSyntheticShard(dataDir, { ...shard, images: plan.trainImages, split: "train" });
  const valShard = await writeSyntheticShard(dataDir, { ...shard, images: plan.valImages, split: "val" });
  console.log(`  data rendered in ${((performance.now() - train0) / 1000).toFixed(1)} s`);

  const rewards = await startRewardServer({ port: 0 });
  try {
    const valFile = valShard.file;
    const sftConfig = plan.sft(trainShard.file, valFile, rewards.url);
    const sft = opts["reuse-sft"] ? await reuseSft(sftConfig) : await train("sft", sftConfig, plan.sftSteps);
    const grpo = await train("grpo", plan.grpo(trainShard.file, valFile, rewards.url, sft.checkpoint), plan.grpoSteps);
    const rows: Row[] = [
      { name: "SFT", seconds: sft.seconds, report: await evaluateCheckpoint(sft, valFile) },
      // The GRPO run's starting point as GRPO decodes: the same weights, the think system prompt, ids constrained.
      { name: "SFT, think prompt, constrained ids (GRPO's start)", report: await evaluateCheckpoint(sft, valFile, { system: "think", relationIds: "constrained" }) },
      { name: "GRPO, constrained ids (shipped)", seconds: grpo.seconds, report: await evaluateCheckpoint(grpo, valFile) },
      // What GRPO taught the weights themselves, without the decoding rule.
      { name: "GRPO, free ids", report: await evaluateCheckpoint(grpo, valFile, { relationIds: "free" }) },
    ];
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
  const dataset = {
    generator: "server/synthetic/render-dataset.ts",
    seed: plan.seed,
    width: plan.imageSize,
    height: plan.imageSize,
    trainImages: plan.trainImages,
    valImages: plan.valImages,
    classes: plan.classes,
    maxObjects: plan.maxObjects,
    minRelations: plan.minRelations,
    ids: plan.ids,
  };
  await writeFile(path.join(folder, "dataset.json"), JSON.stringify(dataset, null, 2) + "\n");
  const readme = await readFile(path.join(import.meta.dirname, "shipped-model-readme.md"), "utf8");
  await writeFile(path.join(folder, "README.md"), `${readme}\n## Figures of the run that made these files\n\n${results}\n`);
  console.log(`shipped the model and the recorded runs to ${folder}`);
}

await main();
