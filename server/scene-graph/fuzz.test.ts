import { describe, expect, it } from "vitest";
import golden from "./fixtures/golden/reward-cases.json";
import type { GoldenRewardFile } from "./fixtures/golden-types";
import { createRng, pick, randInt } from "../synthetic/random";
import { PARSE_FAILURE_KINDS, parseSceneGraph } from "./parse-graph";
import { computeRewards } from "./rewards/compute-rewards";
import { tableSimilarity } from "./similarity";
import { gatherPrediction } from "./eval/gather";
import { getVocabulary } from "./vocab";

const file = golden as unknown as GoldenRewardFile;
const S = tableSimilarity(file.meta.similarity_stub);
const seeds = file.cases.map((c) => c.input.completion);
const PIECES = ['{', '}', '[', ']', ',', ':', '"', '"id"', '"bbox"', '"objects"', '"relationships"', '"subject"', '"object"', '"predicate"', "null", "true", "false", "NaN", "-Infinity", "1e400", "-0", "0.5", '""', "{}", "[]", "<answer>", "</answer>", "<think>", "</think>", "```", "json", "\u0085", "\u00a0", "\\u0000", "\\", "\n", "__proto__", '"constructor"'];

function mutate(rng: () => number, s: string): string {
  let t = s;
  const steps = randInt(rng, 1, 6);
  for (let k = 0; k < steps; k++) {
    const at = randInt(rng, 0, t.length);
    switch (randInt(rng, 0, 4)) {
      case 0:
        t = t.slice(0, at); // truncation, as at a length limit
        break;
      case 1:
        t = t.slice(0, at) + pick(rng, PIECES) + t.slice(at);
        break;
      case 2:
        t = t.slice(0, at) + t.slice(at + randInt(rng, 1, 12));
        break;
      case 3:
        t = t.slice(0, at) + String.fromCharCode(randInt(rng, 0, 0x3000)) + t.slice(at);
        break;
      default:
        t = t.replace(/\d+/, pick(rng, ['"7"', "true", "[1]", "{}", "null", "-1e9", "NaN"]));
    }
  }
  return t;
}

function randomValue(rng: () => number, depth = 0): unknown {
  const r = rng();
  if (depth > 3 || r < 0.3) return pick(rng, [0, 1, -2.5, true, false, null, "", "a.1", "person.1", "on"]);
  if (r < 0.6) return Array.from({ length: randInt(rng, 0, 5) }, () => randomValue(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (const k of ["objects", "relationships", "id", "bbox", "subject", "predicate", "object"]) if (rng() < 0.4) o[k] = randomValue(rng, depth + 1);
  return o;
}

describe("fuzz: malformed model outputs never crash", () => {
  const rng = createRng(7);
  const inputs: string[] = [];
  for (let i = 0; i < 2500; i++) inputs.push(mutate(rng, pick(rng, seeds)));
  for (let i = 0; i < 1000; i++) inputs.push(JSON.stringify(randomValue(rng)));
  const c0 = file.cases[0]!.input;
  const vg = getVocabulary("vg");

  it("every input gets a graph or a typed failure, and every reward is a finite number in range", () => {
    for (const text of inputs) {
      const p = parseSceneGraph(text);
      if (!p.ok) expect(PARSE_FAILURE_KINDS).toContain(p.failure.kind);
      else expect(Array.isArray(p.graph.objects) && Array.isArray(p.graph.relationships)).toBe(true);

      const { scores } = computeRewards({ completion: text, gt: c0.gt_pixels_xyxy, imageSize: c0.image_size, boxScale: c0.box_scale }, { similarity: S });
      for (const [k, v] of Object.entries(scores)) expect(Number.isFinite(v), `${k} for ${JSON.stringify(text)}`).toBe(true);
      expect(scores.format).toBeGreaterThanOrEqual(0);
      expect(scores.node_acc).toBeLessThanOrEqual(2 + 1e-9);
      expect(scores.edge_hard).toBeLessThanOrEqual(5);

      const g = gatherPrediction({ image_id: "1", response: text }, [800, 600], { vocab: vg });
      expect(g.failed).toBe(!p.ok);
    }
  });
});
