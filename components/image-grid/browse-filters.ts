/**
 * The image browser's filter state and its two spellings: the page URL (short keys a person can read
 * and share; recall in percent) and the images API (the query's own field names; recall as a fraction).
 */
import { PARSE_FAILURE_LABEL } from "@/components/parse-failure-labels";

export const SORTS = ["id", "recall_asc", "recall_desc"] as const;
export type Sort = (typeof SORTS)[number];

export const FAILURE_FILTERS = ["any", "none", "no_answer", "truncated", "invalid_json", "non_finite", "not_an_object", "missing_key", "wrong_type", "bad_box"] as const;
export type FailureFilter = (typeof FAILURE_FILTERS)[number];

export interface BrowseFilters {
  classId?: number;
  predicateId?: number;
  setId?: number;
  evalId?: number;
  failure?: FailureFilter;
  prediction?: "has" | "lacks";
  /** Per-image ngR range in percent, inclusive. */
  recallMin?: number;
  recallMax?: number;
  sort: Sort;
}

const int = (v: string | null) => {
  const n = v === null || v === "" ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};
const percent = (v: string | null) => {
  const n = v === null || v === "" ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
};
const oneOf = <T extends string>(all: readonly T[], v: string | null) => (all as readonly (string | null)[]).includes(v) ? (v as T) : undefined;

/** Reads the URL; anything malformed is dropped rather than shown as an error. */
export function parseFilters(sp: { get(key: string): string | null }): BrowseFilters {
  const setId = int(sp.get("set"));
  const evalId = setId === undefined ? undefined : int(sp.get("eval"));
  return {
    classId: int(sp.get("class")),
    predicateId: int(sp.get("predicate")),
    setId,
    evalId,
    // Failure and recall filters only mean something through a prediction set or evaluation.
    failure: setId === undefined ? undefined : oneOf(FAILURE_FILTERS, sp.get("failure")),
    prediction: setId === undefined ? undefined : oneOf(["has", "lacks"] as const, sp.get("prediction")),
    recallMin: evalId === undefined ? undefined : percent(sp.get("rmin")),
    recallMax: evalId === undefined ? undefined : percent(sp.get("rmax")),
    sort: (evalId === undefined ? undefined : oneOf(SORTS, sp.get("sort"))) ?? "id",
  };
}

function entries(f: BrowseFilters): [string, string | number | undefined][] {
  return [
    ["set", f.setId],
    ["eval", f.evalId],
    ["class", f.classId],
    ["predicate", f.predicateId],
    ["failure", f.failure],
    ["prediction", f.prediction],
    ["rmin", f.recallMin],
    ["rmax", f.recallMax],
    ["sort", f.sort === "id" ? undefined : f.sort],
  ];
}

/** The page's search string, without defaults, in a stable order. */
export function filtersToSearch(f: BrowseFilters): string {
  const sp = new URLSearchParams();
  for (const [k, v] of entries(f)) if (v !== undefined) sp.set(k, String(v));
  return sp.toString();
}

/** The images API's search string (without cursor). */
export function filtersToApi(f: BrowseFilters): URLSearchParams {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(filtersToQuery(f))) if (v !== undefined) sp.set(k, String(v));
  return sp;
}

/** True when anything narrows the split (the lens alone does not). */
export function isFiltered(f: BrowseFilters): boolean {
  return [f.classId, f.predicateId, f.failure, f.prediction, f.recallMin, f.recallMax].some((v) => v !== undefined);
}

export const FAILURE_LABEL: Record<FailureFilter, string> = { any: "Any failure", none: "Parsed", ...PARSE_FAILURE_LABEL };

/** The same filters as `listImages` arguments (the server's first page). */
export function filtersToQuery(f: BrowseFilters) {
  return {
    classId: f.classId,
    predicateId: f.predicateId,
    predictionSetId: f.setId,
    evaluationId: f.evalId,
    failureKind: f.failure,
    hasPrediction: f.prediction === undefined ? undefined : f.prediction === "has",
    recallMin: f.recallMin === undefined ? undefined : f.recallMin / 100,
    recallMax: f.recallMax === undefined ? undefined : f.recallMax / 100,
    sort: f.sort,
  };
}
