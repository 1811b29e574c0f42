import { iou } from "../boxes";
import { cat, norm } from "../text";
import type { GtRecord } from "../types";
import type { GatheredImage } from "./gather";

const IOU_THRESHOLD = 0.5;

/** Why a ground-truth triplet was not recalled (family A rules: predicate, categories, IoU ≥ 0.5). */
export type MissReason =
  | "no_prediction"
  | "failed_answer"
  | "empty_prediction"
  | "subject_missing"
  | "object_missing"
  | "subject_label_wrong"
  | "object_label_wrong"
  | "subject_box_off"
  | "object_box_off"
  | "predicate_wrong"
  | "direction_swapped"
  | "no_relation";

export interface GtTripletDiagnosis {
  readonly index: number;
  readonly subject: string;
  readonly predicate: string;
  readonly object: string;
  readonly hit: boolean;
  readonly reason: MissReason | null;
  /** Human-readable detail: the predicted label or predicate, the best IoU. */
  readonly detail: string;
  /** Kept predicted objects that localise the ends (same category, IoU ≥ 0.5). */
  readonly subjectMatches: readonly number[];
  readonly objectMatches: readonly number[];
}

export interface PredTripletDiagnosis {
  /** Index into the gathered relations. */
  readonly index: number;
  readonly matched: boolean;
  /** Both ends localise ground-truth objects but no such triplet is annotated: VG's ground truth is incomplete. */
  readonly plausibleUnannotated: boolean;
}

export interface ImageDiagnosis {
  readonly gt: readonly GtTripletDiagnosis[];
  readonly predicted: readonly PredTripletDiagnosis[];
  /** For each kept predicted object, the ground-truth object it localises (same category, best IoU ≥ 0.5), or null. */
  readonly objectMatch: readonly (number | null)[];
}

/**
 * Explains one image's recall: every ground-truth triplet as hit or missed with the reason, every predicted
 * triplet as matched or not. Uses the family A matching rules, so it agrees with the recall numbers.
 */
export function diagnoseImage(gt: GtRecord, g: GatheredImage | undefined): ImageDiagnosis {
  const gtObjs = gt.objects.map((o) => ({ id: norm(o.id), category: cat(norm(o.id)), box: o.bbox }));
  const byId = new Map(gtObjs.map((o) => [o.id, o]));
  const kept = g?.objects ?? [];
  const objectMatch = kept.map((p) => {
    let best: number | null = null;
    let bestIou = IOU_THRESHOLD;
    gtObjs.forEach((o, i) => {
      if (o.category !== p.category) return;
      const v = iou(o.box, p.box);
      if (v >= bestIou) [best, bestIou] = [i, v];
    });
    return best;
  });

  const diagnoseEnd = (id: string, role: "subject" | "object") => {
    const target = byId.get(norm(id))!;
    const matches: number[] = [];
    let wrongLabel: string | undefined;
    let bestSameCat = 0;
    kept.forEach((p, k) => {
      const v = iou(target.box, p.box);
      if (p.category === target.category) {
        if (v >= IOU_THRESHOLD) matches.push(k);
        bestSameCat = Math.max(bestSameCat, v);
      } else if (v >= IOU_THRESHOLD && wrongLabel === undefined) wrongLabel = p.category;
    });
    let reason: MissReason | null = null;
    let detail = "";
    if (matches.length === 0) {
      if (wrongLabel !== undefined) [reason, detail] = [`${role}_label_wrong`, `predicted "${wrongLabel}" for "${target.category}"`];
      else if (bestSameCat > 0) [reason, detail] = [`${role}_box_off`, `best IoU ${bestSameCat.toFixed(2)} < 0.5`];
      else [reason, detail] = [`${role}_missing`, `no predicted "${target.category}" near it`];
    }
    return { matches, reason, detail };
  };

  const gtDiag: GtTripletDiagnosis[] = gt.relationships.map((r, index) => {
    const base = { index, subject: r.subject, predicate: r.predicate, object: r.object, subjectMatches: [] as number[], objectMatches: [] as number[] };
    if (!g) return { ...base, hit: false, reason: "no_prediction", detail: "no answer for this image" };
    if (g.failed) return { ...base, hit: false, reason: "failed_answer", detail: g.failure?.message ?? "" };
    if (kept.length === 0) return { ...base, hit: false, reason: "empty_prediction", detail: "no predicted object maps to a class" };
    const s = diagnoseEnd(r.subject, "subject");
    const o = diagnoseEnd(r.object, "object");
    const ends = { ...base, subjectMatches: s.matches, objectMatches: o.matches };
    if (s.reason) return { ...ends, hit: false, reason: s.reason, detail: s.detail };
    if (o.reason) return { ...ends, hit: false, reason: o.reason, detail: o.detail };
    const q = norm(r.predicate);
    const between = g.relations.filter((x) => s.matches.includes(x.subject) && o.matches.includes(x.object));
    if (between.some((x) => x.predicate === q)) return { ...ends, hit: true, reason: null, detail: "" };
    if (between.length) return { ...ends, hit: false, reason: "predicate_wrong", detail: `predicted "${[...new Set(between.map((x) => x.predicate))].join('", "')}"` };
    if (g.relations.some((x) => o.matches.includes(x.subject) && s.matches.includes(x.object) && x.predicate === q)) {
      return { ...ends, hit: false, reason: "direction_swapped", detail: "subject and object are swapped" };
    }
    return { ...ends, hit: false, reason: "no_relation", detail: "both objects found, no relation between them" };
  });

  const predicted: PredTripletDiagnosis[] = (g?.relations ?? []).map((x, index) => {
    const matched = gtDiag.some((d) => d.hit && d.subjectMatches.includes(x.subject) && d.objectMatches.includes(x.object) && norm(d.predicate) === x.predicate);
    const plausibleUnannotated = !matched && objectMatch[x.subject] != null && objectMatch[x.object] != null;
    return { index, matched, plausibleUnannotated };
  });
  return { gt: gtDiag, predicted, objectMatch };
}
