import { describe, expect, it } from "vitest";
import golden from "../fixtures/golden/eval-cases.json";
import { expectClose } from "../test-utils";
import type { DatasetType, GtRecord } from "../types";
import { evaluate } from "./evaluate";
import type { PredictionFile } from "./gather";

interface Scenario {
  name: string;
  input: { dataset_type_arg: DatasetType; dataset: GtRecord[]; prediction_files: PredictionFile[] };
  gathered_key_order: string[];
  gathered: Record<string, { boxes: number[][]; labels: number[]; names: string[]; names_target: string[]; relation_tuples: unknown[][]; graph: { all_node_pairs: number[][]; all_relation: number[][] } }>;
  metrics: {
    failure: { fails: [number, number]; "failure rate": number };
    coco_bbox_stats: number[];
    sgg_result_dict: Record<string, Record<string, number[] | number>>;
    sgg_means: Record<string, Record<string, number | null>>;
    ng_loop: { ngR_flags_per_gt_triplet: boolean[]; whole_ngR: number; whole_mean_of_ngR: number; ngR_per_image: number; mean_ngR_per_image: number; mR_list_rounded4: [string, number][]; mR_per_image_rounded4: [string, number][] };
  };
}

const scenarios = (golden as unknown as { scenarios: Scenario[] }).scenarios;
// Default (annotation ids from 1) COCO values, from the golden README.
const COCO_DEFAULT: Record<string, number[]> = {
  vg_perfect: [0.9999999999999999, 0.9999999999999998, 0.9999999999999998, -1.0, 0.9999999999999998, 0.9999999999999998, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0],
  psg_small: [0.9999999999999999, 0.9999999999999998, 0.9999999999999998, -1.0, -1.0, 0.9999999999999999, 1.0, 1.0, 1.0, -1.0, -1.0, 1.0, 1.0],
};

describe.each(scenarios)("golden evaluation scenario $name", (s) => {
  const type = s.input.dataset_type_arg;
  const run = (compat: ("coco-id0" | "psg-object-vocab")[] = []) => evaluate(s.input.dataset, s.input.prediction_files, { datasetType: type, compat });

  it("gathers like the reference", () => {
    const { gathered } = run();
    expect([...gathered.keys()]).toEqual(s.gathered_key_order);
    for (const id of s.gathered_key_order) {
      const want = s.gathered[id]!;
      const got = gathered.get(id)!;
      expect(got.objects.map((o) => o.label)).toEqual(want.labels);
      expect(got.objects.map((o) => o.name)).toEqual(want.names);
      expect(got.objects.map((o) => o.category)).toEqual(want.names_target);
      got.objects.forEach((o, i) => o.box.forEach((v, k) => expectClose(v, want.boxes[i]![k], "box")));
      expect(got.relations.map((r) => [r.subject, r.object])).toEqual(want.graph.all_node_pairs);
      expect(got.relations.map((r) => r.predicateId)).toEqual(want.graph.all_relation.map((row) => row.indexOf(1)));
      expect(got.relations.map((r) => r.predicate)).toEqual(want.relation_tuples.map((t) => t[4]));
    }
  });

  it("reproduces the failure rate, family A and family B", () => {
    const { report, ngRecall, sgdet } = run();
    expect([report.failure.failed, report.failure.total]).toEqual(s.metrics.failure.fails);
    expectClose(report.failure.rate, s.metrics.failure["failure rate"], "failure rate");
    const ng = s.metrics.ng_loop;
    expect(ngRecall.perImage.flatMap((p) => p.hits)).toEqual(ng.ngR_flags_per_gt_triplet);
    expectClose(ngRecall.recall, ng.whole_ngR, "whole ngR");
    expectClose(ngRecall.meanRecall, ng.whole_mean_of_ngR, "whole mean");
    expectClose(ngRecall.recallPerImage, ng.ngR_per_image, "per image");
    expectClose(ngRecall.meanRecallPerImage, ng.mean_ngR_per_image, "mean per image");
    expect(ngRecall.perPredicate.map((p) => [p.predicate, p.recall])).toEqual(ng.mR_list_rounded4);
    expect(ngRecall.perPredicate.map((p) => [p.predicate, p.recallPerImage])).toEqual(ng.mR_per_image_rounded4);

    const d = s.metrics.sgg_result_dict;
    const means = s.metrics.sgg_means;
    for (const k of [20, 50, 100] as const) {
      const key = String(k);
      expect(sgdet.perImage.map((p) => p.recall[k])).toEqual(d.sgdet_recall![key]);
      expect(sgdet.perImage.map((p) => p.ngRecall[k])).toEqual(d.sgdet_recall_nogc![key]);
      expect(sgdet.perImage.flatMap((p) => (p.zeroShotRecall ? [p.zeroShotRecall[k]] : []))).toEqual(d.sgdet_zeroshot_recall![key]);
      expectClose(sgdet.recall[k], means.sgdet_recall![key], `R@${k}`);
      expectClose(sgdet.ngRecall[k], means.sgdet_recall_nogc![key], `ngR@${k}`);
      expectClose(sgdet.zeroShotRecall[k], means.sgdet_zeroshot_recall![key], `zR@${k}`);
      expectClose(sgdet.ngZeroShotRecall[k], means.sgdet_ng_zeroshot_recall![key], `ngzR@${k}`);
      expectClose(sgdet.meanRecall[k], means.sgdet_mean_recall![key], `mR@${k}`);
      expectClose(sgdet.ngMeanRecall[k], means.sgdet_ng_mean_recall![key], `ngmR@${k}`);
      (d.sgdet_mean_recall_list![key] as number[]).forEach((v, i) => expectClose(sgdet.meanRecallList[k][i], v, `mR list ${i}`));
      (d.sgdet_ng_mean_recall_list![key] as number[]).forEach((v, i) => expectClose(sgdet.ngMeanRecallList[k][i], v, `ngmR list ${i}`));
    }
  });

  it("reproduces COCO with coco-id0 and the default numbering", () => {
    const withFlag = run(type === "psg" ? ["coco-id0", "psg-object-vocab"] : ["coco-id0"]).report.coco;
    Object.values(withFlag).forEach((v, i) => expectClose(v, s.metrics.coco_bbox_stats[i], `coco-id0 stat ${i}`));
    const plain = run().report.coco;
    Object.values(plain).forEach((v, i) => expectClose(v, COCO_DEFAULT[s.name]![i], `default stat ${i}`));
  });
});
