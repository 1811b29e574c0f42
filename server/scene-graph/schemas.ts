import { z } from "zod";
import { cat } from "./text";
import type { DatasetType, GtRecord } from "./types";
import { getVocabulary } from "./vocab";

const finite = z.number().refine(Number.isFinite, "expected a finite number");

/** `[x1, y1, x2, y2]` in original-image pixels. */
export const boxPxSchema = z.tuple([finite, finite, finite, finite]);

export const gtObjectSchema = z.object({ id: z.string().min(1), bbox: boxPxSchema });
export const gtRelationSchema = z.object({ subject: z.string(), predicate: z.string(), object: z.string() });

/** A scene graph in original pixels whose relationships only name objects of the same graph. */
export const gtGraphSchema = z
  .object({ objects: z.array(gtObjectSchema), relationships: z.array(gtRelationSchema) })
  .superRefine((g, ctx) => {
    const ids = new Set(g.objects.map((o) => o.id));
    g.relationships.forEach((r, i) => {
      for (const end of ["subject", "object"] as const) {
        if (!ids.has(r[end])) {
          ctx.addIssue({ code: "custom", path: ["relationships", i, end], message: `"${r[end]}" is not an object id of this image` });
        }
      }
    });
  });

/** Image ids are strings everywhere; numeric ids from other tools are accepted and converted. */
export const imageIdSchema = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

/** A ground-truth record of an evaluation split (method.md a.1), before vocabulary checks. */
export const gtRecordSchema = z
  .object({
    image_id: imageIdSchema,
    width: z.number().positive(),
    height: z.number().positive(),
    objects: z.array(gtObjectSchema),
    relationships: z.array(gtRelationSchema),
  })
  .superRefine((r, ctx) => {
    const parsed = gtGraphSchema.safeParse(r);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: "custom" });
  });

/**
 * The ingest rules of a.1 that depend on the vocabulary: every id is `<class>.<n>` with exactly one dot,
 * a class of the dataset and a positive integer n; every predicate is a dataset predicate.
 * Returns the problems found, empty when the record is valid.
 */
export function checkGtVocabulary(r: GtRecord, type: DatasetType): string[] {
  const v = getVocabulary(type);
  const problems: string[] = [];
  r.objects.forEach((o, i) => {
    const parts = o.id.split(".");
    if (parts.length !== 2 || !/^[1-9]\d*$/.test(parts[1]!)) problems.push(`objects[${i}].id "${o.id}" is not <class>.<n>`);
    else if (!v.gtClassId.has(cat(o.id))) problems.push(`objects[${i}].id "${o.id}": "${cat(o.id)}" is not a ${type} class`);
  });
  r.relationships.forEach((rel, i) => {
    if (!v.predicateId.has(rel.predicate)) problems.push(`relationships[${i}].predicate "${rel.predicate}" is not a ${type} predicate`);
  });
  return problems;
}

/** A prediction file as the reference's inference writes it (method.md e.3); extra keys are kept out. */
export const predictionFileSchema = z.object({
  image_id: imageIdSchema,
  response: z.string(),
  box_scale: z.tuple([finite.positive(), finite.positive()]).optional(),
});

/** One line of `sgg reward --input`. */
export const rewardCaseSchema = z.object({
  completion: z.string(),
  gt: gtGraphSchema,
  image_size: z.tuple([finite.positive(), finite.positive()]),
  box_scale: z.tuple([finite.positive(), finite.positive()]),
});

/** A parsed model answer as stored with a prediction: `norm`ed names, boxes in the model's space. */
export const parsedGraphSchema = z.object({
  objects: z.array(z.object({ id: z.string(), rawId: z.string(), box: z.tuple([z.number(), z.number(), z.number(), z.number()]) })),
  relationships: z.array(z.object({ subject: z.string(), predicate: z.string(), object: z.string() })),
  warnings: z.array(z.object({ kind: z.string(), message: z.string(), path: z.string().optional() })).default([]),
});
export type StoredParsedGraph = z.infer<typeof parsedGraphSchema>;
