import { extractAnswer } from "../extract-answer";
import { field, isDict, isNum, iterate, parsePyJson, type PyValue } from "../py-json";
import { isWs, strip } from "../text";

const FORMAT_REWARD_WEIGHT = 1.0;

export interface FormatOptions {
  /** STRICT_FORMAT (default true): without the think/answer layout a valid graph scores 0, else 0.5. */
  readonly strict?: boolean;
  /** `r1sgg-head`: the HEAD regression, where any answer with an object element scores 0 (d.12). */
  readonly head?: boolean;
}

/**
 * True when `c` is `<think>A</think>W<answer>B</answer>` as a whole (W: whitespace). Equivalent to a
 * full regex match with lazy groups, without the backtracking.
 */
export function hasThinkAnswerLayout(c: string): boolean {
  if (!c.startsWith("<think>") || !c.endsWith("</answer>")) return false;
  const lastOpenEnd = c.length - "</answer>".length;
  for (let i = c.indexOf("</think>", 7); i >= 0; i = c.indexOf("</think>", i + 1)) {
    let k = i + 8;
    while (k < c.length && isWs(c.charCodeAt(k))) k++;
    if (c.startsWith("<answer>", k) && k + 8 <= lastOpenEnd) return true;
  }
  return false;
}

/** `validObject` of d.12: an object with an `id` key and a `bbox` of four numbers (booleans count). */
export function isValidObject(o: PyValue): boolean {
  if (!isDict(o) || !Object.hasOwn(o, "id")) return false;
  const b = o.bbox;
  return Object.hasOwn(o, "bbox") && Array.isArray(b) && b.length === 4 && b.every(isNum);
}

/** `validRel` of d.12: an object whose subject, object and predicate are all strings. */
export function isValidRelationship(r: PyValue): boolean {
  return (
    isDict(r) && typeof r.subject === "string" && typeof r.object === "string" && typeof r.predicate === "string" &&
    Object.hasOwn(r, "subject") && Object.hasOwn(r, "object") && Object.hasOwn(r, "predicate")
  );
}

/**
 * Whether the answer is a well-formed graph: both keys, valid objects, relationships whose ends are
 * existing ids (raw strings, exact). Any Python failure on the way also means "not valid".
 */
export function isWellFormedGraph(ans: PyValue, head: boolean): boolean {
  if (!isDict(ans) || !Object.hasOwn(ans, "objects") || !Object.hasOwn(ans, "relationships")) return false;
  try {
    const objs = iterate(ans.objects!);
    if (head && objs.length > 0) return false;
    const ids = new Set<string>();
    for (const o of objs) {
      const id = field(o, "id");
      // An array or object id is unhashable: the reference fails building the id set.
      if (typeof id === "object" && id !== null) return false;
      if (typeof id === "string") ids.add(id);
    }
    if (!objs.every(isValidObject)) return false;
    for (const r of iterate(ans.relationships!)) {
      const s = field(r, "subject");
      const t = field(r, "object");
      if (typeof s !== "string" || typeof t !== "string" || !ids.has(s) || !ids.has(t)) return false;
      if (!isValidRelationship(r)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Format reward (d.12): 1.0 for a well-formed graph inside the think/answer layout; 0.5 for a
 * well-formed graph without it in non-strict mode; else 0. `parsed` lets a caller share one parse.
 */
export function formatReward(completion: string, options: FormatOptions = {}, parsed?: () => PyValue): number {
  const strict = options.strict ?? true;
  const tagsOk = hasThinkAnswerLayout(strip(completion));
  let ans: PyValue;
  if (parsed) {
    try {
      ans = parsed();
    } catch {
      return 0;
    }
  } else {
    const r = parsePyJson(extractAnswer(completion));
    if (!r.ok) return 0;
    ans = r.value;
  }
  const valid = isWellFormedGraph(ans, options.head ?? false);
  if (tagsOk && valid) return 1.0 * FORMAT_REWARD_WEIGHT;
  if (valid && !strict) return 0.5 * FORMAT_REWARD_WEIGHT;
  return 0;
}
