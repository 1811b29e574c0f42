import { describe, expect, it } from "vitest";
import { diffGraphs } from "./graph-diff";
import type { GtGraph } from "./types";

const person = { id: "person.1", bbox: [10, 10, 100, 200] } as const;
const street = { id: "street.1", bbox: [0, 150, 640, 480] } as const;
const dog = { id: "dog.1", bbox: [300, 300, 360, 380] } as const;
const on = { subject: "person.1", predicate: "on", object: "street.1" };

describe("diffGraphs", () => {
  it("finds nothing between a graph and itself", () => {
    const g: GtGraph = { objects: [person, street], relationships: [on] };
    expect(diffGraphs(g, g)).toEqual({ addedObjects: [], removedObjects: [], changedObjects: [], addedRelations: [], removedRelations: [], idMap: { "person.1": "person.1", "street.1": "street.1" } });
  });

  it("reports an added object with its relation, and a removed one with its relation", () => {
    const a: GtGraph = { objects: [person, street], relationships: [on] };
    const b: GtGraph = { objects: [person, dog], relationships: [{ subject: "dog.1", predicate: "near", object: "person.1" }] };
    const d = diffGraphs(a, b);
    expect(d.addedObjects).toEqual([dog]);
    expect(d.removedObjects).toEqual([street]);
    expect(d.changedObjects).toEqual([]);
    expect(d.addedRelations).toEqual([{ subject: "dog.1", predicate: "near", object: "person.1" }]);
    expect(d.removedRelations).toEqual([on]);
  });

  it("tells a moved box from a relabelled one, and keeps relations across a relabel", () => {
    const a: GtGraph = { objects: [person, street], relationships: [on] };
    const man = { id: "man.1", bbox: person.bbox };
    const street2 = { id: "street.1", bbox: [0, 160, 640, 480] as const };
    const b: GtGraph = { objects: [man, street2], relationships: [{ subject: "man.1", predicate: "on", object: "street.1" }] };
    const d = diffGraphs(a, b);
    expect(d.changedObjects).toEqual([
      { before: person, after: man, moved: false, relabelled: true },
      { before: street, after: street2, moved: true, relabelled: false },
    ]);
    expect(d.addedObjects).toEqual([]);
    expect(d.removedObjects).toEqual([]);
    expect(d.addedRelations).toEqual([]);
    expect(d.removedRelations).toEqual([]);
    expect(d.idMap).toEqual({ "person.1": "man.1", "street.1": "street.1" });
  });

  it("reads a renumbering after a delete as a relabel of the surviving object, not a move", () => {
    // person.1 deleted; person.2 renumbered to person.1 at its own place.
    const p2 = { id: "person.2", bbox: [400, 10, 450, 200] as const };
    const a: GtGraph = { objects: [person, p2, street], relationships: [on, { subject: "person.2", predicate: "on", object: "street.1" }] };
    const renumbered = { id: "person.1", bbox: p2.bbox };
    const b: GtGraph = { objects: [renumbered, street], relationships: [on] };
    const d = diffGraphs(a, b);
    expect(d.removedObjects).toEqual([person]);
    expect(d.changedObjects).toEqual([{ before: p2, after: renumbered, moved: false, relabelled: true }]);
    // The old person.1's relation went with it; the old person.2's relation is the one b still has.
    expect(d.removedRelations).toEqual([on]);
    expect(d.addedRelations).toEqual([]);
  });

  it("counts duplicate relations and a changed predicate", () => {
    const a: GtGraph = { objects: [person, street], relationships: [on, on] };
    const b: GtGraph = { objects: [person, street], relationships: [on, { subject: "person.1", predicate: "standing on", object: "street.1" }] };
    const d = diffGraphs(a, b);
    expect(d.removedRelations).toEqual([on]);
    expect(d.addedRelations).toEqual([{ subject: "person.1", predicate: "standing on", object: "street.1" }]);
  });
});
