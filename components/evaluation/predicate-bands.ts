/** Per-predicate rows as the dashboard and the comparison draw them. */
export interface PredicateRow {
  predicateId: number;
  predicate: string;
  gtCount: number;
  ngrHits: number;
  ngrRecall: number | null;
}

export type FrequencyBand = "head" | "body" | "tail";

/**
 * Predicates present in the ground truth, most frequent first, split into head, body and tail by rank
 * in the VG150 proportions (15 / 20 / 15 of 50 predicates), scaled to the predicates present.
 */
export function byFrequency<T extends PredicateRow>(rows: readonly T[]): { rows: T[]; band: FrequencyBand[]; bounds: Record<FrequencyBand, [number, number]> } {
  const present = rows.filter((r) => r.gtCount > 0).sort((a, b) => b.gtCount - a.gtCount || a.predicateId - b.predicateId);
  const n = present.length;
  const head = Math.max(1, Math.round((n * 15) / 50));
  const body = Math.max(n >= 3 ? 1 : 0, Math.round((n * 20) / 50));
  const band = present.map((_, i): FrequencyBand => (i < head ? "head" : i < head + body ? "body" : "tail"));
  return {
    rows: present,
    band,
    bounds: { head: [0, Math.min(head, n) - 1], body: [head, Math.min(head + body, n) - 1], tail: [head + body, n - 1] },
  };
}

export const BAND_COLORS: Record<FrequencyBand, string> = {
  head: "rgba(29, 78, 216, 0.06)",
  body: "rgba(124, 58, 237, 0.06)",
  tail: "rgba(234, 88, 12, 0.07)",
};
