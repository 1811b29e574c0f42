import { z } from "zod";
import type { PrismaClient } from "../db/generated/client";
import { parseSceneGraph } from "../scene-graph/parse-graph";

/** A box as drawn: `[x1, y1, x2, y2]` in pixels of the original image (of the box space when the image is unknown). */
export type DrawBox = [number, number, number, number];

export interface RolloutCompletion {
  index: number;
  text: string;
  /** Weighted total reward, the advantage's input. */
  reward: number | null;
  /** Each reward function's value (null: the function did not apply). */
  values: Record<string, number | null>;
  /** (reward − group mean) / (group std + 1e-4). */
  advantage: number | null;
  /** Completion tokens, EOS included. */
  length: number | null;
  /** The reward service could not score it (unparsable answer). */
  failed: boolean;
  /** The answer as the scene-graph core parses it, boxes converted to drawing pixels. */
  parse:
    | { ok: true; objects: { id: string; box: DrawBox }[]; relations: number }
    | { ok: false; kind: string; message: string };
  /** Set when the stored entry did not have the expected shape (its fields were read as far as possible). */
  problem: string | null;
}

export interface RolloutGroup {
  id: number;
  promptId: string;
  image: { id: number; imageKey: string; storageKey: string | null } | null;
  /** The size the boxes are drawn in: the original image, or the model's box space when unknown. */
  width: number;
  height: number;
  boxScale: [number, number];
  /** Standard deviation of the group's total rewards. */
  rewardStd: number;
  /** Every completion got the same reward: all advantages are 0, the group teaches nothing. */
  zeroVariance: boolean;
  gt: { id: string; box: DrawBox }[];
  completions: RolloutCompletion[];
  /** Set when the stored completions are not a list. */
  problem: string | null;
}

export interface RunRollouts {
  /** Steps that have stored groups, ascending. */
  steps: number[];
  /** The step shown: the one asked for, else the newest; null when the run has none. */
  step: number | null;
  groups: RolloutGroup[];
}

const completionSchema = z.object({
  text: z.string().catch(""),
  reward: z.number().nullable().catch(null),
  values: z.record(z.string(), z.number().nullable().catch(null)).catch({}),
  advantage: z.number().nullable().catch(null),
  length: z.number().int().nullable().catch(null),
  failed: z.boolean().catch(false),
});

// What the trainer's rollout event allows (server/runs/trainer-events.ts): anything else is reported.
const strictCompletionSchema = z.object({
  text: z.string(),
  reward: z.number().nullable(),
  values: z.record(z.string(), z.number().nullable()).optional(),
  advantage: z.number().nullable().optional(),
  length: z.number().int().min(0).nullable().optional(),
  failed: z.boolean().optional(),
});

/** A stored completion entry, read leniently: a malformed one is shown with its problem, never dropped. */
export function readCompletion(raw: unknown, index: number, scale: { sx: number; sy: number; width: number; height: number }): RolloutCompletion {
  const strict = strictCompletionSchema.safeParse(raw);
  const c = completionSchema.parse(raw !== null && typeof raw === "object" ? raw : {});
  const problem = strict.success ? null : strict.error.issues.map((i) => `${i.path.join(".") || "entry"}: ${i.message}`).join("; ");
  const p = parseSceneGraph(c.text);
  const fx = scale.width / scale.sx;
  const fy = scale.height / scale.sy;
  const parse: RolloutCompletion["parse"] = p.ok
    ? { ok: true, objects: p.graph.objects.map((o) => ({ id: o.id, box: [o.box[0] * fx, o.box[1] * fy, o.box[2] * fx, o.box[3] * fy] })), relations: p.graph.relationships.length }
    : { ok: false, kind: p.failure.kind, message: p.failure.message };
  return { index, ...c, parse, problem };
}

/**
 * The GRPO groups of one step of a run, for the group viewer: every prompt's G completions with total
 * reward, per-function values, advantage, length and failed flag, each answer parsed by the scene-graph
 * core with its boxes in original-image pixels (box × W/sx), the image and its ground-truth boxes, and
 * whether the group's rewards had zero variance. Also lists every step that has groups, so the viewer
 * can offer them. `step` absent: the newest step.
 */
export async function listRollouts(prisma: PrismaClient, runId: number, options: { step?: number } = {}): Promise<RunRollouts> {
  const stepRows = await prisma.rollout.groupBy({ by: ["step"], where: { runId }, orderBy: { step: "asc" } });
  const steps = stepRows.map((s) => s.step);
  const step = options.step ?? steps[steps.length - 1] ?? null;
  if (step === null) return { steps, step: null, groups: [] };
  const rows = await prisma.rollout.findMany({ where: { runId, step }, orderBy: { promptId: "asc" } });
  const imageIds = [...new Set(rows.map((r) => r.imageId).filter((id): id is number => id !== null))];
  const images = await prisma.image.findMany({
    where: { id: { in: imageIds } },
    select: { id: true, imageKey: true, storageKey: true, width: true, height: true, objects: { orderBy: { idx: "asc" }, select: { label: true, x1: true, y1: true, x2: true, y2: true } } },
  });
  const byId = new Map(images.map((i) => [i.id, i]));
  const groups = rows.map((r): RolloutGroup => {
    const img = r.imageId === null ? undefined : byId.get(r.imageId);
    const width = img?.width ?? r.imageWidth ?? r.boxScaleX;
    const height = img?.height ?? r.imageHeight ?? r.boxScaleY;
    // Without the original size the boxes stay in the model's own space.
    const known = img !== undefined || (r.imageWidth !== null && r.imageHeight !== null);
    const scale = known ? { sx: r.boxScaleX, sy: r.boxScaleY, width, height } : { sx: 1, sy: 1, width: 1, height: 1 };
    const list: unknown[] = Array.isArray(r.completions) ? r.completions : [];
    return {
      id: r.id,
      promptId: r.promptId,
      image: img ? { id: img.id, imageKey: img.imageKey, storageKey: img.storageKey } : null,
      width,
      height,
      boxScale: [r.boxScaleX, r.boxScaleY],
      rewardStd: r.rewardStd,
      zeroVariance: Math.abs(r.rewardStd) < 1e-12,
      gt: (img?.objects ?? []).map((o) => ({ id: o.label, box: [o.x1, o.y1, o.x2, o.y2] })),
      completions: list.map((c, i) => readCompletion(c, i, scale)),
      problem: Array.isArray(r.completions) ? null : `rollout ${r.id}: completions are not a list`,
    };
  });
  return { steps, step, groups };
}
