import { describe, expect, it } from "vitest";
import type { GtRecord } from "../types";
import { getVocabulary } from "../vocab";
import { diagnoseImage } from "./diagnose-image";
import { gatherPrediction } from "./gather";
import { computeNgRecall } from "./ng-recall";

const gt: GtRecord = {
  image_id: "1",
  width: 1000,
  height: 1000,
  objects: [
    { id: "man.1", bbox: [100, 100, 400, 900] },
    { id: "horse.2", bbox: [300, 400, 900, 950] },
    { id: "hat.3", bbox: [150, 50, 300, 120] },
    { id: "tree.4", bbox: [700, 0, 1000, 500] },
  ],
  relationships: [
    { subject: "man.1", predicate: "riding", object: "horse.2" },
    { subject: "man.1", predicate: "wearing", object: "hat.3" },
    { subject: "horse.2", predicate: "near", object: "tree.4" },
    { subject: "tree.4", predicate: "behind", object: "man.1" },
  ],
};
const vocab = getVocabulary("vg");
const answer = (objects: unknown[], relationships: unknown[]) => JSON.stringify({ objects, relationships });

describe("diagnoseImage", () => {
  it("explains each miss and agrees with family A on hits", () => {
    const response = answer(
      [
        { id: "man.1", bbox: [100, 100, 400, 900] },
        { id: "horse.2", bbox: [300, 400, 900, 950] },
        { id: "cap.3", bbox: [150, 50, 300, 120] },
        { id: "tree.4", bbox: [700, 0, 1000, 500] },
      ],
      [
        { subject: "man.1", predicate: "riding", object: "horse.2" },
        { subject: "man.1", predicate: "wearing", object: "cap.3" },
        { subject: "horse.2", predicate: "on", object: "tree.4" },
        { subject: "man.1", predicate: "in front of", object: "tree.4" },
        { subject: "tree.4", predicate: "near", object: "horse.2" },
      ],
    );
    const g = gatherPrediction({ image_id: "1", response }, [1000, 1000], { vocab });
    const d = diagnoseImage(gt, g);
    expect(d.gt.map((x) => x.reason)).toEqual([null, "object_label_wrong", "predicate_wrong", "no_relation"]);
    const ng = computeNgRecall([gt], new Map([["1", g]]));
    expect(d.gt.map((x) => x.hit)).toEqual(ng.perImage[0]!.hits);
    expect(d.predicted.map((p) => p.matched)).toEqual([true, false, false, false, false]);
    expect(d.predicted[3]!.plausibleUnannotated).toBe(true);
    expect(d.objectMatch).toEqual([0, 1, null, 3]);
  });

  it("names failed, empty and missing predictions", () => {
    expect(diagnoseImage(gt, undefined).gt[0]!.reason).toBe("no_prediction");
    const failed = gatherPrediction({ image_id: "1", response: '{"objects": [' }, [1000, 1000], { vocab });
    expect(diagnoseImage(gt, failed).gt[0]!.reason).toBe("failed_answer");
    const empty = gatherPrediction({ image_id: "1", response: answer([{ id: "zzz.1", bbox: [0, 0, 1, 1] }], []) }, [1000, 1000], { vocab });
    expect(diagnoseImage(gt, empty).gt[0]!.reason).toBe("empty_prediction");
    const shifted = gatherPrediction({ image_id: "1", response: answer([{ id: "man.1", bbox: [390, 100, 700, 900] }, { id: "horse.2", bbox: [300, 400, 900, 950] }], []) }, [1000, 1000], { vocab });
    expect(diagnoseImage(gt, shifted).gt[0]!.reason).toBe("subject_box_off");
    const swapped = gatherPrediction({ image_id: "1", response: answer([{ id: "man.1", bbox: [100, 100, 400, 900] }, { id: "horse.2", bbox: [300, 400, 900, 950] }], [{ subject: "horse.2", predicate: "riding", object: "man.1" }]) }, [1000, 1000], { vocab });
    expect(diagnoseImage(gt, swapped).gt[0]!.reason).toBe("direction_swapped");
    expect(diagnoseImage(gt, swapped).gt[1]!.reason).toBe("object_missing");
  });
});
