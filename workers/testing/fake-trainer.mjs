#!/usr/bin/env node
/**
 * A scripted stand-in for the Python trainer (test double), speaking the same protocol:
 *
 *   fake-trainer.mjs --config <config.json> --run-dir <dir> [--resume]
 *   fake-trainer.mjs predict --checkpoint <dir> --config <config.json> --records <shard> --out <file> [--max-images N]
 *
 * Training prints JSON-line events (metric, rollout for an image of the training shard, checkpoint into
 * <run-dir>/checkpoints/step-NNNNNNNN/ with state.json written last, log, done) and resumes from the newest
 * complete checkpoint with --resume, repeating the steps after it like the real trainer. Predictions
 * write the ground truth of each record as the answer (so an evaluation of it is perfect).
 *
 * Behaviour comes from the JSON in FAKE_TRAINER_PLAN:
 *   steps, checkpointEvery  override config.max_steps / config.checkpoint_every
 *   stepDelayMs             pause after each step
 *   malformedAtStep         print a non-JSON line and an invalid event after that step
 *   crashAtStep             exit 1 after that step, once per run folder (marker file fake-crashed)
 *   hangAtStep              after that step start a helper child and wait forever (both pids logged)
 *   configError             report a config error and exit 2
 *   ignoreBrokenPipe        keep running when stdout's reader is gone (a trainer busy in a long step)
 * Every process start appends "<pid>" to <run-dir>/fake-pids.txt (and "<pid> helper" for the helper).
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const argv = process.argv.slice(2);
const mode = argv[0] === "predict" ? "predict" : "train";
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const plan = JSON.parse(process.env.FAKE_TRAINER_PLAN || "{}");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const emit = (ev) => process.stdout.write(`${JSON.stringify({ v: 1, ...ev })}\n`);

function readRecords(file, limit = 0) {
  const out = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    out.push(JSON.parse(line));
    if (limit && out.length >= limit) break;
  }
  return out;
}

function answer(rec) {
  const g = (v, size) => Math.trunc((v / size) * 1000);
  const objects = rec.objects.map((o) => ({ id: o.id, bbox: [g(o.bbox[0], rec.width), g(o.bbox[1], rec.height), g(o.bbox[2], rec.width), g(o.bbox[3], rec.height)] }));
  return "```json\n" + JSON.stringify({ objects, relationships: rec.relationships }) + "\n```";
}

if (mode === "predict") {
  const records = readRecords(opt("--records"), Number(opt("--max-images") ?? 0));
  if (!existsSync(path.join(opt("--checkpoint"), "state.json"))) {
    process.stderr.write(`--checkpoint ${opt("--checkpoint")}: not a checkpoint folder\n`);
    process.exit(2);
  }
  const out = opt("--out");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, records.map((r) => JSON.stringify({ image_id: r.image_id, response: answer(r), box_scale: [1000, 1000] })).join("\n") + "\n");
  renameSync(`${out}.tmp`, out);
  process.stdout.write(`${JSON.stringify({ images: records.length, out })}\n`);
  process.exit(0);
}

const config = JSON.parse(readFileSync(opt("--config"), "utf8"));
const runDir = opt("--run-dir");
mkdirSync(runDir, { recursive: true });
appendFileSync(path.join(runDir, "fake-pids.txt"), `${process.pid}\n`);
if (plan.ignoreBrokenPipe) process.stdout.on("error", () => {});

if (plan.configError) {
  emit({ type: "log", level: "error", message: "config.group_size: must be >= 2 (advantages need a group std)", field: "group_size" });
  emit({ type: "done", step: 0, status: "failed", error: "config.group_size: must be >= 2 (advantages need a group std)" });
  process.exit(2);
}

const total = plan.steps ?? (config.max_steps || 6);
const every = plan.checkpointEvery ?? config.checkpoint_every ?? 0;
const records = readRecords(config.data.train[0]);
const ckRoot = path.join(runDir, "checkpoints");
const complete = existsSync(ckRoot) ? readdirSync(ckRoot).filter((n) => /^step-\d{8}$/.test(n) && existsSync(path.join(ckRoot, n, "state.json"))).sort() : [];
if (complete.length && !argv.includes("--resume")) {
  process.stderr.write(`RuntimeError: ${runDir} already has checkpoints; pass --resume\n`);
  emit({ type: "done", step: 0, status: "failed", error: "RuntimeError: run folder already has checkpoints" });
  process.exit(1);
}
let step = 0;
if (argv.includes("--resume") && complete.length) {
  step = Number(complete[complete.length - 1].slice(5));
  emit({ type: "log", level: "info", message: `resumed from ${complete[complete.length - 1]}`, step });
}
emit({ type: "log", level: "info", message: `fake ${config.kind} run: ${records.length} records, ${total} steps`, total_steps: total });

while (step < total) {
  step += 1;
  emit({ type: "metric", step, values: { loss: 1 / step, "reward/total_mean": step / 10, lr: 0.001, nan_metric: null } });
  const rec = records[(step - 1) % records.length];
  emit({
    type: "rollout",
    step,
    prompt_id: rec.image_id,
    image_size: [rec.width, rec.height],
    box_scale: [1000, 1000],
    completions: [0, 1, 3].map((d, i) => ({ text: `answer ${i}`, reward: step + d, values: { format: 1 }, advantage: d - 4 / 3, length: 5, failed: false })),
  });
  if (plan.malformedAtStep === step) {
    process.stdout.write("Traceback (most recent call last): this is not an event\n");
    emit({ type: "metric", step: "three", values: {} });
  }
  if (step === total || (every > 0 && step % every === 0)) {
    const dir = path.join(ckRoot, `step-${String(step).padStart(8, "0")}`);
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(path.join(tmp, "model.json"), JSON.stringify({ adapter: "fake" }));
    writeFileSync(path.join(tmp, "state.json"), JSON.stringify({ step, kind: config.kind }));
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    emit({ type: "checkpoint", step, path: dir });
  }
  if (plan.crashAtStep === step && !existsSync(path.join(runDir, "fake-crashed"))) {
    writeFileSync(path.join(runDir, "fake-crashed"), String(step));
    process.stderr.write("Traceback (most recent call last):\nRuntimeError: simulated crash\n");
    process.exit(1);
  }
  if (plan.hangAtStep === step) {
    const helper = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    appendFileSync(path.join(runDir, "fake-pids.txt"), `${helper.pid} helper\n`);
    emit({ type: "log", level: "info", message: "waiting" });
    setInterval(() => {}, 1000);
    await new Promise(() => {});
  }
  if (plan.stepDelayMs) await sleep(plan.stepDelayMs);
}
emit({ type: "done", step, status: "completed" });
