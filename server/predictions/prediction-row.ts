import type { Prisma } from "../db/generated/client";
import { parseSceneGraph } from "../scene-graph/parse-graph";

/** A Prediction row without its set: the raw answer, its box space, what the parser made of it. */
export type PredictionRow = Omit<Prisma.PredictionCreateManyInput, "predictionSetId">;

/**
 * The one way an answer becomes a stored prediction (imports and inference alike): the raw text kept
 * as written, the box scale (model space, method.md b.4), and the core parser's graph with its warnings,
 * or its failure kind and message. `failureNote` replaces the message of an answer that never came
 * (an inference timeout, a refused request): the row then fails as "no_answer" with that reason.
 * `usage` (inference only) is stored as given.
 */
export function buildPredictionRow(
  imageId: number,
  response: string,
  boxScale: readonly [number, number] | undefined,
  extra: { usage?: Prisma.InputJsonValue; failureNote?: string } = {},
): PredictionRow {
  const parsed = parseSceneGraph(response);
  return {
    imageId,
    response,
    boxScaleX: boxScale?.[0] ?? 1000,
    boxScaleY: boxScale?.[1] ?? 1000,
    parseOk: parsed.ok,
    failureKind: parsed.ok ? null : parsed.failure.kind,
    failureMessage: parsed.ok ? null : (extra.failureNote ?? parsed.failure.message),
    parsed: parsed.ok ? (JSON.parse(JSON.stringify({ objects: parsed.graph.objects, relationships: parsed.graph.relationships, warnings: parsed.warnings })) as Prisma.InputJsonValue) : undefined,
    ...(extra.usage !== undefined ? { usage: extra.usage } : {}),
  };
}
