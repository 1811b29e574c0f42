import path from "node:path";
import type { PgBoss } from "pg-boss";
import type { Prisma, PrismaClient } from "../db/generated/client";
import { env } from "../env";
import { enqueueJob } from "../jobs/enqueue-job";
import { getQueue } from "../jobs/queue";
import { confinePath, PathConfinementError } from "./confine-path";
import { runModel, TINY_MODEL } from "./run-model";
import { trainingRunFormSchema, type TrainingRunForm, type TrainingRunFormInput } from "./training-config";
import { TrainingRunError } from "./training-run-error";

export { TrainingRunError } from "./training-run-error";

export interface CreateTrainingRunOptions {
  readonly createdById: number | null;
  /** The queue to enqueue on; default: the workbench database's. */
  readonly boss?: PgBoss;
}

/** A folder-name fragment of the run name: lower-case letters, digits and dashes, at most 40 characters. */
export function runSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "run";
}

/** Where the run executes: torchrun for several local GPUs, sbatch on Slurm, else one local process. */
export function runLauncher(form: TrainingRunForm): "local" | "torchrun" | "slurm" {
  if (form.launcher.type === "slurm") return "slurm";
  return form.gpus > 1 ? "torchrun" : "local";
}

/**
 * Validates the run form, checks that the splits and the start checkpoint exist, and creates the Run
 * (status queued, config = the validated form, run folder <runsDir>/<id>-<slug>) together with its
 * `train` job in one transaction. Errors are `TrainingRunError`s naming the form field.
 */
export async function createTrainingRun(prisma: PrismaClient, form: TrainingRunFormInput, options: CreateTrainingRunOptions): Promise<{ runId: number; jobId: string }> {
  const parsed = trainingRunFormSchema.safeParse(form);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join(".");
    throw new TrainingRunError(field ? `${field}: ${issue.message}` : issue.message, field || undefined);
  }
  const f = parsed.data;
  await checkSplit(prisma, f.splitId, "splitId");
  if (f.evalSplitId !== undefined) await checkSplit(prisma, f.evalSplitId, "evalSplitId");
  if (f.initCheckpointId !== undefined) await checkInitCheckpoint(prisma, f, f.initCheckpointId);
  const runsDir = env().workers.runsDir;
  const boss = options.boss ?? (await getQueue());
  return prisma.$transaction(async (tx) => {
    const run = await tx.run.create({
      data: {
        name: f.name,
        kind: f.kind,
        status: "queued",
        config: f as unknown as Prisma.InputJsonValue,
        splitId: f.splitId,
        evalSplitId: f.evalSplitId ?? null,
        initCheckpointId: f.initCheckpointId ?? null,
        runDir: "",
        launcher: runLauncher(f),
        createdById: options.createdById,
      },
    });
    const runDir = confinePath(path.join(runsDir, `${run.id}-${runSlug(f.name)}`), { roots: [runsDir], field: "name" });
    const jobId = await enqueueJob(tx, boss, "train", { runId: run.id }, { createdById: options.createdById });
    await tx.run.update({ where: { id: run.id }, data: { runDir, jobId } });
    return { runId: run.id, jobId };
  });
}

async function checkSplit(prisma: PrismaClient, splitId: number, field: string): Promise<void> {
  const split = await prisma.split.findUnique({ where: { id: splitId }, include: { dataset: { select: { name: true } } } });
  if (!split) throw new TrainingRunError(`${field}: no split with id ${splitId}`, field, "not-found");
  if (split.status !== "ready") throw new TrainingRunError(`${field}: split ${split.dataset.name}/${split.name} is ${split.status}, not ready`, field);
  if (split.imageCount === 0) throw new TrainingRunError(`${field}: split ${split.dataset.name}/${split.name} has no images`, field);
}

async function checkInitCheckpoint(prisma: PrismaClient, form: TrainingRunForm, id: number): Promise<void> {
  const field = "initCheckpointId";
  const ck = await prisma.checkpoint.findUnique({ where: { id }, include: { model: true } });
  if (!ck) throw new TrainingRunError(`${field}: no checkpoint with id ${id}`, field, "not-found");
  const tinyCheckpoint = ck.model.name === TINY_MODEL.name;
  if (form.model.family === "tiny" && !(tinyCheckpoint && ck.format === "torch")) {
    throw new TrainingRunError(`${field}: checkpoint ${id} is a ${ck.model.name} (${ck.format}) checkpoint; the tiny model starts only from tiny-sgg torch checkpoints`, field);
  }
  if (form.model.family === "hf" && (tinyCheckpoint || ck.format === "onnx")) {
    throw new TrainingRunError(`${field}: checkpoint ${id} (${ck.model.name}, ${ck.format}) cannot start a ${runModel(form).name} run`, field);
  }
  try {
    confinePath(ck.path, { field });
  } catch (e) {
    if (e instanceof PathConfinementError) throw new TrainingRunError(e.message, field);
    throw e;
  }
}
