import { describe, expect, it } from "vitest";
import {
  canRedo,
  canUndo,
  clampBox,
  editorReducer,
  initEditor,
  isDirty,
  labelOf,
  nextId,
  renumberGraph,
  type EditorAction,
  type EditorState,
} from "./editor-state";

const base = {
  objects: [
    { id: "person.1", bbox: [10, 10, 50, 90] as const },
    { id: "street.2", bbox: [0, 60, 200, 100] as const },
    { id: "person.2", bbox: [100, 10, 140, 90] as const },
  ],
  relationships: [
    { subject: "person.1", predicate: "on", object: "street.2" },
    { subject: "person.2", predicate: "on", object: "street.2" },
  ],
};

const run = (s: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, s);
const start = () => initEditor(base, 200, 100);

describe("box geometry", () => {
  it("orders corners, rounds to pixels and keeps the box inside the image", () => {
    expect(clampBox([50.4, 80, 10.6, 20], 200, 100)).toEqual([11, 20, 50, 80]);
    expect(clampBox([-30, -5, 250, 140], 200, 100)).toEqual([0, 0, 200, 100]);
    // Entirely outside: pushed back to a sliver on the edge, never outside.
    expect(clampBox([300, 300, 400, 400], 200, 100)).toEqual([199, 99, 200, 100]);
    // Zero width grows to the minimum side.
    expect(clampBox([20, 20, 20, 40], 200, 100)).toEqual([20, 20, 21, 40]);
  });
});

describe("ids", () => {
  it("reads the class of an id and hands out one past the largest number", () => {
    expect(labelOf("traffic light.12")).toBe("traffic light");
    expect(labelOf("odd")).toBe("odd");
    expect(nextId(base.objects, "person")).toBe("person.3");
    expect(nextId(base.objects, "dog")).toBe("dog.1");
  });

  it("renumbers per class and rewrites relation ends, dropping dangling and repeated relations", () => {
    const g = renumberGraph({
      objects: [
        { id: "man.7", bbox: [0, 0, 1, 1] },
        { id: "hat.3", bbox: [0, 0, 1, 1] },
        { id: "man.2", bbox: [0, 0, 1, 1] },
      ],
      relationships: [
        { subject: "man.7", predicate: "wearing", object: "hat.3" },
        { subject: "man.7", predicate: "wearing", object: "hat.3" },
        { subject: "man.2", predicate: "near", object: "ghost.1" },
        { subject: "man.2", predicate: "near", object: "man.7" },
      ],
    });
    expect(g.objects.map((o) => o.id)).toEqual(["man.1", "hat.1", "man.2"]);
    expect(g.relationships).toEqual([
      { subject: "man.1", predicate: "wearing", object: "hat.1" },
      { subject: "man.2", predicate: "near", object: "man.1" },
    ]);
  });
});

describe("editing", () => {
  it("adds a clamped box with a fresh id and selects it", () => {
    const s = run(start(), { type: "addObject", label: "person", bbox: [150, 50, 260, 120] });
    expect(s.graph.objects.at(-1)).toEqual({ id: "person.3", bbox: [150, 50, 200, 100] });
    expect(s.selection).toEqual({ kind: "object", id: "person.3" });
    expect(isDirty(s)).toBe(true);
  });

  it("moves and resizes inside the image only", () => {
    const s = run(start(), { type: "setBox", id: "person.1", bbox: [-20, 40, 30, 130] });
    expect(s.graph.objects[0]).toEqual({ id: "person.1", bbox: [0, 40, 30, 100] });
  });

  it("deletes an object with every relation that names it", () => {
    const s = run(start(), { type: "select", selection: { kind: "object", id: "street.2" } }, { type: "deleteSelection" });
    expect(s.graph.objects.map((o) => o.id)).toEqual(["person.1", "person.2"]);
    expect(s.graph.relationships).toEqual([]);
    expect(s.selection).toBeNull();
  });

  it("relabels with a new unique id and keeps relations pointing at the object", () => {
    const s = run(start(), { type: "relabel", id: "person.1", label: "man" }, { type: "relabel", id: "person.2", label: "man" });
    expect(s.graph.objects.map((o) => o.id)).toEqual(["man.1", "street.2", "man.2"]);
    expect(s.graph.relationships.map((r) => r.subject)).toEqual(["man.1", "man.2"]);
    // Relabelling to another object's class never collides with it.
    const t = run(start(), { type: "relabel", id: "street.2", label: "person" });
    expect(t.graph.objects.map((o) => o.id)).toEqual(["person.1", "person.3", "person.2"]);
    expect(t.graph.relationships[0]).toEqual({ subject: "person.1", predicate: "on", object: "person.3" });
  });

  it("adds, edits and deletes relations, refusing dangling ends, self-loops and repeats", () => {
    let s = run(start(), { type: "addRelation", relation: { subject: "person.1", predicate: "near", object: "person.2" } });
    expect(s.graph.relationships).toHaveLength(3);
    expect(s.selection).toEqual({ kind: "relation", index: 2 });
    const refused = run(
      s,
      { type: "addRelation", relation: { subject: "person.1", predicate: "near", object: "person.2" } },
      { type: "addRelation", relation: { subject: "person.1", predicate: "near", object: "person.1" } },
      { type: "addRelation", relation: { subject: "person.1", predicate: "near", object: "cat.1" } },
    );
    expect(refused.graph).toBe(s.graph);
    s = run(s, { type: "editRelation", index: 2, relation: { subject: "person.2", predicate: "behind", object: "person.1" } });
    expect(s.graph.relationships[2]).toEqual({ subject: "person.2", predicate: "behind", object: "person.1" });
    s = run(s, { type: "deleteRelation", index: 0 });
    expect(s.graph.relationships.map((r) => r.predicate)).toEqual(["on", "behind"]);
  });

  it("replaces the draft with a prediction's graph, renumbered and clamped, as one undoable step", () => {
    const s = run(start(), {
      type: "replaceGraph",
      graph: { objects: [{ id: "dog.5", bbox: [-10, 0, 20, 300] }, { id: "dog.9", bbox: [30, 30, 60, 60] }], relationships: [{ subject: "dog.9", predicate: "near", object: "dog.5" }] },
    });
    expect(s.graph).toEqual({ objects: [{ id: "dog.1", bbox: [0, 0, 20, 100] }, { id: "dog.2", bbox: [30, 30, 60, 60] }], relationships: [{ subject: "dog.2", predicate: "near", object: "dog.1" }] });
    expect(run(s, { type: "undo" }).graph).toEqual(start().graph);
  });
});

describe("history", () => {
  it("undoes and redoes every change, and a new change clears the redo steps", () => {
    const s0 = start();
    const s1 = run(s0, { type: "addObject", label: "dog", bbox: [1, 1, 9, 9] }, { type: "setBox", id: "dog.1", bbox: [2, 2, 8, 8] }, { type: "relabel", id: "dog.1", label: "cat" });
    expect(s1.past).toHaveLength(3);
    const u2 = run(s1, { type: "undo" }, { type: "undo" });
    expect(u2.graph.objects.at(-1)).toEqual({ id: "dog.1", bbox: [1, 1, 9, 9] });
    expect(canRedo(u2)).toBe(true);
    const r1 = run(u2, { type: "redo" });
    expect(r1.graph.objects.at(-1)).toEqual({ id: "dog.1", bbox: [2, 2, 8, 8] });
    const branched = run(r1, { type: "deleteObject", id: "person.1" });
    expect(canRedo(branched)).toBe(false);
    const back = run(branched, { type: "undo" }, { type: "undo" }, { type: "undo" });
    expect(back.graph).toEqual(s0.graph);
    expect(canUndo(back)).toBe(false);
    // Undo at the start and redo at the end change nothing.
    expect(run(back, { type: "undo" })).toBe(back);
  });

  it("is clean when undone back to the saved graph, and after a save", () => {
    const s = run(start(), { type: "deleteRelation", index: 1 });
    expect(isDirty(s)).toBe(true);
    expect(isDirty(run(s, { type: "undo" }))).toBe(false);
    const saved = run(s, { type: "saved" });
    expect(isDirty(saved)).toBe(false);
    expect(isDirty(run(saved, { type: "undo" }))).toBe(true);
  });

  it("drops a selection that an undo took away", () => {
    const s = run(start(), { type: "addObject", label: "dog", bbox: [1, 1, 9, 9] }, { type: "undo" });
    expect(s.selection).toBeNull();
  });

  it("does not record a change that changes nothing", () => {
    const s = run(start(), { type: "setBox", id: "person.1", bbox: [10, 10, 50, 90] }, { type: "relabel", id: "person.1", label: "person" });
    expect(canUndo(s)).toBe(false);
  });

  it("loading a graph starts a fresh, clean history", () => {
    const s = run(start(), { type: "deleteObject", id: "person.1" }, { type: "load", graph: base });
    expect(canUndo(s)).toBe(false);
    expect(isDirty(s)).toBe(false);
  });
});
