/**
 * Stores one line of a run's event log (events.jsonl). Every write is idempotent, keyed by what the
 * event is about, so replaying the whole log after a crash, or a resumed trainer repeating the steps
 * after its last checkpoint, stores nothing twice:
 *
 * - metric     → MetricPoint (run, name, step), ON CONFLICT DO NOTHING; Run.lastStep only grows
 * - checkpoint → Checkpoint (run, step, "torch") upsert under the run's model row
 * - rollout    → Rollout (run, step, prompt), ON CONFLICT DO NOTHING
 * - log        → RunLog keyed by the line number in events.jsonl
 * - done       → RunLog note; the Run's status (live only, not while replaying an old attempt)
 * - a malformed line → RunLog warning at its line number; it never stops the run
 */
import path from "node:path";
import type { Prisma, PrismaClient } from "../db/generated/client";
import { confinePath } from "./confine-path";
import { parseTrainerLine, type TrainerEvent } from "./trainer-events";

/** What recording needs to know about the run. */
export interface EventTarget {
  readonly runId: number;
  /** Absolute run folder: reported checkpoint paths must lie inside it. */
  readonly runDir: string;
  /** Training split: rollout prompt ids are its image keys. */
  readonly splitId: number | null;
  /** The Model row checkpoints hang under (one per model family, e.g. tiny-sgg). */
  readonly model: { readonly name: string; readonly family: string };
}

export interface RecordOptions {
  /** Replaying an earlier attempt's log: a `done` line does not change the Run's status. */
  readonly replay?: boolean;
  /** Image-key → Image.id cache shared across the lines of one run (null: not in the split). */
  readonly imageIds?: Map<string, number | null>;
}

export type RecordedLine =
  | { readonly type: "metric"; readonly step: number; readonly stored: number }
  | { readonly type: "checkpoint"; readonly step: number; readonly checkpointId: number | null; readonly path: string }
  | { readonly type: "rollout"; readonly step: number }
  | { readonly type: "log"; readonly level: string; readonly totalSteps: number | null; readonly field: string | null }
  | { readonly type: "done"; readonly status: "completed" | "failed"; readonly step: number; readonly error: string | null }
  | { readonly type: "malformed"; readonly error: string }
  | { readonly type: "blank" };

const MAX_MESSAGE = 4000;

async function note(prisma: PrismaClient, runId: number, line: number, level: string, message: string): Promise<void> {
  await prisma.runLog.createMany({ data: [{ runId, line, level, message: message.slice(0, MAX_MESSAGE) }], skipDuplicates: true });
}

/**
 * Parses and stores line `line` (1-based) of the run's events.jsonl. Never throws for a bad line; database
 * errors propagate (the caller retries the job and the replay picks the line up again).
 */
export async function recordTrainerLine(prisma: PrismaClient, target: EventTarget, text: string, line: number, options: RecordOptions = {}): Promise<RecordedLine> {
  const parsed = parseTrainerLine(text);
  if (parsed.kind === "blank") return { type: "blank" };
  if (parsed.kind === "malformed") {
    await note(prisma, target.runId, line, "warning", `events.jsonl line ${line}: ${parsed.error}`);
    return { type: "malformed", error: parsed.error };
  }
  return recordTrainerEvent(prisma, target, parsed.event, line, options);
}

/** Stores one validated event; see the module comment for what goes where. */
export async function recordTrainerEvent(prisma: PrismaClient, target: EventTarget, event: TrainerEvent, line: number, options: RecordOptions = {}): Promise<RecordedLine> {
  const runId = target.runId;
  switch (event.type) {
    case "metric": {
      const data = Object.entries(event.values)
        .filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1]))
        .map(([name, value]) => ({ runId, step: event.step, name, value }));
      const { count } = await prisma.metricPoint.createMany({ data, skipDuplicates: true });
      await prisma.run.updateMany({ where: { id: runId, lastStep: { lt: event.step } }, data: { lastStep: event.step } });
      return { type: "metric", step: event.step, stored: count };
    }
    case "checkpoint": {
      let where: string;
      try {
        where = confinePath(event.path, { roots: [target.runDir], field: "checkpoint.path" });
      } catch (e) {
        await note(prisma, runId, line, "warning", `events.jsonl line ${line}: checkpoint of step ${event.step} not registered: ${(e as Error).message}`);
        return { type: "checkpoint", step: event.step, checkpointId: null, path: event.path };
      }
      const id = await registerCheckpoint(prisma, target, event.step, where);
      return { type: "checkpoint", step: event.step, checkpointId: id, path: where };
    }
    case "rollout": {
      const imageId = await resolveImage(prisma, target.splitId, event.prompt_id, options.imageIds);
      await prisma.rollout.createMany({
        data: [
          {
            runId,
            step: event.step,
            promptId: event.prompt_id,
            imageId,
            imageWidth: event.image_size ? Math.round(event.image_size[0]) : null,
            imageHeight: event.image_size ? Math.round(event.image_size[1]) : null,
            boxScaleX: event.box_scale?.[0] ?? 1000,
            boxScaleY: event.box_scale?.[1] ?? 1000,
            completions: event.completions as Prisma.InputJsonValue,
            rewardStd: sampleStd(event.completions.map((c) => c.reward)),
          },
        ],
        skipDuplicates: true,
      });
      return { type: "rollout", step: event.step };
    }
    case "log": {
      const field = typeof event.field === "string" ? event.field : null;
      const totalSteps = typeof event.total_steps === "number" && Number.isInteger(event.total_steps) && event.total_steps > 0 ? event.total_steps : null;
      await note(prisma, runId, line, event.level, field ? `${event.message} (field ${field})` : event.message);
      if (totalSteps !== null) await prisma.run.update({ where: { id: runId }, data: { totalSteps } });
      return { type: "log", level: event.level, totalSteps, field };
    }
    case "done": {
      const error = typeof event.error === "string" ? event.error : null;
      await note(prisma, runId, line, event.status === "completed" ? "info" : "error", `trainer finished: ${event.status} at step ${event.step}${error ? `: ${error}` : ""}`);
      if (!options.replay) {
        await prisma.run.update({
          where: { id: runId },
          data: event.status === "completed" ? { status: "completed", finishedAt: new Date(), error: null } : { status: "failed", error: error ?? "the trainer reported a failure" },
        });
      }
      return { type: "done", status: event.status, step: event.step, error };
    }
  }
}

/**
 * Registers a checkpoint folder of the run (format "torch") once per (run, step); returns its id. Also
 * used for folders found on disk whose event line was lost with a dead worker.
 */
export async function registerCheckpoint(prisma: PrismaClient, target: EventTarget, step: number, folder: string): Promise<number> {
  const model = await prisma.model.upsert({ where: { name: target.model.name }, create: { name: target.model.name, family: target.model.family }, update: {} });
  const row = await prisma.checkpoint.upsert({
    where: { runId_step_format: { runId: target.runId, step, format: "torch" } },
    create: { modelId: model.id, runId: target.runId, step, path: path.resolve(folder), format: "torch" },
    update: { path: path.resolve(folder) },
  });
  return row.id;
}

async function resolveImage(prisma: PrismaClient, splitId: number | null, key: string, cache?: Map<string, number | null>): Promise<number | null> {
  if (splitId === null) return null;
  const hit = cache?.get(key);
  if (hit !== undefined) return hit;
  const img = await prisma.image.findUnique({ where: { splitId_imageKey: { splitId, imageKey: key } }, select: { id: true } });
  const id = img?.id ?? null;
  cache?.set(key, id);
  return id;
}

/** Unbiased (n − 1) standard deviation of the finite rewards; 0 for fewer than two. */
export function sampleStd(values: readonly (number | null | undefined)[]): number {
  const xs = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return Math.sqrt(ss / (xs.length - 1));
}
