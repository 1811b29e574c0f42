import type { ImageDetail, ImagePrediction } from "@/server/queries/get-image";
import type { MissReason } from "@/server/scene-graph/eval/diagnose-image";

/** Pair colours: a matched ground-truth box and its predicted box share one. None is red or white. */
export const PAIR_COLOURS = [
  "#22c55e", "#3b82f6", "#eab308", "#a855f7", "#06b6d4", "#f97316",
  "#84cc16", "#6366f1", "#14b8a6", "#d946ef", "#0ea5e9", "#facc15",
] as const;
/** Boxes without a partner: dashed, white for ground truth, red for predictions. */
export const UNMATCHED_GT = "#f8fafc";
export const UNMATCHED_PRED = "#ef4444";

export const REASON_TEXT: Record<MissReason, string> = {
  no_prediction: "No answer for this image",
  failed_answer: "Failed answer",
  empty_prediction: "No predicted object maps to a class",
  subject_missing: "No matching subject box",
  object_missing: "No matching object box",
  subject_label_wrong: "Subject label mismatch",
  object_label_wrong: "Object label mismatch",
  subject_box_off: "Subject IoU below 0.5",
  object_box_off: "Object IoU below 0.5",
  predicate_wrong: "Predicate differs",
  direction_swapped: "Subject and object swapped",
  no_relation: "No relation predicted",
};

export const MAPPED_BY_TEXT: Record<string, string> = {
  vocabulary: "in vocabulary",
  synonym: "synonym table",
  "predicate-table": "predicate table",
  wordnet: "WordNet",
  passive: "passive rule",
};

export interface CanvasBox {
  side: "gt" | "pred";
  index: number;
  label: string;
  box: readonly [number, number, number, number];
  colour: string;
  matched: boolean;
}

export interface CanvasArrow {
  side: "gt" | "pred";
  index: number;
  from: number;
  to: number;
  predicate: string;
}

/** What the pointer (or a pinned click) is on; boxes, rows and edges light up from it. */
export type Focus =
  | { kind: "box"; side: "gt" | "pred"; index: number }
  | { kind: "triplet"; side: "gt" | "pred"; index: number };

export interface Highlight {
  gtBoxes: ReadonlySet<number>;
  predBoxes: ReadonlySet<number>;
  gtRows: ReadonlySet<number>;
  predRows: ReadonlySet<number>;
}

export const NO_HIGHLIGHT: Highlight = { gtBoxes: new Set(), predBoxes: new Set(), gtRows: new Set(), predRows: new Set() };

/** Everything the views draw, derived once per image and prediction set. */
export interface SceneModel {
  width: number;
  height: number;
  gtBoxes: CanvasBox[];
  predBoxes: CanvasBox[];
  gtArrows: CanvasArrow[];
  predArrows: CanvasArrow[];
  /** Ground-truth object index by id. */
  gtIndex: Map<string, number>;
  prediction: ImagePrediction | null;
}

export function buildScene(image: ImageDetail, prediction: ImagePrediction | null): SceneModel {
  const objectMatch = prediction?.diagnosis.objectMatch ?? [];
  const matchedGt = new Set(objectMatch.filter((m): m is number => m !== null));
  const gtIndex = new Map(image.gt.objects.map((o, i) => [o.id, i]));
  // Without predictions every box gets its own colour; with them, only matched pairs do.
  const gtBoxes: CanvasBox[] = image.gt.objects.map((o, i) => {
    const matched = matchedGt.has(i);
    const colour = !prediction || matched ? PAIR_COLOURS[i % PAIR_COLOURS.length]! : UNMATCHED_GT;
    return { side: "gt", index: i, label: o.id, box: o.bbox, colour, matched: !prediction || matched };
  });
  const predBoxes: CanvasBox[] = (prediction?.gathered.objects ?? []).map((o, k) => {
    const m = objectMatch[k] ?? null;
    const colour = m === null ? UNMATCHED_PRED : PAIR_COLOURS[m % PAIR_COLOURS.length]!;
    const label = o.name === o.category || o.name.startsWith(`${o.category}.`) ? o.name : `${o.name} → ${o.category}`;
    return { side: "pred", index: k, label, box: o.box, colour, matched: m !== null };
  });
  const gtArrows: CanvasArrow[] = image.gt.relationships.flatMap((r, i) => {
    const from = gtIndex.get(r.subject);
    const to = gtIndex.get(r.object);
    return from === undefined || to === undefined ? [] : [{ side: "gt" as const, index: i, from, to, predicate: r.predicate }];
  });
  const predArrows: CanvasArrow[] = (prediction?.gathered.relations ?? []).map((r, i) => ({ side: "pred", index: i, from: r.subject, to: r.object, predicate: r.predicate }));
  return { width: image.gt.width, height: image.gt.height, gtBoxes, predBoxes, gtArrows, predArrows, gtIndex, prediction };
}

/** Expands a focus into the boxes and table rows it touches, across ground truth and prediction. */
export function highlightFor(focus: Focus | null, scene: SceneModel): Highlight {
  if (!focus) return NO_HIGHLIGHT;
  const p = scene.prediction;
  const match = p?.diagnosis.objectMatch ?? [];
  const gtDiag = p?.diagnosis.gt ?? [];
  const rels = p?.gathered.relations ?? [];
  const gtBoxes = new Set<number>();
  const predBoxes = new Set<number>();
  const gtRows = new Set<number>();
  const predRows = new Set<number>();
  const addPred = (k: number) => {
    predBoxes.add(k);
    const m = match[k];
    if (m != null) gtBoxes.add(m);
  };
  if (focus.kind === "box" && focus.side === "gt") {
    gtBoxes.add(focus.index);
    match.forEach((m, k) => m === focus.index && predBoxes.add(k));
    scene.gtArrows.forEach((a) => (a.from === focus.index || a.to === focus.index) && gtRows.add(a.index));
    rels.forEach((r, j) => (match[r.subject] === focus.index || match[r.object] === focus.index) && predRows.add(j));
  } else if (focus.kind === "box") {
    addPred(focus.index);
    rels.forEach((r, j) => (r.subject === focus.index || r.object === focus.index) && predRows.add(j));
    gtDiag.forEach((d) => (d.subjectMatches.includes(focus.index) || d.objectMatches.includes(focus.index)) && gtRows.add(d.index));
  } else if (focus.side === "gt") {
    const a = scene.gtArrows.find((x) => x.index === focus.index);
    if (a) [a.from, a.to].forEach((i) => gtBoxes.add(i));
    const d = gtDiag[focus.index];
    if (d) [...d.subjectMatches, ...d.objectMatches].forEach((k) => predBoxes.add(k));
    gtRows.add(focus.index);
  } else {
    const r = rels[focus.index];
    if (r) [r.subject, r.object].forEach(addPred);
    predRows.add(focus.index);
  }
  return { gtBoxes, predBoxes, gtRows, predRows };
}

export function sameFocus(a: Focus | null, b: Focus | null): boolean {
  return a === b || (!!a && !!b && a.kind === b.kind && a.side === b.side && a.index === b.index);
}
