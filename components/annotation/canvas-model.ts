import type { EditArrow, EditBox } from "@/components/canvas/annotation-canvas";
import { PAIR_COLOURS } from "@/components/image-detail/view-model";
import { diffGraphs } from "@/server/scene-graph/graph-diff";
import type { GtGraph, GtObject, GtRelation } from "@/server/scene-graph/types";

/** The draft as the editing canvas draws it: one colour per object, arrows in white. */
export function draftScene(graph: GtGraph): { boxes: EditBox[]; arrows: EditArrow[] } {
  const byId = new Map(graph.objects.map((o) => [o.id, o]));
  const boxes = graph.objects.map((o, i) => ({ key: o.id, objectId: o.id, label: o.id, bbox: o.bbox, colour: PAIR_COLOURS[i % PAIR_COLOURS.length]! }));
  const arrows = graph.relationships.flatMap((r, i) => {
    const s = byId.get(r.subject);
    const o = byId.get(r.object);
    return s && o ? [{ key: `${i}:${r.subject}|${r.predicate}|${r.object}`, index: i, from: s.bbox, to: o.bbox, predicate: r.predicate, colour: "#f8fafc" }] : [];
  });
  return { boxes, arrows };
}

export const DIFF_COLOURS = { added: "#22c55e", removed: "#ef4444", changed: "#f59e0b", same: "#94a3b8" } as const;
export type DiffTone = keyof typeof DIFF_COLOURS;

const tripletKey = (r: GtRelation) => `${r.subject}\u0000${r.predicate}\u0000${r.object}`;

/**
 * Two revisions of one image drawn over each other, from `diffGraphs`: objects and relations only in
 * `after` green, only in `before` red (dashed, at their old place), objects moved or relabelled amber
 * (at their new place), the rest grey. `counts` adds objects and relations together.
 */
export function diffScene(before: GtGraph, after: GtGraph): { boxes: EditBox[]; arrows: EditArrow[]; counts: Record<DiffTone, number> } {
  const d = diffGraphs(before, after);
  const added = new Set(d.addedObjects);
  const changed = new Map(d.changedObjects.map((c) => [c.after, c]));
  const counts: Record<DiffTone, number> = { added: d.addedObjects.length + d.addedRelations.length, removed: d.removedObjects.length + d.removedRelations.length, changed: d.changedObjects.length, same: 0 };
  const boxes: EditBox[] = after.objects.map((o, i) => {
    const c = changed.get(o);
    const tone: DiffTone = added.has(o) ? "added" : c ? "changed" : "same";
    const note = c ? [c.relabelled ? `was ${c.before.id}` : "", c.moved ? "moved" : ""].filter(Boolean).join(", ") : tone === "added" ? "added" : "";
    return { key: `b${i}`, objectId: o.id, label: note ? `${o.id} · ${note}` : o.id, bbox: o.bbox, colour: DIFF_COLOURS[tone], dashed: tone === "same" };
  });
  d.removedObjects.forEach((o, i) => boxes.push({ key: `r${i}`, objectId: o.id, label: `${o.id} · removed`, bbox: o.bbox, colour: DIFF_COLOURS.removed, dashed: true }));

  const oldById = new Map(before.objects.map((o) => [o.id, o]));
  const newById = new Map(after.objects.map((o) => [o.id, o]));
  const addedLeft = new Map<string, number>();
  for (const r of d.addedRelations) addedLeft.set(tripletKey(r), (addedLeft.get(tripletKey(r)) ?? 0) + 1);
  const arrows: EditArrow[] = [];
  const push = (r: GtRelation, key: string, tone: DiffTone, ends: Map<string, GtObject>) => {
    const s = ends.get(r.subject);
    const o = ends.get(r.object);
    if (s && o) arrows.push({ key, index: -1, from: s.bbox, to: o.bbox, predicate: r.predicate, colour: DIFF_COLOURS[tone], dashed: tone === "removed" });
  };
  after.relationships.forEach((r, i) => {
    const n = addedLeft.get(tripletKey(r)) ?? 0;
    if (n > 0) addedLeft.set(tripletKey(r), n - 1);
    push(r, `b${i}`, n > 0 ? "added" : "same", newById);
  });
  d.removedRelations.forEach((r, i) => push(r, `r${i}`, "removed", oldById));
  return { boxes, arrows, counts };
}
