/**
 * The `train` job: runs the Python trainer for a stored Run and records what it reports.
 *
 * 1. Stops a trainer a dead worker left running, replays the run folder's events.jsonl (idempotent: a
 *    retry or a resume stores nothing twice), sets aside checkpoints newer than the last recorded step
 *    (so their lost steps are trained and reported again) and registers complete checkpoint folders
 *    whose event line a dead worker never wrote.
 * 2. Exports the shards and vocabulary (once per run), writes config.json, starts a reward service on
 *    loopback for this attempt.
 * 3. Starts the trainer (`python -m sgg_trainer`, torchrun for several GPUs, or an sbatch script on
 *    Slurm) with `--resume` whenever the run has been started before; every stdout line is appended
 *    to events.jsonl and then stored.
 * 4. Settles the Run: completed; cancelled (a user's request; the process group is killed); queued again
 *    when the attempt will be retried; failed (exit code 2, a bad config, is not retried).
 * 5. Predicts, imports and evaluates each checkpoint on the eval subset (evaluate-run-checkpoints.ts).
 */
import { existsSync, readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../../server/db/client";
import { env } from "../../server/env";
import { jobQueueOptions } from "../../server/jobs/job-payloads";
import { startRewardServer } from "../../server/rewards/create-reward-server";
import { confinePath } from "../../server/runs/confine-path";
import { evaluateRunCheckpoints } from "../../server/runs/evaluate-run-checkpoints";
import { prepareRunInputs } from "../../server/runs/prepare-run-inputs";
import { registerCheckpoint, type EventTarget } from "../../server/runs/record-trainer-event";
import { EventFileTail, EventLogWriter } from "../../server/runs/run-event-log";
import { runModel } from "../../server/runs/run-model";
import { RunRecorder } from "../../server/runs/run-recorder";
import { followSlurmJob } from "../../server/runs/run-slurm-job";
import { writeSbatchScript } from "../../server/runs/sbatch-script";
import { setAsideUnrecordedCheckpoints } from "../../server/runs/set-aside-unrecorded-checkpoints";
import { stopStaleTrainers } from "../../server/runs/stop-stale-trainers";
import { trainerArgv, trainerCommandOverride, trainerEnv } from "../../server/runs/trainer-command";
import { trainingRunFormSchema, type TrainingRunForm } from "../../server/runs/training-config";
import { TrainingRunError } from "../../server/runs/training-run-error";
import { PermanentJobError, type JobContext, type JobHandler } from "../job-context";
import { JobCancelledError } from "../runtime/run-job";
import { spawnProcessGroup } from "../runtime/spawn-process-group";

type RunRow = NonNullable<Awaited<ReturnType<PrismaClient["run"]["findUnique"]>>>;

interface Attempt {
  readonly run: RunRow;
  readonly form: TrainingRunForm;
  readonly runDir: string;
  readonly eventsFile: string;
  readonly target: EventTarget;
  readonly recorder: RunRecorder;
  readonly ctx: JobContext;
}

const STEP_FOLDER = /^step-(\d{8})$/;

export const trainHandler: JobHandler<"train"> = async ({ runId }, ctx) => {
  const { prisma } = ctx;
  const run = await prisma.run.findUnique({ where: { id: runId } });
  if (!run) throw new PermanentJobError(`run ${runId} does not exist`);
  if (run.status === "cancelled") return ctx.log(`run ${runId} was cancelled before this attempt; nothing to do`);
  const fail = async (message: string): Promise<never> => {
    await prisma.run.update({ where: { id: runId }, data: { status: "failed", error: message, finishedAt: new Date() } });
    throw new PermanentJobError(message);
  };
  const parsed = trainingRunFormSchema.safeParse(run.config);
  if (!parsed.success) return fail(`run ${runId}: the stored config is not a valid run form (${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message})`);
  let runDir: string;
  try {
    runDir = confinePath(run.runDir, { roots: [env().workers.runsDir], field: "runDir" });
  } catch (e) {
    return fail(`run ${runId}: ${(e as Error).message}`);
  }
  await mkdir(runDir, { recursive: true });
  const form = parsed.data;
  const wasCompleted = run.status === "completed";
  await prisma.run.update({
    where: { id: runId },
    data: wasCompleted ? {} : { status: "running", startedAt: run.startedAt ?? new Date(), finishedAt: null, error: null },
  });
  const target: EventTarget = { runId, runDir, splitId: run.splitId, model: runModel(form) };
  const onProgress = (step: number, total: number | null) => ctx.progress(step, total ?? (form.maxSteps || null), `step ${step}`);
  const a: Attempt = { run, form, runDir, eventsFile: path.join(runDir, "events.jsonl"), target, recorder: new RunRecorder(prisma, target, true, onProgress), ctx };
  try {
    await runAttempt(a, wasCompleted, fail);
  } catch (e) {
    // settle() and fail() have already set the status; anything else that went wrong (the database,
    // the disk) leaves a running Run behind, which is put back in line or failed here.
    const cancelled = ctx.signal.aborted && (await cancelRequested(ctx));
    const retries = !cancelled && !(e instanceof PermanentJobError) && ctx.attempt < jobQueueOptions.train.retryLimit;
    const data = cancelled
      ? { status: "cancelled" as const, finishedAt: new Date() }
      : retries
        ? { status: "queued" as const, error: errorText(e) }
        : { status: "failed" as const, error: errorText(e), finishedAt: new Date() };
    await prisma.run.updateMany({ where: { id: runId, status: "running" }, data }).catch(() => undefined);
    throw e;
  }
};

async function runAttempt(a: Attempt, wasCompleted: boolean, fail: (message: string) => Promise<never>): Promise<void> {
  const { ctx, run, form, runDir, target } = a;
  const { prisma } = ctx;
  // 1. What earlier attempts left: a trainer still running (its worker died; it must not go on writing
  // checkpoints beside the new one), their events, and checkpoint folders whose event never got stored.
  if (run.launcher !== "slurm" && !wasCompleted) {
    const stopped = await stopStaleTrainers(runDir);
    if (stopped.length) ctx.log(`stopped trainer process(es) ${stopped.join(", ")} that an earlier attempt left running`);
  }
  const tail = new EventFileTail(a.eventsFile);
  for (const line of tail.flush()) await a.recorder.record(line);
  if (run.launcher !== "slurm" && !wasCompleted) {
    const { lastStep } = await prisma.run.findUniqueOrThrow({ where: { id: run.id }, select: { lastStep: true } });
    const moved = setAsideUnrecordedCheckpoints(runDir, lastStep);
    if (moved.length) ctx.log(`moved ${moved.length} checkpoint folder(s) past the last recorded step ${lastStep} aside; their steps are trained again`);
  }
  const onDisk = await registerCheckpointFolders(prisma, target);
  const resume = ctx.attempt > 0 || tail.lines > 0 || onDisk > 0;
  if (tail.lines > 0) ctx.log(`replayed ${tail.lines} event lines`);

  let override: string[] | undefined;
  try {
    override = trainerCommandOverride();
  } catch (e) {
    return fail((e as Error).message);
  }
  const python = env().workers.trainerPython;
  const childEnv = trainerEnv(process.env, form.gpus);

  // 2-3. Inputs, the reward service of this attempt, the trainer.
  const reward = await startRewardServer();
  try {
    let inputs;
    try {
      inputs = await prepareRunInputs(prisma, { run, form, runDir, storeRoot: path.join(env().storage.dataDir, "store"), modelsDir: env().models.modelsDir, rewardUrl: reward.url });
    } catch (e) {
      if (e instanceof TrainingRunError) return await fail(e.message);
      throw e;
    }
    if (!wasCompleted) {
      a.recorder.goLive();
      const argv = trainerArgv({ python, configPath: inputs.configPath, runDir, resume, gpus: form.gpus, override });
      const outcome = run.launcher === "slurm" ? await runOnSlurm(a, argv, childEnv, tail) : await runLocally(a, argv, childEnv, tail.lines);
      await settle(a, outcome);
    }
    // 5. Checkpoint evaluations (also catches up checkpoints of earlier attempts).
    if (run.evalSplitId !== null && inputs.evalShard) {
      await evaluateRunCheckpoints(prisma, {
        run: { id: run.id, name: run.name, runDir, evalSplitId: run.evalSplitId },
        configPath: inputs.configPath,
        evalShard: inputs.evalShard,
        maxImages: form.evalImages,
        python,
        override,
        env: childEnv,
        signal: ctx.signal,
        spawn: spawnProcessGroup,
        enqueueEvaluate: (predictionSetId) => ctx.enqueue("evaluate", { predictionSetId }),
        log: (m) => ctx.log(m),
      });
    }
  } finally {
    await reward.close();
  }
}

/** One local process (or torchrun): stdout lines are appended to events.jsonl, then stored in order. */
async function runLocally(a: Attempt, argv: string[], childEnv: NodeJS.ProcessEnv, existingLines: number) {
  const writer = new EventLogWriter(a.eventsFile, existingLines);
  try {
    const r = await spawnProcessGroup(argv[0]!, argv.slice(1), {
      cwd: process.cwd(),
      env: childEnv,
      signal: a.ctx.signal,
      onStdoutLine: (text) => a.recorder.enqueue({ line: writer.append(text), text }),
      killGraceMs: 10_000,
    });
    await a.recorder.drain();
    return { code: r.code, stderrTail: r.stderrTail, cancelled: r.aborted };
  } finally {
    writer.close();
  }
}

/** An sbatch job that appends its stdout to events.jsonl; followed until it leaves the queue. */
async function runOnSlurm(a: Attempt, argv: string[], childEnv: NodeJS.ProcessEnv, tail: EventFileTail) {
  const launcher = a.form.launcher;
  if (launcher.type !== "slurm") throw new PermanentJobError(`run ${a.run.id}: launcher is slurm but the form has no Slurm settings`);
  const stderrFile = path.join(a.runDir, "trainer.stderr");
  const script = await writeSbatchScript(path.join(a.runDir, "train.sbatch"), {
    runId: a.run.id,
    partition: launcher.partition,
    account: launcher.account,
    timeMinutes: launcher.timeMinutes,
    gpus: Math.max(1, a.form.gpus),
    cwd: process.cwd(),
    eventsFile: a.eventsFile,
    stderrFile,
    argv,
    env: { PYTHONPATH: childEnv.PYTHONPATH!, PYTHONUNBUFFERED: "1" },
  });
  const r = await followSlurmJob({
    script,
    runDir: a.runDir,
    eventsFile: a.eventsFile,
    stderrFile,
    startLine: tail.lines,
    startOffset: tail.position,
    existingJobId: a.run.slurmJobId,
    signal: a.ctx.signal,
    // The reward service ends with this attempt: a job that needs it is stopped too and resubmitted
    // (with --resume) by the next attempt; an SFT job without evaluation runs on and is followed again.
    cancelOnAbort: async () => (await cancelRequested(a.ctx)) || a.form.kind === "grpo" || a.form.evalEvery > 0,
    onJobId: async (slurmJobId) => void (await a.ctx.prisma.run.update({ where: { id: a.run.id }, data: { slurmJobId } })),
    onLine: async (line) => void (await a.recorder.record(line)),
    pollMs: slurmPollMs(),
  });
  a.ctx.log(r.detached ? `stopped following Slurm job ${r.jobId}; it goes on running` : `Slurm job ${r.jobId} ended ${r.state}`);
  return { code: r.code, stderrTail: r.stderrTail, cancelled: r.cancelled, detached: r.detached };
}

/** Writes the Run's status for this attempt's outcome and throws when the job must not count as done. */
async function settle(a: Attempt, outcome: { code: number | null; stderrTail: string; cancelled: boolean; detached?: boolean }): Promise<void> {
  const { prisma } = a.ctx;
  const runId = a.run.id;
  const note = async (level: "info" | "warning" | "error", message: string) => {
    const writer = new EventLogWriter(a.eventsFile, countLines(a.eventsFile));
    try {
      const text = JSON.stringify({ v: 1, type: "log", level, message, source: "worker" });
      await a.recorder.record({ line: writer.append(text), text });
    } finally {
      writer.close();
    }
  };
  if (a.ctx.signal.aborted || outcome.cancelled) {
    if (await cancelRequested(a.ctx)) {
      await note("warning", "cancelled: the trainer was stopped");
      await prisma.run.update({ where: { id: runId }, data: { status: "cancelled", finishedAt: new Date() } });
    } else {
      const why = `attempt ${a.ctx.attempt + 1} interrupted (${errorText(a.ctx.signal.reason)}); the next attempt picks the run up again`;
      // A Slurm job that runs on still appends to events.jsonl itself: no worker line may interleave.
      if (outcome.detached) a.ctx.log(why);
      else await note("warning", why);
      await prisma.run.update({ where: { id: runId }, data: { status: "queued" } });
    }
    throw a.ctx.signal.reason ?? new Error(`run ${runId}: the trainer was stopped`);
  }
  const done = a.recorder.done;
  if (outcome.code === 0 && done?.status !== "failed") {
    await prisma.run.update({ where: { id: runId }, data: { status: "completed", finishedAt: new Date(), error: null } });
    return;
  }
  const stderr = outcome.stderrTail.trim().split("\n").slice(-15).join("\n");
  const message = `${done?.error ?? `the trainer exited with code ${outcome.code}`}${stderr ? `\n${stderr}` : ""}`;
  await note("error", `trainer failed: ${message}`);
  const permanent = outcome.code === 2 || a.recorder.configErrorField !== null;
  const retries = !permanent && a.ctx.attempt < jobQueueOptions.train.retryLimit;
  await prisma.run.update({ where: { id: runId }, data: { status: retries ? "queued" : "failed", error: message, ...(retries ? {} : { finishedAt: new Date() }) } });
  if (permanent) throw new PermanentJobError(`run ${runId}: bad trainer config: ${message}`);
  throw new Error(`run ${runId}: ${message}`);
}

/** Registers complete checkpoint folders (state.json present) of the run; returns how many exist. */
async function registerCheckpointFolders(prisma: PrismaClient, target: EventTarget): Promise<number> {
  const root = path.join(target.runDir, "checkpoints");
  if (!existsSync(root)) return 0;
  let n = 0;
  for (const name of readdirSync(root).sort()) {
    const m = STEP_FOLDER.exec(name);
    if (!m || !existsSync(path.join(root, name, "state.json"))) continue;
    await registerCheckpoint(prisma, target, Number(m[1]), path.join(root, name));
    n++;
  }
  return n;
}

/** SGG_SLURM_POLL_SECONDS: how often squeue is asked and events.jsonl read while a Slurm job runs (default 5). */
function slurmPollMs(): number {
  const v = Number(process.env.SGG_SLURM_POLL_SECONDS ?? 5);
  return Number.isFinite(v) && v > 0 ? Math.max(50, v * 1000) : 5000;
}

/** A user asked to cancel (as opposed to the worker stopping or losing its claim). */
async function cancelRequested(ctx: JobContext): Promise<boolean> {
  if (ctx.signal.reason instanceof JobCancelledError) return true;
  const job = await ctx.prisma.job.findUnique({ where: { id: ctx.jobId }, select: { cancelRequestedAt: true } });
  return Boolean(job?.cancelRequestedAt);
}

function countLines(file: string): number {
  const t = new EventFileTail(file);
  t.flush();
  return t.lines;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e ?? "aborted"));
