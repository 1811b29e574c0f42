import { z } from "zod";

/** A box in original-image pixels, [x1, y1, x2, y2] (BoxPx). */
export const boxPxSchema = z.tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()]);

export const graphObjectSchema = z.object({ id: z.string().min(1).max(200), bbox: boxPxSchema }).strict();

export const graphRelationSchema = z
  .object({ subject: z.string().min(1).max(200), predicate: z.string().min(1).max(200), object: z.string().min(1).max(200) })
  .strict();

/**
 * An image's ground-truth graph as the editor sends it and revisions store it: the record format the
 * dataset readers use (`objects` with `<class>.<n>` ids and BoxPx boxes, `relationships` by object id).
 */
export const imageGraphSchema = z.object({
  objects: z.array(graphObjectSchema).max(2000),
  relationships: z.array(graphRelationSchema).max(10000),
});

export type GraphObject = z.infer<typeof graphObjectSchema>;
export type GraphRelation = z.infer<typeof graphRelationSchema>;
export type ImageGraph = z.infer<typeof imageGraphSchema>;

/** A triplet by object ids of one graph. */
export const tripletSchema = graphRelationSchema;
export type Triplet = GraphRelation;
