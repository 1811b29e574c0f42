import { describe, expect, it } from "vitest";
import { answerOffsetToRaw, parseSceneGraph } from "./parse-graph";

const good = '{"objects": [{"id": "Person.1", "bbox": [1, 2, 30, 40]}, {"id": "bike.2", "bbox": [5, 5, 9, 9]}], "relationships": [{"subject": "person.1", "predicate": "Riding", "object": "bike.2"}]}';

describe("parseSceneGraph", () => {
  it("parses a fenced answer inside tags and normalises names", () => {
    const r = parseSceneGraph(`<think>x</think><answer>\`\`\`json\n${good}\n\`\`\`</answer>`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.graph.objects.map((o) => o.id)).toEqual(["person.1", "bike.2"]);
    expect(r.graph.objects[0]!.rawId).toBe("Person.1");
    expect(r.graph.relationships[0]).toEqual({ subject: "person.1", predicate: "riding", object: "bike.2" });
    expect(r.warnings).toEqual([]);
  });

  it.each([
    ["", "no_answer"],
    ["I see a cat.", "invalid_json"],
    ['{"objects": [{"id": "a.1", "bbox": [1, 2', "truncated"],
    ['{"objects": [], "relationships": [NaN]}', "non_finite"],
    ["[1, 2]", "not_an_object"],
    ['{"objects": []}', "missing_key"],
    ['{"objects": 3, "relationships": []}', "wrong_type"],
    ['{"objects": [{"id": "a.1", "bbox": [1, 2, 3]}], "relationships": []}', "bad_box"],
    ['{"objects": [{"id": "a.1", "bbox": ["1", 2, 3, 4]}], "relationships": []}', "bad_box"],
    ['{"objects": [{"id": 7, "bbox": [1, 2, 3, 4]}], "relationships": []}', "wrong_type"],
    ['{"objects": [], "relationships": [{"subject": "a", "object": "b"}]}', "missing_key"],
    ['{"objects": [], "relationships": "ab"}', "wrong_type"],
  ])("%j fails as %s", (text, kind) => {
    const r = parseSceneGraph(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure.kind).toBe(kind);
  });

  it("accepts the Python iteration quirks: {} and \"\" are empty lists", () => {
    const r = parseSceneGraph('{"objects": {}, "relationships": ""}');
    expect(r.ok && r.graph.objects.length === 0 && r.graph.relationships.length === 0).toBe(true);
  });

  it("accepts booleans as coordinates, as Python does", () => {
    const r = parseSceneGraph('{"objects": [{"id": "a.1", "bbox": [true, 0, 3, 4]}], "relationships": []}');
    expect(r.ok && r.graph.objects[0]!.box[0]).toBe(1);
  });

  it("warns about dangling ids, duplicates and inverted boxes without failing", () => {
    const r = parseSceneGraph(
      '{"objects": [{"id": "a.1", "bbox": [5, 5, 1, 1]}, {"id": "a.1", "bbox": [0, 0, 1, 1]}], "relationships": [{"subject": "a.1", "predicate": "on", "object": "z.9"}, {"subject": "a.1", "predicate": "on", "object": "z.9"}]}',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kinds = r.warnings.map((w) => w.kind);
    expect(kinds).toContain("inverted_box");
    expect(kinds).toContain("duplicate_id");
    expect(kinds).toContain("dangling_id");
    expect(kinds).toContain("duplicate_triplet");
  });

  it("locates a JSON error in the raw response", () => {
    const raw = '<answer>```json\n{"objects": [}\n```</answer>';
    const r = parseSceneGraph(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure.json?.message).toBe("Expecting value");
    expect(raw[answerOffsetToRaw(raw, r.failure.json!.offset)]).toBe("}");
  });
});
