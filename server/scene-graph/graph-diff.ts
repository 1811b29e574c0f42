import type { GtGraph, GtObject, GtRelation } from "./types";

/** One object present in both graphs under a different id, at a different place, or both. */
export interface ObjectChange {
  readonly before: GtObject;
  readonly after: GtObject;
  /** The box changed (original-image pixels). */
  readonly moved: boolean;
  /** The id changed: a new label, or a renumbering. */
  readonly relabelled: boolean;
}

export interface GraphDiff {
  /** Objects of `b` with no counterpart in `a`. */
  readonly addedObjects: GtObject[];
  /** Objects of `a` with no counterpart in `b`. */
  readonly removedObjects: GtObject[];
  readonly changedObjects: ObjectChange[];
  /** Relations of `b` that `a` lacks once `a`'s ids are read as their counterparts in `b`. */
  readonly addedRelations: GtRelation[];
  readonly removedRelations: GtRelation[];
  /** Each object id of `a` that has a counterpart in `b`, and that counterpart's id. */
  readonly idMap: Readonly<Record<string, string>>;
}

/**
 * What changed from graph `a` to graph `b` (boxes in original-image pixels). Objects are paired in
 * order of certainty: same id and box (unchanged), then the same box under another id (relabelled or
 * renumbered), then the same id with another box (moved); what is left is added or removed. A
 * relation counts as unchanged when it survives the id pairing, so renumbering changes no relation.
 * Duplicate relations count as many times as they occur. Pure.
 */
export function diffGraphs(a: GtGraph, b: GtGraph): GraphDiff {
  const pairOf = new Array<number>(a.objects.length).fill(-1);
  const taken = new Array<boolean>(b.objects.length).fill(false);
  const sameBox = (x: GtObject, y: GtObject) => x.bbox.every((v, i) => v === y.bbox[i]);
  const pass = (match: (x: GtObject, y: GtObject) => boolean) => {
    a.objects.forEach((x, i) => {
      if (pairOf[i] !== -1) return;
      const j = b.objects.findIndex((y, k) => !taken[k] && match(x, y));
      if (j < 0) return;
      pairOf[i] = j;
      taken[j] = true;
    });
  };
  pass((x, y) => x.id === y.id && sameBox(x, y));
  pass(sameBox);
  pass((x, y) => x.id === y.id);

  const idMap: Record<string, string> = {};
  const changedObjects: ObjectChange[] = [];
  const removedObjects: GtObject[] = [];
  a.objects.forEach((x, i) => {
    const j = pairOf[i]!;
    if (j < 0) {
      removedObjects.push(x);
      return;
    }
    const y = b.objects[j]!;
    // The first object with an id is the one relations name.
    if (!(x.id in idMap)) idMap[x.id] = y.id;
    const moved = !sameBox(x, y);
    const relabelled = x.id !== y.id;
    if (moved || relabelled) changedObjects.push({ before: x, after: y, moved, relabelled });
  });
  const addedObjects = b.objects.filter((_, j) => !taken[j]);

  const key = (r: GtRelation) => `${r.subject}\u0000${r.predicate}\u0000${r.object}`;
  const left = new Map<string, number>();
  for (const r of b.relationships) left.set(key(r), (left.get(key(r)) ?? 0) + 1);
  const removedRelations: GtRelation[] = [];
  for (const r of a.relationships) {
    const s = idMap[r.subject];
    const o = idMap[r.object];
    const k = s !== undefined && o !== undefined ? key({ subject: s, predicate: r.predicate, object: o }) : undefined;
    const n = k === undefined ? 0 : (left.get(k) ?? 0);
    if (n > 0) left.set(k!, n - 1);
    else removedRelations.push(r);
  }
  const addedRelations: GtRelation[] = [];
  for (const r of b.relationships) {
    const n = left.get(key(r)) ?? 0;
    if (n > 0) {
      left.set(key(r), n - 1);
      addedRelations.push(r);
    }
  }
  return { addedObjects, removedObjects, changedObjects, addedRelations, removedRelations, idMap };
}
