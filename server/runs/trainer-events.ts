/**
 * The trainer's JSON-line events, version 1 (workers/trainer/sgg_trainer/events.py): one object per
 * stdout line. Extra keys are kept (a log line may carry `field`, `step`, `total_steps`; done may carry
 * `error`, `elapsed_s`), unknown versions and types are malformed lines, never exceptions.
 */
import { z } from "zod";

export const TRAINER_EVENT_VERSION = 1;

const step = z.number().int().min(0);
// The trainer writes null for a non-finite number (JSON has no NaN); such values are dropped on storage.
const maybeNumber = z.number().nullable();
const pair = z.tuple([z.number().positive(), z.number().positive()]);

export const metricEventSchema = z.looseObject({
  v: z.literal(TRAINER_EVENT_VERSION),
  type: z.literal("metric"),
  step,
  values: z.record(z.string().min(1).max(200), maybeNumber),
});

export const checkpointEventSchema = z.looseObject({
  v: z.literal(TRAINER_EVENT_VERSION),
  type: z.literal("checkpoint"),
  step,
  path: z.string().min(1),
});

export const rolloutCompletionSchema = z.looseObject({
  text: z.string(),
  reward: maybeNumber,
  values: z.record(z.string(), maybeNumber).default({}),
  advantage: maybeNumber.optional(),
  length: z.number().int().min(0).optional(),
  failed: z.boolean().optional(),
});

export const rolloutEventSchema = z.looseObject({
  v: z.literal(TRAINER_EVENT_VERSION),
  type: z.literal("rollout"),
  step,
  prompt_id: z.string().min(1),
  image_size: pair.optional(),
  box_scale: pair.optional(),
  completions: z.array(rolloutCompletionSchema),
});

export const logEventSchema = z.looseObject({
  v: z.literal(TRAINER_EVENT_VERSION),
  type: z.literal("log"),
  level: z.enum(["info", "warning", "error"]),
  message: z.string(),
});

export const doneEventSchema = z.looseObject({
  v: z.literal(TRAINER_EVENT_VERSION),
  type: z.literal("done"),
  status: z.enum(["completed", "failed"]),
  step,
});

export const trainerEventSchema = z.discriminatedUnion("type", [metricEventSchema, checkpointEventSchema, rolloutEventSchema, logEventSchema, doneEventSchema]);

export type TrainerEvent = z.infer<typeof trainerEventSchema>;
export type MetricEvent = z.infer<typeof metricEventSchema>;
export type CheckpointEvent = z.infer<typeof checkpointEventSchema>;
export type RolloutEvent = z.infer<typeof rolloutEventSchema>;
export type LogEvent = z.infer<typeof logEventSchema>;
export type DoneEvent = z.infer<typeof doneEventSchema>;

export type ParsedTrainerLine =
  | { readonly kind: "event"; readonly event: TrainerEvent }
  /** A line that is not a valid event; `error` says why (for the run log). */
  | { readonly kind: "malformed"; readonly error: string }
  /** An empty or whitespace-only line: nothing to record. */
  | { readonly kind: "blank" };

const MAX_REPORTED = 120;

function excerpt(line: string): string {
  const t = line.trim();
  return JSON.stringify(t.length > MAX_REPORTED ? `${t.slice(0, MAX_REPORTED)}…` : t);
}

/** Parses one stdout line of the trainer. Never throws: a bad line is `malformed` with the reason. */
export function parseTrainerLine(line: string): ParsedTrainerLine {
  if (line.trim() === "") return { kind: "blank" };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { kind: "malformed", error: `not JSON: ${excerpt(line)}` };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { kind: "malformed", error: `not a JSON object: ${excerpt(line)}` };
  const obj = raw as Record<string, unknown>;
  if (obj.v !== TRAINER_EVENT_VERSION) return { kind: "malformed", error: `unsupported event version ${JSON.stringify(obj.v ?? null)} (expected ${TRAINER_EVENT_VERSION})` };
  const parsed = trainerEventSchema.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join(".") : "type";
    return { kind: "malformed", error: `bad ${typeof obj.type === "string" ? obj.type : "event"} event, ${where}: ${issue.message}` };
  }
  return { kind: "event", event: parsed.data };
}
