import { extractAnswer } from "./extract-answer";
import { isDict, isNum, parsePyJson, type JsonSyntaxError, type PyValue } from "./py-json";
import { norm } from "./text";
import type { BoxModel } from "./types";

/** Why a model output is not a usable scene graph. The UI shows these; the failure rate counts them. */
export type ParseFailureKind =
  | "no_answer"
  | "truncated"
  | "invalid_json"
  | "non_finite"
  | "not_an_object"
  | "missing_key"
  | "wrong_type"
  | "bad_box";

export const PARSE_FAILURE_KINDS: readonly ParseFailureKind[] = [
  "no_answer", "truncated", "invalid_json", "non_finite", "not_an_object", "missing_key", "wrong_type", "bad_box",
];

export interface ParseFailure {
  readonly kind: ParseFailureKind;
  readonly message: string;
  /** JSON path of the offending value, e.g. `objects[3].bbox`. */
  readonly path?: string;
  /** Where the JSON broke, in the extracted answer text. */
  readonly json?: JsonSyntaxError;
}

/** Problems that do not fail the answer but that a researcher wants to see. */
export type ParseWarningKind = "dangling_id" | "duplicate_id" | "duplicate_triplet" | "inverted_box" | "unclosed_answer";

export interface ParseWarning {
  readonly kind: ParseWarningKind;
  readonly message: string;
  readonly path?: string;
}

/** A predicted object: `norm`ed id, the id as written, and the box in the model's box space. */
export interface ParsedObject {
  readonly id: string;
  readonly rawId: string;
  readonly box: BoxModel;
}

/** A predicted relationship with all three names `norm`ed. */
export interface ParsedRelation {
  readonly subject: string;
  readonly predicate: string;
  readonly object: string;
}

export interface ParsedGraph {
  readonly objects: readonly ParsedObject[];
  readonly relationships: readonly ParsedRelation[];
}

export type ParseResult =
  | { readonly ok: true; readonly graph: ParsedGraph; readonly answer: string; readonly warnings: readonly ParseWarning[] }
  | { readonly ok: false; readonly failure: ParseFailure; readonly answer: string };

function fail(kind: ParseFailureKind, message: string, answer: string, path?: string, json?: JsonSyntaxError): ParseResult {
  return { ok: false, failure: { kind, message, path, json }, answer };
}

function asList(v: PyValue): readonly PyValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v === "" || (isDict(v) && Object.keys(v).length === 0)) return [];
  return undefined;
}

/**
 * Parses a raw model output into a scene graph with the acceptance rules of the evaluation gather step
 * (method.md f.2 steps 2–4): both keys, objects with a 4-number `bbox` and a string `id`, relationships
 * with three strings. Never throws: every input gets a graph or a typed failure with its location.
 * Boxes stay in the model's space; names are `norm`ed.
 */
export function parseSceneGraph(response: string): ParseResult {
  const answer = extractAnswer(response);
  if (answer === "") return fail("no_answer", "the output contains no answer text", answer);
  const parsed = parsePyJson(answer);
  if (!parsed.ok) {
    const e = parsed.error;
    if (e.message === "non-finite number") return fail("non_finite", "NaN or Infinity in the answer", answer, undefined, e);
    if (e.truncated) return fail("truncated", `the answer ends mid-value (${e.message})`, answer, undefined, e);
    return fail("invalid_json", `${e.message}: line ${e.line} column ${e.column} (char ${e.offset})`, answer, undefined, e);
  }
  const ans = parsed.value;
  if (!isDict(ans)) return fail("not_an_object", "the answer is not a JSON object", answer);
  for (const key of ["objects", "relationships"] as const) {
    if (!Object.hasOwn(ans, key)) return fail("missing_key", `the answer has no "${key}" key`, answer, key);
  }
  const objs = asList(ans.objects!);
  if (!objs) return fail("wrong_type", `"objects" is not an array`, answer, "objects");
  const rels = asList(ans.relationships!);
  const warnings: ParseWarning[] = [];
  const objects: ParsedObject[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < objs.length; i++) {
    const path = `objects[${i}]`;
    const o = objs[i]!;
    if (!isDict(o)) return fail("wrong_type", "an object entry is not a JSON object", answer, path);
    if (!Object.hasOwn(o, "bbox")) return fail("missing_key", `no "bbox"`, answer, `${path}.bbox`);
    const b = o.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every(isNum)) {
      return fail("bad_box", "bbox is not an array of 4 numbers", answer, `${path}.bbox`);
    }
    if (!Object.hasOwn(o, "id")) return fail("missing_key", `no "id"`, answer, `${path}.id`);
    if (typeof o.id !== "string") return fail("wrong_type", "id is not a string", answer, `${path}.id`);
    const box = b.map(Number) as unknown as BoxModel;
    const id = norm(o.id);
    if (seen.has(id)) warnings.push({ kind: "duplicate_id", message: `id "${id}" appears more than once`, path });
    seen.add(id);
    if (box[2] < box[0] || box[3] < box[1]) warnings.push({ kind: "inverted_box", message: "x2 < x1 or y2 < y1", path });
    objects.push({ id, rawId: o.id, box });
  }
  if (!rels) return fail("wrong_type", `"relationships" is not an array`, answer, "relationships");
  const relationships: ParsedRelation[] = [];
  const triplets = new Set<string>();
  for (let i = 0; i < rels.length; i++) {
    const path = `relationships[${i}]`;
    const r = rels[i]!;
    if (!isDict(r)) return fail("wrong_type", "a relationship entry is not a JSON object", answer, path);
    for (const key of ["subject", "predicate", "object"] as const) {
      if (!Object.hasOwn(r, key)) return fail("missing_key", `no "${key}"`, answer, `${path}.${key}`);
      if (typeof r[key] !== "string") return fail("wrong_type", `${key} is not a string`, answer, `${path}.${key}`);
    }
    const rel = { subject: norm(r.subject as string), predicate: norm(r.predicate as string), object: norm(r.object as string) };
    for (const end of [rel.subject, rel.object]) {
      if (!seen.has(end)) warnings.push({ kind: "dangling_id", message: `"${end}" is not an object id`, path });
    }
    const key = `${rel.subject}\u0000${rel.predicate}\u0000${rel.object}`;
    if (triplets.has(key)) warnings.push({ kind: "duplicate_triplet", message: "the same triplet appears twice", path });
    triplets.add(key);
    relationships.push(rel);
  }
  if (response.includes("<answer>") && !response.includes("</answer>")) {
    warnings.push({ kind: "unclosed_answer", message: "<answer> is never closed" });
  }
  return { ok: true, graph: { objects, relationships }, answer, warnings };
}

/**
 * Maps an offset in `extractAnswer(response)` back to the raw response, so a UI can point at the place
 * where the JSON broke. Replaying the extraction keeps this exact without slowing the hot path.
 */
export function answerOffsetToRaw(response: string, answerOffset: number): number {
  // Rebuild the transformed text with a per-character origin table, as extractAnswer does.
  const origin: number[] = [];
  let t = "";
  for (let i = 0; i < response.length; ) {
    if (response.startsWith("```", i)) {
      t += " ";
      origin.push(i);
      i += 3;
    } else {
      t += response[i];
      origin.push(i);
      i++;
    }
  }
  let u = "";
  const origin2: number[] = [];
  for (let i = 0; i < t.length; ) {
    if (t.startsWith("json", i)) {
      u += " ";
      origin2.push(origin[i]!);
      i += 4;
    } else {
      u += t[i];
      origin2.push(origin[i]!);
      i++;
    }
  }
  // The answer is a substring of the transformed text: after the first <answer> if any, else after the strip.
  const open = u.indexOf("<answer>");
  const start = u.indexOf(extractAnswer(response), open >= 0 ? open + 8 : 0);
  const k = Math.min(start + answerOffset, origin2.length);
  return k >= origin2.length ? response.length : origin2[k]!;
}
