import { z } from "zod";
import type { PrismaClient } from "../db/generated/client";
import { describeRunModel, durationSeconds, type RunStatus } from "./list-runs";

/** Headline figures of one stored evaluation: fractions in 0..1, the failure rate in percent. */
export interface EvaluationFigures {
  id: number;
  compat: string[];
  evaluatorVersion: string;
  failureRate: number | null;
  ap50: number | null;
  recall: number | null;
  meanRecall: number | null;
}

export interface RunCheckpoint {
  id: number;
  step: number | null;
  format: string;
  path: string;
  createdAt: string;
  predictionSets: {
    id: number;
    name: string;
    status: string;
    count: number;
    failedCount: number;
    split: { id: number; label: string };
    evaluations: EvaluationFigures[];
  }[];
}

export interface RunProgress {
  /** Optimizer steps done and planned (the job's own count when it reports one). */
  done: number;
  total: number | null;
  /** done / total in 0..1, null while the total is unknown. */
  fraction: number | null;
  /** Seconds left at the rate since the job started, null when it cannot be told. */
  etaSeconds: number | null;
}

export interface RunDetail {
  id: number;
  name: string;
  kind: "sft" | "grpo";
  status: RunStatus;
  model: string;
  /** The stored config (the trainer's config.json as the form produced it). */
  config: unknown;
  split: { id: number; label: string } | null;
  evalSplit: { id: number; label: string } | null;
  initCheckpoint: { id: number; runId: number | null; step: number | null; model: string } | null;
  runDir: string;
  launcher: string;
  slurmJobId: string | null;
  lastStep: number;
  totalSteps: number | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationSeconds: number | null;
  job: {
    id: string;
    status: RunStatus;
    progressDone: number;
    progressTotal: number | null;
    message: string;
    error: string | null;
    attempts: number;
    cancelRequestedAt: string | null;
    startedAt: string | null;
    heartbeatAt: string | null;
    finishedAt: string | null;
  } | null;
  progress: RunProgress;
  checkpoints: RunCheckpoint[];
  /** Every metric name the run has logged, sorted. */
  metricNames: string[];
  /** Optimizer steps that have GRPO groups stored. */
  rolloutSteps: number;
}

/**
 * Progress in steps and the time left: the rate is steps done over seconds since `startedAt`, so a job
 * that resumed late in a run (its count starts at the checkpoint) reads optimistic until it settles.
 */
export function runProgress(done: number, total: number | null, status: string, startedAt: Date | null, now: Date): RunProgress {
  const fraction = total && total > 0 ? Math.min(1, done / total) : null;
  let etaSeconds: number | null = null;
  if (status === "running" && startedAt && total !== null && done > 0 && total > done) {
    const elapsed = (now.getTime() - startedAt.getTime()) / 1000;
    if (elapsed > 0) etaSeconds = (elapsed / done) * (total - done);
  }
  return { done, total, fraction, etaSeconds };
}

const figuresSchema = z
  .object({
    failure: z.object({ rate: z.number().nullable().optional() }).optional(),
    coco: z.object({ AP50: z.number().nullable().optional() }).optional(),
    ngr: z.object({ recall: z.number().nullable().optional(), mean_recall: z.number().nullable().optional() }).optional(),
  })
  .catch({});

/** The figures a checkpoint table shows, read from a stored evaluation summary. */
export function evaluationFigures(e: { id: number; compat: string[]; evaluatorVersion: string; summary: unknown }): EvaluationFigures {
  const s = figuresSchema.parse(e.summary ?? {});
  return {
    id: e.id,
    compat: e.compat,
    evaluatorVersion: e.evaluatorVersion,
    failureRate: s.failure?.rate ?? null,
    ap50: s.coco?.AP50 ?? null,
    recall: s.ngr?.recall ?? null,
    meanRecall: s.ngr?.mean_recall ?? null,
  };
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const splitLabel = (s: { id: number; name: string; dataset: { name: string } } | null) => (s ? { id: s.id, label: `${s.dataset.name}/${s.name}` } : null);
const splitSelect = { select: { id: true, name: true, dataset: { select: { name: true } } } } as const;

/**
 * One run for its page: the run with its job's progress (steps done and planned, ETA in seconds), its
 * checkpoints in step order with their prediction sets and each evaluation's headline figures, the
 * metric names it has logged and how many steps have GRPO groups. Null when there is no such run.
 */
export async function getRun(prisma: PrismaClient, runId: number, options: { now?: Date } = {}): Promise<RunDetail | null> {
  const now = options.now ?? new Date();
  const run = await prisma.run.findUnique({
    where: { id: runId },
    include: {
      split: splitSelect,
      evalSplit: splitSelect,
      job: true,
      createdBy: { select: { username: true } },
      checkpoints: {
        orderBy: [{ step: "asc" }, { id: "asc" }],
        include: {
          predictionSets: {
            orderBy: { id: "asc" },
            include: { split: splitSelect, evaluations: { orderBy: { id: "asc" }, select: { id: true, compat: true, evaluatorVersion: true, summary: true } } },
          },
        },
      },
    },
  });
  if (!run) return null;
  const [names, rolloutSteps, init] = await Promise.all([
    prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT DISTINCT name FROM "MetricPoint" WHERE "runId" = $1 ORDER BY name`, runId),
    prisma.rollout.groupBy({ by: ["step"], where: { runId } }),
    run.initCheckpointId === null
      ? null
      : prisma.checkpoint.findUnique({ where: { id: run.initCheckpointId }, select: { id: true, runId: true, step: true, model: { select: { name: true } } } }),
  ]);
  const job = run.job;
  const useJob = job !== null && job.progressTotal !== null;
  const startedAt = job?.startedAt ?? run.startedAt;
  return {
    id: run.id,
    name: run.name,
    kind: run.kind,
    status: run.status,
    model: describeRunModel(run.config),
    config: run.config,
    split: splitLabel(run.split),
    evalSplit: splitLabel(run.evalSplit),
    initCheckpoint: init ? { id: init.id, runId: init.runId, step: init.step, model: init.model.name } : null,
    runDir: run.runDir,
    launcher: run.launcher,
    slurmJobId: run.slurmJobId,
    lastStep: run.lastStep,
    totalSteps: run.totalSteps,
    error: run.error,
    createdBy: run.createdBy?.username ?? null,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationSeconds: durationSeconds(run.startedAt, run.finishedAt, run.status, now),
    job: job
      ? {
          id: job.id,
          status: job.status,
          progressDone: job.progressDone,
          progressTotal: job.progressTotal,
          message: job.message,
          error: job.error,
          attempts: job.attempts,
          cancelRequestedAt: iso(job.cancelRequestedAt),
          startedAt: iso(job.startedAt),
          heartbeatAt: iso(job.heartbeatAt),
          finishedAt: iso(job.finishedAt),
        }
      : null,
    progress: runProgress(useJob ? job.progressDone : run.lastStep, useJob ? job.progressTotal : run.totalSteps, run.status, startedAt, now),
    checkpoints: run.checkpoints.map((c) => ({
      id: c.id,
      step: c.step,
      format: c.format,
      path: c.path,
      createdAt: c.createdAt.toISOString(),
      predictionSets: c.predictionSets.map((p) => ({
        id: p.id,
        name: p.name,
        status: p.status,
        count: p.count,
        failedCount: p.failedCount,
        split: splitLabel(p.split)!,
        evaluations: p.evaluations.map(evaluationFigures),
      })),
    })),
    metricNames: names.map((n) => n.name),
    rolloutSteps: rolloutSteps.length,
  };
}
