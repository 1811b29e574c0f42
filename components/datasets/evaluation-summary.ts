import { z } from "zod";

/** The headline figures of a stored `Evaluation.summary`; tolerant, older rows may lack some. */
const summarySchema = z.object({
  failure: z.object({ rate: z.number(), failed: z.number(), total: z.number() }).partial().optional(),
  coco: z.object({ AP50: z.number().nullable() }).partial().optional(),
  ngr: z.object({ recall: z.number().nullable(), mean_recall: z.number().nullable() }).partial().optional(),
});

export interface Headline {
  /** Percent of answers that failed to parse. */
  failureRate: number | null;
  /** Fractions 0..1. */
  ap50: number | null;
  ngR: number | null;
  ngmR: number | null;
}

export function headline(summary: unknown): Headline {
  const s = summarySchema.safeParse(summary);
  const d = s.success ? s.data : {};
  return {
    failureRate: d.failure?.rate ?? null,
    ap50: d.coco?.AP50 ?? null,
    ngR: d.ngr?.recall ?? null,
    ngmR: d.ngr?.mean_recall ?? null,
  };
}

/** A fraction as percent points with one decimal, the way SGG papers print recall. */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) || v < 0 ? "–" : (v * 100).toFixed(digits);
}

export function protocolLabel(compat: readonly string[]): string {
  return compat.length ? compat.join(" + ") : "reference";
}

export const nf = new Intl.NumberFormat("en-US");
