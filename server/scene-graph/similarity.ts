import { z } from "zod";
import { cat } from "./text";

/**
 * Label similarity `S(x, y)` on category strings already reduced and lower-cased (method.md d.3).
 * Injected so that a spaCy-like embedding service can stand behind it; exact match by default.
 */
export type Similarity = (x: string, y: string) => number;

/** The default `S`: 1.0 for identical strings, else 0.0. */
export const exactSimilarity: Similarity = (x, y) => (x === y ? 1 : 0);

/** `sim(a, b) = S(lower(cat(a)), lower(cat(b)))`, the reduction used by every reward. */
export function labelSim(S: Similarity, a: string, b: string): number {
  return S(cat(a).toLowerCase(), cat(b).toLowerCase());
}

/** The similarity-table file: `{"default": number, "table": [{"a", "b", "sim"}]}`, unordered pairs. */
export const similarityTableSchema = z.object({
  default: z.number(),
  table: z.array(z.object({ a: z.string(), b: z.string(), sim: z.number() })),
});
export type SimilarityTable = z.infer<typeof similarityTableSchema>;

/** A table-driven `S`: identical strings are 1.0, listed unordered pairs their value, else `default`. */
export function tableSimilarity(t: SimilarityTable): Similarity {
  const pairs = new Map<string, number>();
  for (const e of t.table) {
    pairs.set(`${e.a}\u0000${e.b}`, e.sim);
    pairs.set(`${e.b}\u0000${e.a}`, e.sim);
  }
  return (x, y) => (x === y ? 1 : (pairs.get(`${x}\u0000${y}`) ?? t.default));
}
