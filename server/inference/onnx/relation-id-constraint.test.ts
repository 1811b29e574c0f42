import { describe, expect, it } from "vitest";
import { maskedLogits, relationIdConstraint } from "./relation-id-constraint";
import { SceneGraphTokenizer } from "./scene-graph-tokenizer";

const tok = new SceneGraphTokenizer({ kind: "scene-graph", classes: ["person", "hat", "tree"], predicates: ["wearing", "near"], max_id: 5, coord_bins: 11 });
const id = (surface: string) => {
  const i = tok.surfaces.indexOf(surface);
  if (i < 0) throw new Error(surface);
  return i;
};
const s = (surface: string) => tok.structureId(surface);
const OBJ = (cls: string, n: number) => [s('{"id": "'), id(cls), s("."), id(String(n)), s('", "bbox": ['), id("0"), s("]}")];
const MID = s('\n  ],\n  "relationships": [\n');
const REL_OPEN = s('{"subject": "');
const END = (cls: string) => [id(cls), s(".")];

// The answer so far: person.1 and hat.2 listed, the first relationship just opened.
const prefix = [s('```json\n{\n  "objects": [\n'), ...OBJ("person", 1), s(",\n"), ...OBJ("hat", 2), MID, REL_OPEN];
const allowed = relationIdConstraint(tok);

describe("relationIdConstraint", () => {
  it("lets a relationship end name only listed classes, then only their listed numbers", () => {
    expect(allowed(prefix)).toEqual([id("person"), id("hat")].sort((a, b) => a - b));
    expect(allowed([...prefix, ...END("person")])).toEqual([id("1")]);
    expect(allowed([...prefix, ...END("hat")])).toEqual([id("2")]);
    const objectEnd = [...prefix, ...END("person"), id("1"), s('", "predicate": "'), id("wearing"), s('", "object": "')];
    expect(allowed(objectEnd)).toEqual([id("person"), id("hat")].sort((a, b) => a - b));
    // A class the list lacks (the trainer leaves it for the reward to score).
    expect(allowed([...prefix, ...END("tree")])).toBeUndefined();
  });

  it("leaves every other position free", () => {
    expect(allowed([])).toBeUndefined();
    expect(allowed(prefix.slice(0, -1))).toBeUndefined();
    expect(allowed(prefix.slice(0, 4))).toBeUndefined(); // still listing objects
    // A subject opened before any MID (a malformed layout): nothing to point at.
    expect(allowed([s('```json\n{\n  "objects": [\n'), REL_OPEN])).toBeUndefined();
  });

  it("masks a logits row to the allowed ids", () => {
    const logits = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...maskedLogits(logits, 4, 4, [1, 3])]).toEqual([-Infinity, 5, -Infinity, 7]);
  });
});
