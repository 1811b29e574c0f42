import { describe, expect, it } from "vitest";
import golden from "./fixtures/golden/reward-cases.json";
import type { GoldenRewardFile } from "./fixtures/golden-types";
import { boxL1, giou, iou } from "./boxes";
import { extractAnswer } from "./extract-answer";
import { matchCost } from "./match-nodes";
import { labelSim, tableSimilarity } from "./similarity";
import { norm } from "./text";
import { isValidObject, isValidRelationship } from "./rewards/format-reward";
import { expectClose } from "./test-utils";
import type { PyValue } from "./py-json";

const file = golden as unknown as GoldenRewardFile;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely typed golden JSON
const h = file.helpers as Record<string, Array<Record<string, any>>>;
const S = tableSimilarity(file.meta.similarity_stub);
type Box4 = [number, number, number, number];

describe("golden helper vectors", () => {
  it("boxes: IoU, GIoU, L1", () => {
    for (const v of h.boxes!) {
      const a = v.a as Box4;
      const b = v.b as Box4;
      expectClose(iou(a, b), v.compute_iou, "iou");
      expectClose(giou(a, b), v.compute_giou, "giou");
      expectClose(boxL1(a, b), v.box_L1, "l1");
    }
  });
  it("matching cost", () => {
    for (const v of h.cost_function!) {
      const p = v.pred as { id: string; bbox: Box4 };
      const g = v.gt as { id: string; bbox: Box4 };
      expectClose(matchCost(S, { id: norm(p.id), box: p.bbox }, { id: g.id, box: g.bbox }), v.cost_function, "cost");
    }
  });
  it("norm", () => {
    for (const v of h.refine_node_edge!) expect(norm(v.in)).toBe(v.out);
  });
  it("extractAnswer", () => {
    for (const v of h.extract_answer_content!) expect(extractAnswer(v.in)).toBe(v.out);
  });
  it("stubbed similarity", () => {
    for (const v of h.category_semantic_similarity_stubbed!) expectClose(labelSim(S, v.a, v.b), v.out, `${v.a}~${v.b}`);
  });
  it("validObject, skipping the tuple entry the README names", () => {
    h.is_valid_box!.forEach((v, i) => {
      if (i === 4) return;
      expect(isValidObject(v.in as PyValue), JSON.stringify(v.in)).toBe(v.out);
    });
  });
  it("validRel", () => {
    for (const v of h.is_valid_predicate!) expect(isValidRelationship(v.in as PyValue)).toBe(v.out);
  });
});
