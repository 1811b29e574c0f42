/**
 * Ground truth from a prediction: a whole draft (pre-annotation) or one predicted triplet to accept.
 * Predicted boxes are the gather step's, already in original-image pixels (`BoxPx`).
 */
import type { ImagePrediction } from "@/server/queries/get-image";
import type { GtGraph, GtObject, GtRecord, GtRelation } from "@/server/scene-graph/types";
import { clampBox, nextId } from "./editor-state";

/** The prediction's kept objects and relations as a graph; ids are `<category>.<k>` and get renumbered by the editor. */
export function predictionGraph(p: ImagePrediction): GtGraph {
  const objects = p.gathered.objects.map((o, k) => ({ id: `${o.category}.${k + 1}`, bbox: o.box }));
  const relationships = p.gathered.relations.flatMap((r) => {
    const s = objects[r.subject];
    const o = objects[r.object];
    return s && o ? [{ subject: s.id, predicate: r.predicate, object: o.id }] : [];
  });
  return { objects, relationships };
}

/**
 * The triplet an accepted prediction adds to ground truth: an end the prediction localised on a
 * ground-truth object uses that object's id; any other end becomes a new object with the predicted box
 * (clamped into the image), listed in `objects`.
 */
export function acceptedTriplet(gt: GtRecord, p: ImagePrediction, relationIndex: number): { triplet: GtRelation; objects: GtObject[] } | null {
  const r = p.gathered.relations[relationIndex];
  if (!r) return null;
  const added: GtObject[] = [];
  const idFor = (k: number): string | null => {
    const m = p.diagnosis.objectMatch[k];
    if (m != null) return gt.objects[m]?.id ?? null;
    const o = p.gathered.objects[k];
    if (!o) return null;
    const id = nextId([...gt.objects, ...added], o.category);
    added.push({ id, bbox: clampBox(o.box, gt.width, gt.height) });
    return id;
  };
  const subject = idFor(r.subject);
  const object = r.object === r.subject ? subject : idFor(r.object);
  if (!subject || !object || subject === object) return null;
  return { triplet: { subject, predicate: r.predicate, object }, objects: added };
}
