import { deltaTone, METRICS, readSummary } from "./metrics";

/** One stored evaluation of a prediction set, as evaluationVersions() lists them. */
export interface VersionedEvaluation {
  readonly id: number;
  readonly gtVersion: number;
  readonly compatKey: string;
  readonly evaluatorVersion: string;
  readonly summary: unknown;
}

export interface AdjustedRow {
  readonly key: string;
  readonly label: string;
  readonly hint: string;
  /** Fractions in [0, 1] (the failure rate too); null when the summary lacks the figure. */
  readonly original: number | null;
  readonly reviewed: number | null;
  /** reviewed − original, null unless both are known. */
  readonly delta: number | null;
  readonly tone: "better" | "worse" | "same";
}

export interface AdjustedRecall {
  /** The same-protocol evaluation at the oldest GT version. */
  readonly original: { readonly id: number; readonly gtVersion: number };
  /** The same-protocol evaluation at the newest GT version; null while only one version was evaluated. */
  readonly reviewed: { readonly id: number; readonly gtVersion: number } | null;
  readonly rows: readonly AdjustedRow[];
}

/** Recall first: the figures ground-truth review moves; the failure rate shows it does not touch parsing. */
const KEYS = ["ngr", "ngmr", "ap50", "failure"] as const;

/**
 * Evaluations of the same set measured under the same protocol (compatibility flags and evaluator
 * version) as `of`, so that only the ground truth differs between them; oldest GT version first.
 */
export function sameProtocol<E extends VersionedEvaluation>(evaluations: readonly E[], of: Pick<VersionedEvaluation, "compatKey" | "evaluatorVersion">): E[] {
  return evaluations.filter((e) => e.compatKey === of.compatKey && e.evaluatorVersion === of.evaluatorVersion).sort((a, b) => a.gtVersion - b.gtVersion || a.id - b.id);
}

/**
 * Recall, mean recall, AP50 and failure rate against the original ground truth (the oldest GT version
 * evaluated) beside the same figures against the reviewed one (the newest), with their difference.
 * Null when no evaluation shares the protocol of `of`.
 */
export function adjustedRecall(evaluations: readonly VersionedEvaluation[], of: Pick<VersionedEvaluation, "compatKey" | "evaluatorVersion">): AdjustedRecall | null {
  const same = sameProtocol(evaluations, of);
  if (same.length === 0) return null;
  const first = same[0]!;
  // Of several evaluations at the newest version the latest stored one counts.
  const last = same[same.length - 1]!;
  const reviewed = last.gtVersion > first.gtVersion ? last : null;
  const a = readSummary(first.summary);
  const b = reviewed ? readSummary(reviewed.summary) : null;
  const rows = KEYS.map((key) => {
    const def = METRICS.find((m) => m.key === key)!;
    const original = def.value(a);
    const next = b ? def.value(b) : null;
    const delta = original === null || next === null ? null : next - original;
    return { key, label: def.label, hint: def.hint, original, reviewed: next, delta, tone: deltaTone(def, delta) };
  });
  return { original: { id: first.id, gtVersion: first.gtVersion }, reviewed: reviewed ? { id: reviewed.id, gtVersion: reviewed.gtVersion } : null, rows };
}
