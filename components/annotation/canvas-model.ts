import type { EditArrow, EditBox } from "@/components/canvas/annotation-canvas";
import { PAIR_COLOURS } from "@/components/image-detail/view-model";
import type { GtGraph } from "@/server/scene-graph/types";

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

const tripletKey = (r: { subject: string; predicate: string; object: string }) => `${r.subject}\u0000${r.predicate}\u0000${r.object}`;

/**
 * Two graphs of one image drawn over each other: objects and relations only in `after` green, only in
 * `before` red, objects whose box moved amber (drawn at the new place), the rest grey. Objects are
 * matched by id, relations by their triplet.
 */
/** `counts` adds objects and relations together. */
export function diffScene(before: GtGraph, after: GtGraph): { boxes: EditBox[]; arrows: EditArrow[]; counts: Record<DiffTone, number> } {
  const oldById = new Map(before.objects.map((o) => [o.id, o]));
  const newById = new Map(after.objects.map((o) => [o.id, o]));
  const counts: Record<DiffTone, number> = { added: 0, removed: 0, changed: 0, same: 0 };
  const boxes: EditBox[] = [];
  for (const o of after.objects) {
    const prev = oldById.get(o.id);
    const tone: DiffTone = !prev ? "added" : prev.bbox.some((v, k) => v !== o.bbox[k]) ? "changed" : "same";
    counts[tone]++;
    boxes.push({ key: `new:${o.id}`, objectId: o.id, label: `${o.id} · ${tone}`, bbox: o.bbox, colour: DIFF_COLOURS[tone], dashed: tone === "same" });
  }
  for (const o of before.objects) {
    if (newById.has(o.id)) continue;
    counts.removed++;
    boxes.push({ key: `old:${o.id}`, objectId: o.id, label: `${o.id} · removed`, bbox: o.bbox, colour: DIFF_COLOURS.removed, dashed: true });
  }
  const oldRel = new Set(before.relationships.map(tripletKey));
  const newRel = new Set(after.relationships.map(tripletKey));
  const arrows: EditArrow[] = [];
  const arrow = (r: GtGraph["relationships"][number], i: number, tone: DiffTone, ends: Map<string, GtGraph["objects"][number]>) => {
    const s = ends.get(r.subject);
    const o = ends.get(r.object);
    if (tone !== "same") counts[tone]++;
    if (s && o) arrows.push({ key: `${tone}:${tripletKey(r)}`, index: i, from: s.bbox, to: o.bbox, predicate: r.predicate, colour: DIFF_COLOURS[tone], dashed: tone === "removed" });
  };
  after.relationships.forEach((r, i) => arrow(r, i, oldRel.has(tripletKey(r)) ? "same" : "added", newById));
  before.relationships.forEach((r, i) => !newRel.has(tripletKey(r)) && arrow(r, -1 - i, "removed", oldById));
  return { boxes, arrows, counts };
}
