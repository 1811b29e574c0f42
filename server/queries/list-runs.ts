import { z } from "zod";
import type { PrismaClient } from "../db/generated/client";

export const RUN_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A metric's chosen point: its value and the optimizer step it was logged at. */
export interface MetricAt {
  value: number;
  step: number;
}

/** The headline figures of one evaluation of a checkpoint's prediction set (fractions in 0..1; failure in percent). */
export interface CheckpointFigures {
  evaluationId: number;
  checkpointId: number;
  checkpointStep: number | null;
  predictionSetId: number;
  recall: number | null;
  meanRecall: number | null;
}

export interface RunListItem {
  id: number;
  name: string;
  kind: "sft" | "grpo";
  status: RunStatus;
  /** "tiny" or the Hugging Face id, as the run's config names it. */
  model: string;
  split: { id: number; label: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Wall time from start to finish (or to `now` while it runs), in seconds. */
  durationSeconds: number | null;
  lastStep: number;
  totalSteps: number | null;
  error: string | null;
  best: {
    /** Highest `reward/total_mean` (GRPO). */
    rewardMean: MetricAt | null;
    /** Lowest `loss`. */
    loss: MetricAt | null;
    /** The newest value of every `eval/*` metric. */
    eval: Record<string, MetricAt>;
    /** The checkpoint evaluation (reference protocol) with the highest whole recall. */
    checkpoint: CheckpointFigures | null;
  };
}

const modelSchema = z.union([
  z.object({ model: z.string() }).transform((c) => (c.model.startsWith("hf:") ? c.model.slice(3) : c.model)),
  z.object({ model: z.object({ family: z.literal("hf"), id: z.string() }) }).transform((c) => c.model.id),
  z.object({ model: z.object({ family: z.literal("tiny") }) }).transform(() => "tiny"),
]);

/** The model a stored run config names: "tiny" or a Hugging Face id; "?" when the config does not say. */
export function describeRunModel(config: unknown): string {
  const parsed = modelSchema.safeParse(config);
  return parsed.success ? parsed.data : "?";
}

const summarySchema = z.object({ ngr: z.object({ recall: z.number().nullable().optional(), mean_recall: z.number().nullable().optional() }).optional() });

/** Whole ngR and mean ngR of a stored evaluation summary (fractions), null where absent. */
export function readRecall(summary: unknown): { recall: number | null; meanRecall: number | null } {
  const s = summarySchema.safeParse(summary);
  const ngr = s.success ? s.data.ngr : undefined;
  return { recall: ngr?.recall ?? null, meanRecall: ngr?.mean_recall ?? null };
}

/**
 * Seconds between `start` and `end`; while the run is still going (`status` running), up to `now`.
 * Null before it starts, or when it stopped without a recorded end.
 */
export function durationSeconds(start: Date | null, end: Date | null, status: string, now: Date): number | null {
  if (!start) return null;
  const stop = end ?? (status === "running" ? now : null);
  return stop ? Math.max(0, (stop.getTime() - start.getTime()) / 1000) : null;
}

// NaN sorts above every number in PostgreSQL, and infinities are no "best": only finite values count.
const FINITE = `value <> 'NaN'::float8 AND value < 'Infinity'::float8 AND value > '-Infinity'::float8`;

type PointRow = { runId: number; name: string; step: number; value: number };

/**
 * Training runs, newest first, with what a list needs to rank them: status, model, split, wall-clock
 * duration, progress in optimizer steps, the best `reward/total_mean` and lowest `loss` with their steps,
 * the newest `eval/*` values, and the best checkpoint evaluation (whole recall and mean recall as
 * fractions, reference protocol only). Paged by id: pass the last id seen as `before`.
 */
export async function listRuns(
  prisma: PrismaClient,
  filter: { status?: RunStatus; kind?: "sft" | "grpo"; before?: number; limit?: number; now?: Date } = {},
): Promise<RunListItem[]> {
  const now = filter.now ?? new Date();
  const runs = await prisma.run.findMany({
    where: { status: filter.status, kind: filter.kind, id: filter.before === undefined ? undefined : { lt: filter.before } },
    orderBy: { id: "desc" },
    take: Math.min(Math.max(filter.limit ?? 100, 1), 500),
    include: { split: { select: { id: true, name: true, dataset: { select: { name: true } } } } },
  });
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);

  const [maxReward, minLoss, latestEval, checkpoints] = await Promise.all([
    prisma.$queryRawUnsafe<PointRow[]>(
      `SELECT DISTINCT ON ("runId") "runId", name, step, value FROM "MetricPoint"
       WHERE "runId" = ANY($1::int[]) AND name = 'reward/total_mean' AND ${FINITE} ORDER BY "runId", value DESC, step ASC`,
      ids,
    ),
    prisma.$queryRawUnsafe<PointRow[]>(
      `SELECT DISTINCT ON ("runId") "runId", name, step, value FROM "MetricPoint"
       WHERE "runId" = ANY($1::int[]) AND name = 'loss' AND ${FINITE} ORDER BY "runId", value ASC, step ASC`,
      ids,
    ),
    prisma.$queryRawUnsafe<PointRow[]>(
      `SELECT DISTINCT ON ("runId", name) "runId", name, step, value FROM "MetricPoint"
       WHERE "runId" = ANY($1::int[]) AND name LIKE 'eval/%' AND ${FINITE} ORDER BY "runId", name, step DESC`,
      ids,
    ),
    prisma.checkpoint.findMany({
      where: { runId: { in: ids } },
      select: {
        id: true,
        runId: true,
        step: true,
        predictionSets: { select: { id: true, evaluations: { where: { compatKey: "" }, select: { id: true, summary: true } } } },
      },
    }),
  ]);

  const at = (rows: PointRow[]) => new Map(rows.map((r) => [r.runId, { value: r.value, step: r.step }]));
  const rewardBy = at(maxReward);
  const lossBy = at(minLoss);
  const evalBy = new Map<number, Record<string, MetricAt>>();
  for (const r of latestEval) {
    const m = evalBy.get(r.runId) ?? {};
    m[r.name] = { value: r.value, step: r.step };
    evalBy.set(r.runId, m);
  }
  const bestCheckpoint = new Map<number, CheckpointFigures>();
  for (const c of checkpoints) {
    for (const set of c.predictionSets) {
      for (const e of set.evaluations) {
        const fig = readRecall(e.summary);
        const prev = bestCheckpoint.get(c.runId!);
        if (fig.recall === null || (prev && prev.recall !== null && prev.recall >= fig.recall)) continue;
        bestCheckpoint.set(c.runId!, { evaluationId: e.id, checkpointId: c.id, checkpointStep: c.step, predictionSetId: set.id, ...fig });
      }
    }
  }

  return runs.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    model: describeRunModel(r.config),
    split: r.split ? { id: r.split.id, label: `${r.split.dataset.name}/${r.split.name}` } : null,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationSeconds: durationSeconds(r.startedAt, r.finishedAt, r.status, now),
    lastStep: r.lastStep,
    totalSteps: r.totalSteps,
    error: r.error,
    best: {
      rewardMean: rewardBy.get(r.id) ?? null,
      loss: lossBy.get(r.id) ?? null,
      eval: evalBy.get(r.id) ?? {},
      checkpoint: bestCheckpoint.get(r.id) ?? null,
    },
  }));
}
