import { modelToPx } from "../boxes";
import { parseSceneGraph, type ParseFailure, type ParseWarning } from "../parse-graph";
import { cat } from "../text";
import type { BoxPx, BoxScale, CompatFlag, ImageSizePx } from "../types";
import type { Vocabulary } from "../vocab";

/** How a predicted name reached the vocabulary, for the mapping audit. */
export type MappedBy = "vocabulary" | "synonym" | "predicate-table" | "wordnet" | "passive";

/** A predicted object kept by the gather step: mapped to a class, box in original pixels. */
export interface GatheredObject {
  /** Normalised id as predicted (`person.1`). */
  readonly name: string;
  /** Index of the object in the parsed answer. */
  readonly answerIndex: number;
  /** Mapped category (a vocabulary name) and its class id. */
  readonly category: string;
  readonly label: number;
  readonly box: BoxPx;
  readonly mappedBy: MappedBy;
}

/** A kept relation: indices into the kept objects, and the mapped predicate. */
export interface GatheredRelation {
  readonly subject: number;
  readonly object: number;
  readonly predicate: string;
  readonly predicateId: number;
  readonly answerIndex: number;
  readonly mappedBy: MappedBy;
  /** True when a passive rule swapped subject and object. */
  readonly swapped: boolean;
}

export interface DroppedItem {
  readonly answerIndex: number;
  readonly name: string;
  readonly reason: string;
}

/** One image after the gather step (method.md f.2). */
export interface GatheredImage {
  readonly imageId: string;
  /** True for a failed answer (parse rules of steps 2–4); its prediction is empty. */
  readonly failed: boolean;
  readonly failure?: ParseFailure;
  readonly warnings: readonly ParseWarning[];
  readonly objects: readonly GatheredObject[];
  readonly relations: readonly GatheredRelation[];
  readonly droppedObjects: readonly DroppedItem[];
  readonly droppedRelations: readonly DroppedItem[];
}

export interface GatherOptions {
  readonly vocab: Vocabulary;
  /** WordNet lookup toward the class names (appendix C); absent: no WordNet step. */
  readonly wordnetClass?: (x: string) => string | undefined;
  /** WordNet lookup toward the predicates. */
  readonly wordnetPredicate?: (x: string) => string | undefined;
  readonly compat?: readonly CompatFlag[];
}

/** A prediction as the reference's inference writes it (method.md e.3). */
export interface PredictionFile {
  readonly image_id: string;
  readonly response: string;
  readonly box_scale?: BoxScale;
}

function mapLabel(c: string, o: GatherOptions, psgDefect: boolean): { c: string; by: MappedBy } {
  const v = o.vocab;
  const first = psgDefect ? v.predicateSet : v.classSet;
  if (first.has(c)) return { c, by: "vocabulary" };
  const syn = v.labelSynonyms.get(c);
  if (syn !== undefined) return { c: syn, by: "synonym" };
  const wn = psgDefect ? o.wordnetPredicate?.(c) : o.wordnetClass?.(c);
  return wn === undefined ? { c, by: "vocabulary" } : { c: wn, by: "wordnet" };
}

/**
 * The gather step of the evaluation (method.md f.2) for one prediction: parse, convert boxes to original
 * pixels, map labels (vocabulary → hand table → WordNet) and predicates (passive rule → hand table →
 * WordNet), one step each. A failed answer and an answer with no kept object both give an empty prediction;
 * only the former is a failure.
 */
export function gatherPrediction(pred: PredictionFile, size: ImageSizePx, o: GatherOptions): GatheredImage {
  const parsed = parseSceneGraph(pred.response);
  const base = { imageId: pred.image_id, droppedObjects: [] as DroppedItem[], droppedRelations: [] as DroppedItem[] };
  if (!parsed.ok) {
    return { ...base, failed: true, failure: parsed.failure, warnings: [], objects: [], relations: [] };
  }
  const v = o.vocab;
  const scale = pred.box_scale ?? [1000, 1000];
  const psgDefect = v.type === "psg" && (o.compat?.includes("psg-object-vocab") ?? false);
  const objects: GatheredObject[] = [];
  const firstByName = new Map<string, number>();
  parsed.graph.objects.forEach((p, i) => {
    const { c, by } = mapLabel(cat(p.id), o, psgDefect);
    const label = v.classId.get(c);
    if (label === undefined) {
      base.droppedObjects.push({ answerIndex: i, name: p.id, reason: `"${cat(p.id)}" maps to no class` });
      return;
    }
    if (!firstByName.has(p.id)) firstByName.set(p.id, objects.length);
    objects.push({ name: p.id, answerIndex: i, category: c, label, box: modelToPx(p.box, scale, size), mappedBy: by });
  });
  if (objects.length === 0) {
    return { ...base, failed: false, warnings: parsed.warnings, objects: [], relations: [] };
  }
  const relations: GatheredRelation[] = [];
  parsed.graph.relationships.forEach((r, i) => {
    let { subject: s, predicate: q, object: ob } = r;
    let by: MappedBy = "vocabulary";
    let swapped = false;
    if (!v.predicateSet.has(q)) {
      const rule = v.passiveRules.get(q);
      if (rule) {
        q = rule.target;
        by = "passive";
        if (rule.swap) [s, ob, swapped] = [ob, s, true];
      }
    }
    const si = firstByName.get(s);
    const oi = firstByName.get(ob);
    if (si === undefined || oi === undefined) {
      base.droppedRelations.push({ answerIndex: i, name: `${s} ${q} ${ob}`, reason: "an end is not a kept object" });
      return;
    }
    if (!v.predicateSet.has(q)) {
      const t = v.predicateTable?.get(q);
      if (t !== undefined) [q, by] = [t, "predicate-table"];
      else {
        const wn = o.wordnetPredicate?.(q);
        if (wn !== undefined) [q, by] = [wn, "wordnet"];
      }
    }
    const predicateId = v.predicateId.get(q);
    if (predicateId === undefined) {
      base.droppedRelations.push({ answerIndex: i, name: `${s} ${q} ${ob}`, reason: `"${q}" maps to no predicate` });
      return;
    }
    relations.push({ subject: si, object: oi, predicate: q, predicateId, answerIndex: i, mappedBy: by, swapped });
  });
  return { ...base, failed: false, warnings: parsed.warnings, objects, relations };
}
