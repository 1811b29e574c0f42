import { describe, expect, it } from "vitest";
import golden from "../fixtures/golden/reward-cases.json";
import type { GoldenRewardFile } from "../fixtures/golden-types";
import { tableSimilarity } from "../similarity";
import { expectClose } from "../test-utils";
import { computeRewards } from "./compute-rewards";
import { RewardContext } from "./reward-context";
import { extractAnswer } from "../extract-answer";
import { pxToNorm } from "../boxes";

const file = golden as unknown as GoldenRewardFile;
const S = tableSimilarity(file.meta.similarity_stub);

describe("golden reward cases", () => {
  for (const c of file.cases) {
    const input = {
      completion: c.input.completion,
      gt: c.input.gt_pixels_xyxy,
      imageSize: c.input.image_size,
      boxScale: c.input.box_scale,
    } as const;
    const out = c.output;

    it(`${c.name}: intended format (default flags)`, () => {
      const { scores } = computeRewards(input, { similarity: S });
      expectClose(scores.format, out.format_reward_pre0505, "format");
      expectClose(scores.node_acc, out.node_acc_reward, "node_acc");
      expectClose(scores.node_box, out.node_box_reward, "node_box");
      expectClose(scores.edge_soft, out.edge_reward, "edge_soft");
      expectClose(scores.edge_hard, out.edge_hard_reward, "edge_hard");
      expectClose(scores.edge_hard_relax, out.edge_hard_relax_reward, "edge_hard_relax");
      expectClose(scores.total_soft_recall, out.total_default_soft_recall_pre0505_format, "soft total");
      expectClose(scores.total_hard_recall, out.total_hard_recall_pre0505_format, "hard total");
      expectClose(scores.total_hard_recall_relax, out.format_reward_pre0505! + out.edge_hard_relax_reward!, "relax total");
      const nonStrict = computeRewards(input, { similarity: S, strictFormat: false });
      expectClose(nonStrict.scores.format, out.format_reward_pre0505_nonstrict, "format non-strict");
    });

    it(`${c.name}: r1sgg-head`, () => {
      const { scores } = computeRewards(input, { similarity: S, compat: ["r1sgg-head"] });
      expectClose(scores.format, out.format_reward, "format");
      expectClose(scores.total_soft_recall, out.total_default_soft_recall, "soft total");
      expectClose(scores.total_hard_recall, out.total_hard_recall, "hard total");
      expectClose(scores.total_hard_recall_relax, out.total_hard_recall_relax, "relax total");
      const nonStrict = computeRewards(input, { similarity: S, strictFormat: false, compat: ["r1sgg-head"] });
      expectClose(nonStrict.scores.format, out.format_reward_nonstrict, "format non-strict");
    });

    it(`${c.name}: intermediates`, () => {
      expect(extractAnswer(c.input.completion)).toBe(c.intermediate.extract_answer_content);
      c.input.gt_pixels_xyxy.objects.forEach((o, i) => {
        const want = c.input.solution_normalized.objects[i]!.bbox;
        pxToNorm(o.bbox, c.input.image_size).forEach((v, k) => expect(v).toBe(want[k]));
      });
      const ctx = new RewardContext(input, S);
      const na = c.intermediate.node_assignments;
      if ("error" in na) {
        expect(() => ctx.matches()).toThrow();
        return;
      }
      const preds = ctx.predNodes();
      const got = ctx.matches().map((m) => ({
        gt: ctx.gtNodes()[m.gt]!.id,
        pred: preds[m.pred]!.id,
        box: preds[m.pred]!.box,
        cost: m.cost,
      }));
      expect(got.map((g) => [g.gt, g.pred])).toEqual(na.map((a) => [a.gt, a.pred]));
      got.forEach((g, i) => {
        expectClose(g.cost, na[i]!.cost, `cost ${i}`);
        g.box.forEach((v, k) => expect(v).toBe(na[i]!.pred_bbox_normalized[k]));
      });
    });
  }
});
