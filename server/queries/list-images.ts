import { z } from "zod";
import type { PrismaClient } from "../db/generated/client";
import { PARSE_FAILURE_KINDS, type ParseFailureKind } from "../scene-graph/parse-graph";

/** Filters and ordering of the image browser; every combination is served by an index. */
export const listImagesQuerySchema = z.object({
  splitId: z.number().int().positive(),
  /** Only images with a ground-truth object of this class id. */
  classId: z.number().int().nonnegative().optional(),
  /** Only images with a ground-truth relation with this predicate id. */
  predicateId: z.number().int().positive().optional(),
  /** Seen through one prediction set: its answers' failures, and whether it answered at all. */
  predictionSetId: z.number().int().positive().optional(),
  hasFailure: z.boolean().optional(),
  /** "any" failure, "none", or one parse-failure kind (needs `predictionSetId`). */
  failureKind: z.enum(["any", "none", ...PARSE_FAILURE_KINDS]).optional(),
  hasPrediction: z.boolean().optional(),
  /** With `recallMin`/`recallMax`/`sort`: per-image no-K recall of this evaluation. */
  evaluationId: z.number().int().positive().optional(),
  recallMin: z.number().min(0).max(1).optional(),
  recallMax: z.number().min(0).max(1).optional(),
  sort: z.enum(["id", "recall_asc", "recall_desc"]).default("id"),
  /** Opaque cursor from the previous page. */
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ListImagesQuery = z.input<typeof listImagesQuerySchema>;

export interface ImageListItem {
  id: number;
  imageKey: string;
  width: number;
  height: number;
  storageKey: string | null;
  objectCount: number;
  relationCount: number;
  /** Per-image no-K recall in the chosen evaluation, when one is given. */
  recall: number | null;
  failed: boolean | null;
  /** Whether the chosen prediction set (or evaluation) has an answer for the image; null without one. */
  predicted: boolean | null;
  failureKind: ParseFailureKind | null;
}

/**
 * A page of images of a split, keyset-paged (no OFFSET: the cost of page 1,000 is that of page 1).
 * Class and predicate filters use the (split, class, image) and (split, predicate, image) indexes;
 * recall sorting uses (evaluation, recall).
 */
export async function listImages(
  prisma: PrismaClient,
  query: ListImagesQuery,
): Promise<{ items: ImageListItem[]; nextCursor: string | null }> {
  const q = listImagesQuerySchema.parse(query);
  const params: unknown[] = [q.splitId];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [`i."splitId" = $1`];
  const byRecall = q.evaluationId !== undefined && q.sort !== "id";
  const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
  // As in listImages: in id order a class or predicate filter drives the scan from its index.
  const driver = byRecall ? null : q.classId !== undefined ? "class" : q.predicateId !== undefined ? "predicate" : null;
  let from = `"Image" i`;
  if (driver) {
    const [table, col, value] = driver === "class" ? ["GtObject", "classId", q.classId] : ["GtRelation", "predicateId", q.predicateId];
    const after = cursor ? ` AND "imageId" > ${p(cursor.id)}` : "";
    from = `(SELECT DISTINCT "imageId" FROM "${table}" WHERE "splitId" = $1 AND "${col}" = ${p(value)}${after} ORDER BY "imageId") d JOIN "Image" i ON i.id = d."imageId"`;
  }
  if (q.classId !== undefined && driver !== "class") {
    where.push(`EXISTS (SELECT 1 FROM "GtObject" o WHERE o."splitId" = $1 AND o."classId" = ${p(q.classId)} AND o."imageId" = i.id)`);
  }
  if (q.predicateId !== undefined && driver !== "predicate") {
    where.push(`EXISTS (SELECT 1 FROM "GtRelation" r WHERE r."splitId" = $1 AND r."predicateId" = ${p(q.predicateId)} AND r."imageId" = i.id)`);
  }

  const withSet = q.predictionSetId !== undefined;
  const joins: string[] = [];
  if (withSet) {
    joins.push(`LEFT JOIN "Prediction" pr ON pr."predictionSetId" = ${p(q.predictionSetId)} AND pr."imageId" = i.id`);
    if (q.hasPrediction !== undefined) where.push(q.hasPrediction ? `pr.id IS NOT NULL` : `pr.id IS NULL`);
    if (q.failureKind === "any") where.push(`pr."parseOk" = false`);
    else if (q.failureKind === "none") where.push(`pr."parseOk" = true`);
    else if (q.failureKind) where.push(`pr."failureKind" = ${p(q.failureKind)}`);
    if (q.hasFailure !== undefined) where.push(`pr."parseOk" = ${q.hasFailure ? "false" : "true"}`);
  }
  const withEval = q.evaluationId !== undefined;
  if (withEval) joins.push(`LEFT JOIN "EvaluationImage" e ON e."evaluationId" = ${p(q.evaluationId)} AND e."imageId" = i.id`);
  if (withEval && q.recallMin !== undefined) where.push(`e."ngrRecall" >= ${p(q.recallMin)}`);
  if (withEval && q.recallMax !== undefined) where.push(`e."ngrRecall" <= ${p(q.recallMax)}`);

  const desc = q.sort === "recall_desc";
  if (cursor) {
    if (byRecall) {
      // Images without a recall (no relations) sort last in both directions.
      if (cursor.recall === null) where.push(`(e."ngrRecall" IS NULL AND i.id > ${p(cursor.id)})`);
      else where.push(`(e."ngrRecall" ${desc ? "<" : ">"} ${p(cursor.recall)} OR (e."ngrRecall" = $${params.length} AND i.id > ${p(cursor.id)}) OR e."ngrRecall" IS NULL)`);
    } else if (!driver) where.push(`i.id > ${p(cursor.id)}`);
  }
  const order = byRecall ? `e."ngrRecall" ${desc ? "DESC" : "ASC"} NULLS LAST, i.id ASC` : "i.id ASC";
  const cols = [
    withEval ? `e."ngrRecall" AS recall` : `NULL::float8 AS recall`,
    withEval && withSet ? `COALESCE(e.failed, NOT pr."parseOk") AS failed` : withEval ? `e.failed` : withSet ? `NOT pr."parseOk" AS failed` : `NULL::boolean AS failed`,
    withSet ? `(pr.id IS NOT NULL) AS predicted, pr."failureKind"` : withEval ? `e.predicted, e."failureKind"` : `NULL::boolean AS predicted, NULL::text AS "failureKind"`,
  ];
  const sql = `SELECT i.id, i."imageKey", i.width, i.height, i."storageKey", i."objectCount", i."relationCount", ${cols.join(", ")}
    FROM ${from} ${joins.join(" ")} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${p(q.limit + 1)}`;
  const rows = await prisma.$queryRawUnsafe<ImageListItem[]>(sql, ...params);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ id: last.id, recall: byRecall ? last.recall : null }) : null;
  return { items, nextCursor };
}

function encodeCursor(c: { id: number; recall: number | null }): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

const cursorSchema = z.object({ id: z.number().int(), recall: z.number().nullable() });

function decodeCursor(s: string): z.infer<typeof cursorSchema> {
  const parsed = cursorSchema.safeParse(safeJson(Buffer.from(s, "base64url").toString("utf8")));
  // A zod error: the route answers 400 naming the field rather than 500.
  if (!parsed.success) throw new z.ZodError([{ code: "custom", path: ["cursor"], message: "invalid cursor", input: s }]);
  return parsed.data;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
