/**
 * The ground-truth editor's state, as a pure reducer: the draft graph, the selection, an undo/redo
 * history over every change to the graph, and whether the draft differs from what was last loaded or
 * saved. Boxes are `BoxPx` (original-image pixels, [x1, y1, x2, y2]) and always lie inside the image.
 */
import type { BoxPx, GtGraph, GtObject, GtRelation } from "@/server/scene-graph/types";

export interface DraftGraph {
  readonly objects: readonly GtObject[];
  readonly relationships: readonly GtRelation[];
}

export type Selection = { kind: "object"; id: string } | { kind: "relation"; index: number } | null;

export interface EditorState {
  /** Image size in pixels: every box is clamped to it. */
  readonly width: number;
  readonly height: number;
  readonly graph: DraftGraph;
  readonly selection: Selection;
  readonly past: readonly DraftGraph[];
  readonly future: readonly DraftGraph[];
  /** The graph as last loaded or saved: the draft is dirty while it differs. */
  readonly saved: DraftGraph;
}

export type EditorAction =
  | { type: "load"; graph: GtGraph }
  | { type: "saved" }
  | { type: "select"; selection: Selection }
  | { type: "addObject"; label: string; bbox: BoxPx }
  | { type: "setBox"; id: string; bbox: BoxPx }
  | { type: "deleteObject"; id: string }
  | { type: "relabel"; id: string; label: string }
  | { type: "addRelation"; relation: GtRelation }
  | { type: "editRelation"; index: number; relation: GtRelation }
  | { type: "deleteRelation"; index: number }
  | { type: "deleteSelection" }
  | { type: "replaceGraph"; graph: GtGraph }
  | { type: "renumber" }
  | { type: "undo" }
  | { type: "redo" };

/** Undo steps kept; older ones fall off. */
export const HISTORY_LIMIT = 200;
/** The smallest box side, in pixels, a draw or resize may leave. */
export const MIN_BOX_SIDE = 1;

const ID_RE = /^(.+)\.(\d+)$/;

/** The class part of a `<class>.<n>` id (the whole id when it has no number). */
export function labelOf(id: string): string {
  const m = ID_RE.exec(id);
  return m ? m[1]! : id;
}

/** A fresh `<label>.<n>` id: one past the largest n the label already uses. */
export function nextId(objects: readonly GtObject[], label: string): string {
  let max = 0;
  for (const o of objects) {
    const m = ID_RE.exec(o.id);
    if (m && m[1] === label) max = Math.max(max, Number(m[2]));
  }
  return `${label}.${max + 1}`;
}

/**
 * A box in image pixels, corners ordered, rounded to whole pixels and clamped into [0, width] ×
 * [0, height], at least `MIN_BOX_SIDE` on each side (moved back inside when it would stick out).
 */
export function clampBox(box: BoxPx, width: number, height: number): BoxPx {
  const axis = (a: number, b: number, size: number): [number, number] => {
    let lo = Math.round(Math.min(a, b));
    let hi = Math.round(Math.max(a, b));
    lo = Math.min(Math.max(lo, 0), size - MIN_BOX_SIDE);
    hi = Math.max(Math.min(hi, size), lo + MIN_BOX_SIDE);
    return [lo, hi];
  };
  const [x1, x2] = axis(box[0], box[2], width);
  const [y1, y2] = axis(box[1], box[3], height);
  return [x1, y1, x2, y2];
}

/**
 * Gives every object a `<class>.<n>` id, numbering each class 1, 2, … in object order, and rewrites
 * relation ends to match. Relations whose ends name no object, self-relations and repeated triplets
 * are dropped. Used where ids come from outside (a prediction) or on request.
 */
export function renumberGraph(graph: GtGraph): DraftGraph {
  const counts = new Map<string, number>();
  const rename = new Map<string, string>();
  const objects = graph.objects.map((o) => {
    const label = labelOf(o.id).trim() || "object";
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    const id = `${label}.${n}`;
    if (!rename.has(o.id)) rename.set(o.id, id);
    return { id, bbox: o.bbox };
  });
  return { objects, relationships: cleanRelations(graph.relationships, rename) };
}

function cleanRelations(relations: readonly GtRelation[], rename: ReadonlyMap<string, string>): GtRelation[] {
  const seen = new Set<string>();
  const out: GtRelation[] = [];
  for (const r of relations) {
    const subject = rename.get(r.subject);
    const object = rename.get(r.object);
    if (!subject || !object || subject === object) continue;
    const key = `${subject}\u0000${r.predicate}\u0000${object}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ subject, predicate: r.predicate, object });
  }
  return out;
}

export function graphsEqual(a: DraftGraph, b: DraftGraph): boolean {
  if (a === b) return true;
  if (a.objects.length !== b.objects.length || a.relationships.length !== b.relationships.length) return false;
  const sameObj = a.objects.every((o, i) => {
    const p = b.objects[i]!;
    return o.id === p.id && o.bbox.every((v, k) => v === p.bbox[k]);
  });
  return sameObj && a.relationships.every((r, i) => {
    const q = b.relationships[i]!;
    return r.subject === q.subject && r.predicate === q.predicate && r.object === q.object;
  });
}

export function isDirty(state: EditorState): boolean {
  return !graphsEqual(state.graph, state.saved);
}

export const canUndo = (s: EditorState) => s.past.length > 0;
export const canRedo = (s: EditorState) => s.future.length > 0;

function clampGraph(graph: GtGraph, width: number, height: number): DraftGraph {
  return { objects: graph.objects.map((o) => ({ id: o.id, bbox: clampBox(o.bbox, width, height) })), relationships: [...graph.relationships] };
}

export function initEditor(graph: GtGraph, width: number, height: number): EditorState {
  const g = clampGraph(graph, width, height);
  return { width, height, graph: g, selection: null, past: [], future: [], saved: g };
}

/** A selection that still names something in `graph`, or null. */
function validSelection(sel: Selection, graph: DraftGraph): Selection {
  if (!sel) return null;
  if (sel.kind === "object") return graph.objects.some((o) => o.id === sel.id) ? sel : null;
  return sel.index < graph.relationships.length ? sel : null;
}

/** Records `graph` as a new undoable step (nothing when it did not change). */
function commit(state: EditorState, graph: DraftGraph, selection: Selection = state.selection): EditorState {
  if (graphsEqual(graph, state.graph)) return { ...state, selection: validSelection(selection, state.graph) };
  const past = [...state.past, state.graph].slice(-HISTORY_LIMIT);
  return { ...state, graph, past, future: [], selection: validSelection(selection, graph) };
}

function hasTriplet(relations: readonly GtRelation[], r: GtRelation, except = -1): boolean {
  return relations.some((q, i) => i !== except && q.subject === r.subject && q.predicate === r.predicate && q.object === r.object);
}

function relationOk(graph: DraftGraph, r: GtRelation): boolean {
  const ids = new Set(graph.objects.map((o) => o.id));
  return ids.has(r.subject) && ids.has(r.object) && r.subject !== r.object && r.predicate.trim() !== "";
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  const g = state.graph;
  switch (action.type) {
    case "load":
      return initEditor(action.graph, state.width, state.height);
    case "saved":
      return { ...state, saved: state.graph };
    case "select":
      return { ...state, selection: validSelection(action.selection, g) };
    case "addObject": {
      const label = action.label.trim();
      if (!label) return state;
      const id = nextId(g.objects, label);
      const objects = [...g.objects, { id, bbox: clampBox(action.bbox, state.width, state.height) }];
      return commit(state, { ...g, objects }, { kind: "object", id });
    }
    case "setBox": {
      const bbox = clampBox(action.bbox, state.width, state.height);
      const objects = g.objects.map((o) => (o.id === action.id ? { id: o.id, bbox } : o));
      return commit(state, { ...g, objects });
    }
    case "deleteObject": {
      if (!g.objects.some((o) => o.id === action.id)) return state;
      const objects = g.objects.filter((o) => o.id !== action.id);
      const relationships = g.relationships.filter((r) => r.subject !== action.id && r.object !== action.id);
      return commit(state, { objects, relationships }, null);
    }
    case "relabel": {
      const label = action.label.trim();
      if (!label || !g.objects.some((o) => o.id === action.id) || labelOf(action.id) === label) return state;
      const id = nextId(g.objects, label);
      const objects = g.objects.map((o) => (o.id === action.id ? { id, bbox: o.bbox } : o));
      const end = (x: string) => (x === action.id ? id : x);
      const relationships = g.relationships.map((r) => ({ subject: end(r.subject), predicate: r.predicate, object: end(r.object) }));
      return commit(state, { objects, relationships }, { kind: "object", id });
    }
    case "addRelation": {
      const r = action.relation;
      if (!relationOk(g, r) || hasTriplet(g.relationships, r)) return state;
      const relationships = [...g.relationships, { subject: r.subject, predicate: r.predicate, object: r.object }];
      return commit(state, { ...g, relationships }, { kind: "relation", index: relationships.length - 1 });
    }
    case "editRelation": {
      const r = action.relation;
      if (action.index >= g.relationships.length || !relationOk(g, r) || hasTriplet(g.relationships, r, action.index)) return state;
      const relationships = g.relationships.map((q, i) => (i === action.index ? { subject: r.subject, predicate: r.predicate, object: r.object } : q));
      return commit(state, { ...g, relationships });
    }
    case "deleteRelation": {
      if (action.index >= g.relationships.length) return state;
      return commit(state, { ...g, relationships: g.relationships.filter((_, i) => i !== action.index) }, null);
    }
    case "deleteSelection": {
      const sel = state.selection;
      if (!sel) return state;
      return editorReducer(state, sel.kind === "object" ? { type: "deleteObject", id: sel.id } : { type: "deleteRelation", index: sel.index });
    }
    case "replaceGraph":
      return commit(state, clampGraph(renumberGraph(action.graph), state.width, state.height), null);
    case "renumber":
      return commit(state, renumberGraph(g), null);
    case "undo": {
      const prev = state.past[state.past.length - 1];
      if (!prev) return state;
      return { ...state, graph: prev, past: state.past.slice(0, -1), future: [g, ...state.future], selection: validSelection(state.selection, prev) };
    }
    case "redo": {
      const next = state.future[0];
      if (!next) return state;
      return { ...state, graph: next, past: [...state.past, g], future: state.future.slice(1), selection: validSelection(state.selection, next) };
    }
  }
}
