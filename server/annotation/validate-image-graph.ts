import { cat } from "../scene-graph/text";
import type { DatasetType } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import type { GraphIssue } from "./graph-errors";
import type { ImageGraph } from "./image-graph-schema";

const ID_RE = /^[^.\s]+\.[1-9]\d*$/;

export interface GraphRules {
  /** Original image size in pixels: every box must lie inside [0, width] × [0, height]. */
  readonly width: number;
  readonly height: number;
  readonly datasetType: DatasetType;
  /**
   * Boxes the image already holds, by object id. A box kept exactly as it is passes the bounds check:
   * datasets ship boxes a pixel outside the image, and an edit elsewhere must not be refused for them.
   */
  readonly keptBoxes?: ReadonlySet<string>;
}

/** The key of an object's id and box in `GraphRules.keptBoxes`. */
export function keptBoxKey(o: { readonly id: string; readonly bbox: readonly number[] }): string {
  return `${o.id}|${o.bbox.join(",")}`;
}

export interface GraphCheck {
  /** Rule breaks: the graph cannot be saved. */
  readonly issues: GraphIssue[];
  /** Allowed but worth showing: labels outside the dataset's vocabulary. */
  readonly warnings: GraphIssue[];
}

/**
 * Checks a ground-truth graph against the rules of a save: ids `<class>.<n>` and unique, boxes
 * (BoxPx, original-image pixels) inside the image with x1 < x2 and y1 < y2, relation ends naming
 * objects of the graph, predicates from the dataset's vocabulary. A class outside the vocabulary is
 * a warning, not an issue. Pure.
 */
export function validateImageGraph(graph: ImageGraph, rules: GraphRules): GraphCheck {
  const v = getVocabulary(rules.datasetType);
  const issues: GraphIssue[] = [];
  const warnings: GraphIssue[] = [];
  const ids = new Set<string>();
  graph.objects.forEach((o, k) => {
    if (!ID_RE.test(o.id)) issues.push({ field: `objects.${k}.id`, message: `"${o.id}" is not of the form <class>.<n>` });
    else if (ids.has(o.id)) issues.push({ field: `objects.${k}.id`, message: `"${o.id}" is used by another object` });
    else if (!v.gtClassId.has(cat(o.id))) warnings.push({ field: `objects.${k}.id`, message: `"${cat(o.id)}" is not a ${rules.datasetType === "vg" ? "VG150" : "PSG"} class` });
    ids.add(o.id);
    if (rules.keptBoxes?.has(keptBoxKey(o))) return;
    const problem = boxProblem(o.bbox, rules.width, rules.height);
    if (problem) issues.push({ field: `objects.${k}.bbox`, message: problem });
  });
  graph.relationships.forEach((r, k) => {
    if (!ids.has(r.subject)) issues.push({ field: `relationships.${k}.subject`, message: `"${r.subject}" is not an object of this graph` });
    if (!ids.has(r.object)) issues.push({ field: `relationships.${k}.object`, message: `"${r.object}" is not an object of this graph` });
    if (!v.predicateId.has(r.predicate)) issues.push({ field: `relationships.${k}.predicate`, message: `"${r.predicate}" is not a ${rules.datasetType === "vg" ? "VG150" : "PSG"} predicate` });
  });
  return { issues, warnings };
}

function boxProblem(b: readonly number[], width: number, height: number): string | undefined {
  const [x1, y1, x2, y2] = b as [number, number, number, number];
  if (!(x1 < x2)) return `x1 (${x1}) must be less than x2 (${x2})`;
  if (!(y1 < y2)) return `y1 (${y1}) must be less than y2 (${y2})`;
  if (x1 < 0 || y1 < 0 || x2 > width || y2 > height) return `[${x1}, ${y1}, ${x2}, ${y2}] is not inside the ${width}×${height} image`;
  return undefined;
}
