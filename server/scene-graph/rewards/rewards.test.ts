import { describe, expect, it } from "vitest";
import { computePresetReward, computeRewards } from "./compute-rewards";
import { hasThinkAnswerLayout } from "./format-reward";

const gt = {
  objects: [
    { id: "person.1", bbox: [100, 100, 300, 500] as const },
    { id: "horse.2", bbox: [50, 300, 600, 700] as const },
  ],
  relationships: [{ subject: "person.1", predicate: "riding", object: "horse.2" }],
};
const size = [1000, 1000] as const;
const scale = [1000, 1000] as const;
const score = (completion: string, opts = {}) => computeRewards({ completion, gt, imageSize: size, boxScale: scale }, opts);
const graph = (objects: unknown, relationships: unknown) => JSON.stringify({ objects, relationships });
const perfectObjects = [
  { id: "person.1", bbox: [100, 100, 300, 500] },
  { id: "horse.2", bbox: [50, 300, 600, 700] },
];

describe("rewards: edge cases of the reference semantics", () => {
  it("a perfect answer in the think/answer layout scores every maximum", () => {
    const r = score(`<think>ok</think>\n<answer>${graph(perfectObjects, gt.relationships)}</answer>`).scores;
    expect(r).toMatchObject({ format: 1, node_acc: 2, node_box: 2, edge_soft: 5, edge_hard: 5, edge_hard_relax: 5 });
    expect(r.total_soft_recall).toBe(10);
  });

  it("an unknown id fails edge_hard only when that relationship is reached", () => {
    const rels = [
      { subject: "person.1", predicate: "riding", object: "horse.2" },
      { subject: "ghost.9", predicate: "near", object: "horse.2" },
    ];
    const r = score(graph(perfectObjects, rels));
    expect(r.scores.edge_hard).toBe(5); // the hit breaks the loop before the ghost
    expect(r.scores.edge_hard_relax).toBe(0); // relax visits every relationship
    expect(r.failures.edge_hard_relax).toMatch(/unknown predicted id "ghost.9"/);
  });

  it("a missing relationships key zeroes the edge rewards but not the node rewards", () => {
    const r = score(JSON.stringify({ objects: perfectObjects }));
    expect(r.scores.node_acc).toBe(2);
    expect(r.scores.edge_soft).toBe(0);
    expect(r.failures.edge_soft).toMatch(/missing key "relationships"/);
  });

  it("booleans are coordinates and {} is an empty list, as in Python", () => {
    const r = score(graph([{ id: "person.1", bbox: [true, false, 300, 500] }], {}));
    expect(r.failures.node_acc).toBeUndefined();
    expect(r.scores.node_acc).toBe(1); // one of two ground-truth objects matched with the same label
  });

  it("edge_soft keeps only the last predicate per ordered pair", () => {
    const rels = [
      { subject: "person.1", predicate: "riding", object: "horse.2" },
      { subject: "person.1", predicate: "near", object: "horse.2" },
    ];
    expect(score(graph(perfectObjects, rels)).scores.edge_soft).toBe(0);
    expect(score(graph(perfectObjects, rels.slice().reverse())).scores.edge_soft).toBe(5);
  });

  it("the IoU threshold is inclusive", () => {
    // Halves and quarters are exact in binary, so the IoU below is exactly 0.5.
    const g = { objects: [{ id: "a.1", bbox: [0, 0, 500, 500] as const }, { id: "b.2", bbox: [500, 500, 1000, 1000] as const }], relationships: [{ subject: "a.1", predicate: "on", object: "b.2" }] };
    const run = (aBox: number[]) =>
      computeRewards({ completion: graph([{ id: "a.1", bbox: aBox }, { id: "b.2", bbox: [500, 500, 1000, 1000] }], g.relationships), gt: g, imageSize: size, boxScale: scale }).scores.edge_hard;
    expect(run([0, 0, 500, 250])).toBe(5);
    expect(run([0, 0, 500, 249])).toBe(0);
  });

  it("format: strict, non-strict and the r1sgg-head regression", () => {
    const bare = graph(perfectObjects, gt.relationships);
    expect(score(bare).scores.format).toBe(0);
    expect(score(bare, { strictFormat: false }).scores.format).toBe(0.5);
    const tagged = `<think></think><answer>${bare}</answer>`;
    expect(score(tagged, { compat: ["r1sgg-head"] }).scores.format).toBe(0);
    expect(score(`<think></think><answer>${graph([], [])}</answer>`, { compat: ["r1sgg-head"] }).scores.format).toBe(1);
    // A relationship end must be an id exactly as written, before normalisation.
    expect(score(`<think></think><answer>${graph(perfectObjects, [{ subject: "Person.1", predicate: "riding", object: "horse.2" }])}</answer>`).scores.format).toBe(0);
  });

  it("the layout check follows the reference's full match", () => {
    expect(hasThinkAnswerLayout("<think>a</think>\u0085 <answer>b</answer>")).toBe(true);
    expect(hasThinkAnswerLayout("<think>a</think>x<answer>b</answer>")).toBe(false);
    expect(hasThinkAnswerLayout("<think></think><answer></answer>")).toBe(true);
    expect(hasThinkAnswerLayout("<think></think><answer>")).toBe(false);
  });

  it("preset totals weigh only the functions of the preset", () => {
    const c = `<think></think><answer>${graph(perfectObjects, gt.relationships)}</answer>`;
    const hard = computePresetReward({ completion: c, gt, imageSize: size, boxScale: scale }, "hard_recall", { weights: { edge_hard: 2 } });
    expect(hard.total).toBe(11);
    expect(Object.keys(hard.values)).toEqual(["format", "edge_hard"]);
  });
});
