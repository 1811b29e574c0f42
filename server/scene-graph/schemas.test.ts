import { describe, expect, it } from "vitest";
import { parseSceneGraph } from "./parse-graph";
import { checkGtVocabulary, gtRecordSchema, parsedGraphSchema, rewardCaseSchema } from "./schemas";

describe("schemas at the boundaries", () => {
  it("accepts a valid record and names the field of an invalid one", () => {
    const rec = { image_id: 7, width: 10, height: 10, objects: [{ id: "man.1", bbox: [0, 0, 5, 5] }], relationships: [] };
    expect(gtRecordSchema.parse(rec).image_id).toBe("7");
    const bad = gtRecordSchema.safeParse({ ...rec, relationships: [{ subject: "man.1", predicate: "on", object: "dog.2" }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(["relationships", 0, "object"]);
    expect(gtRecordSchema.safeParse({ ...rec, objects: [{ id: "man.1", bbox: [0, 0, 5] }] }).success).toBe(false);
  });

  it("checks classes, id form and predicates against the vocabulary", () => {
    const rec = { image_id: "1", width: 1, height: 1, objects: [{ id: "man.1", bbox: [0, 0, 1, 1] as const }, { id: "man", bbox: [0, 0, 1, 1] as const }, { id: "unicorn.2", bbox: [0, 0, 1, 1] as const }], relationships: [{ subject: "man.1", predicate: "flies", object: "man.1" }] };
    const problems = checkGtVocabulary(rec, "vg");
    expect(problems).toHaveLength(3);
    expect(problems.join(" ")).toContain('"unicorn" is not a vg class');
    expect(checkGtVocabulary({ ...rec, objects: [{ id: "tree-merged.1", bbox: [0, 0, 1, 1] }], relationships: [] }, "psg")).toEqual([]);
  });

  it("round-trips a parsed graph through its stored form", () => {
    const r = parseSceneGraph('{"objects": [{"id": "Man.1", "bbox": [1, 2, 3, 4]}], "relationships": []}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const stored = JSON.parse(JSON.stringify({ ...r.graph, warnings: r.warnings }));
    expect(parsedGraphSchema.parse(stored).objects[0]).toEqual({ id: "man.1", rawId: "Man.1", box: [1, 2, 3, 4] });
  });

  it("rejects a reward case without a positive image size", () => {
    expect(rewardCaseSchema.safeParse({ completion: "", gt: { objects: [], relationships: [] }, image_size: [0, 5], box_scale: [1000, 1000] }).success).toBe(false);
  });
});
