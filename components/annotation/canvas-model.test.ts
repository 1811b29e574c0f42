import { describe, expect, it } from "vitest";
import { DIFF_COLOURS, diffScene, draftScene } from "./canvas-model";
import { rankOptions } from "./label-picker";

const before = {
  objects: [
    { id: "man.1", bbox: [0, 0, 10, 10] as const },
    { id: "hat.1", bbox: [2, 0, 6, 3] as const },
    { id: "dog.1", bbox: [20, 20, 30, 30] as const },
  ],
  relationships: [
    { subject: "man.1", predicate: "wearing", object: "hat.1" },
    { subject: "dog.1", predicate: "near", object: "man.1" },
  ],
};
const after = {
  objects: [
    { id: "man.1", bbox: [0, 0, 12, 10] as const },
    { id: "hat.1", bbox: [2, 0, 6, 3] as const },
    { id: "cat.1", bbox: [40, 40, 50, 50] as const },
  ],
  relationships: [
    { subject: "man.1", predicate: "wearing", object: "hat.1" },
    { subject: "cat.1", predicate: "near", object: "man.1" },
  ],
};

describe("canvas models", () => {
  it("draws the draft with one arrow per relation whose ends exist", () => {
    const s = draftScene({ objects: before.objects, relationships: [...before.relationships, { subject: "man.1", predicate: "on", object: "ghost.1" }] });
    expect(s.boxes.map((b) => b.objectId)).toEqual(["man.1", "hat.1", "dog.1"]);
    expect(s.arrows.map((a) => a.index)).toEqual([0, 1]);
  });

  it("colours a revision diff: added green, removed red, moved amber, the rest grey", () => {
    const d = diffScene(before, after);
    const colour = (label: string) => d.boxes.find((b) => b.label.startsWith(label))?.colour;
    expect(colour("man.1")).toBe(DIFF_COLOURS.changed);
    expect(d.boxes.find((b) => b.objectId === "man.1")!.label).toBe("man.1 · moved");
    expect(colour("hat.1")).toBe(DIFF_COLOURS.same);
    expect(colour("cat.1")).toBe(DIFF_COLOURS.added);
    expect(colour("dog.1")).toBe(DIFF_COLOURS.removed);
    const arrow = (p: string, c: string) => d.arrows.find((a) => a.predicate === p && a.colour === c);
    expect(arrow("wearing", DIFF_COLOURS.same)).toBeDefined();
    expect(arrow("near", DIFF_COLOURS.added)?.from).toEqual([40, 40, 50, 50]);
    expect(arrow("near", DIFF_COLOURS.removed)?.from).toEqual([20, 20, 30, 30]);
    expect(d.counts).toEqual({ added: 2, removed: 2, changed: 1, same: 0 });
  });

  it("ranks vocabulary entries by prefix, then word start, then substring", () => {
    const vocab = ["street", "tree", "table", "traffic light", "light", "streetlight"];
    expect(rankOptions(vocab, "tre")).toEqual(["tree", "street", "streetlight"]);
    expect(rankOptions(vocab, "light")).toEqual(["light", "traffic light", "streetlight"]);
    expect(rankOptions(vocab, "zz")).toEqual([]);
  });
});
