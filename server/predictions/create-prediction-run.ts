import type { PgBoss } from "pg-boss";
import type { Prisma, PrismaClient } from "../db/generated/client";
import { createPredictionRunSchema, type CreatePredictionRunInput } from "../inference/inference-settings";
import { resolveInferenceSettings } from "../inference/resolve-settings";
import { InferenceSettingsError } from "../inference/settings-error";
import { enqueueJob } from "../jobs/enqueue-job";
import { getQueue } from "../jobs/queue";

/** A create input the workbench refuses; `field` is its dotted path (`name`, `splitId`, `settings.backend.model`). */
export class PredictionRunInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status: 404 | 409 | 422 = 422,
  ) {
    super(message);
    this.name = "PredictionRunInputError";
  }
}

export interface CreatePredictionRunOptions {
  readonly createdById?: number | null;
  /** The queue to start the predict job on (default: the workbench's); null creates the set without a job, for a caller that fills it in-process (the CLI). */
  readonly queue?: PgBoss | null;
}

export interface CreatePredictionRunResult {
  readonly predictionSetId: number;
  /** Null when no job was asked for. */
  readonly jobId: string | null;
}

const isUniqueViolation = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";

/**
 * Starts a prediction run: validates the input (zod, then what only the environment can tell: base URL,
 * key policy, model folder), creates the PredictionSet (origin "inference", status "running", the resolved
 * settings without any secret) and enqueues its `predict` job in the same transaction, recording the job
 * id on the set. Throws `ZodError` for a malformed input and `PredictionRunInputError` naming the field
 * for a missing or unready split (`splitId`), a taken name (`name`) or unusable settings.
 */
export async function createPredictionRun(prisma: PrismaClient, input: CreatePredictionRunInput, options: CreatePredictionRunOptions = {}): Promise<CreatePredictionRunResult> {
  const o = createPredictionRunSchema.parse(input);
  const split = await prisma.split.findUnique({ where: { id: o.splitId }, include: { dataset: true } });
  if (!split) throw new PredictionRunInputError("splitId", `no split with id ${o.splitId}`, 404);
  if (split.status !== "ready") throw new PredictionRunInputError("splitId", `split ${split.dataset.name}/${split.name} is ${split.status}, not ready`);
  let settings;
  try {
    settings = await resolveInferenceSettings(o.settings);
  } catch (e) {
    if (e instanceof InferenceSettingsError) throw new PredictionRunInputError(e.field, e.message);
    throw e;
  }
  const taken = () => new PredictionRunInputError("name", `a prediction set named "${o.name}" already exists on ${split.dataset.name}/${split.name}`, 409);
  const boss = options.queue === undefined ? await getQueue() : options.queue;
  try {
    return await prisma.$transaction(async (tx) => {
      if (await tx.predictionSet.findUnique({ where: { splitId_name: { splitId: split.id, name: o.name } }, select: { id: true } })) throw taken();
      const set = await tx.predictionSet.create({
        data: { name: o.name, splitId: split.id, origin: "inference", status: "running", settings: settings as unknown as Prisma.InputJsonValue },
      });
      if (!boss) return { predictionSetId: set.id, jobId: null };
      const jobId = await enqueueJob(tx, boss, "predict", { predictionSetId: set.id }, { createdById: options.createdById ?? null });
      await tx.predictionSet.update({ where: { id: set.id }, data: { jobId } });
      return { predictionSetId: set.id, jobId };
    });
  } catch (e) {
    // Two submissions of one name at once: the unique index decides, with the same message.
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
}
