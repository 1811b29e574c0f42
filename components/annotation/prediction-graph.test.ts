import { describe, expect, it } from "vitest";
import type { ImagePrediction } from "@/server/queries/get-image";
import { acceptedTriplet, predictionGraph } from "./prediction-graph";

const obj = (category: string, box: [number, number, number, number]) => ({ name: `${category}.9`, answerIndex: 0, category, label: 1, box, mappedBy: "vocabulary" as const });
const rel = (subject: number, predicate: string, object: number) => ({ subject, object, predicate, predicateId: 1, answerIndex: 0, mappedBy: "vocabulary" as const, swapped: false });

const prediction = {
  gathered: {
    objects: [obj("man", [10, 10, 50, 90]), obj("hat", [20, 0, 40, 15]), obj("man", [150, 20, 260, 90])],
    relations: [rel(0, "wearing", 1), rel(2, "near", 0), rel(0, "near", 0)],
  },
  // The first predicted man localises ground-truth object 1; the hat and the second man match nothing.
  diagnosis: { objectMatch: [1, null, null], gt: [], predicted: [] },
} as unknown as ImagePrediction;

const gt = {
  image_id: "x",
  width: 200,
  height: 100,
  objects: [
    { id: "street.1", bbox: [0, 60, 200, 100] as const },
    { id: "man.1", bbox: [12, 8, 52, 92] as const },
  ],
  relationships: [{ subject: "man.1", predicate: "on", object: "street.1" }],
};

describe("ground truth from a prediction", () => {
  it("turns the kept objects and relations into a graph with class ids", () => {
    expect(predictionGraph(prediction)).toEqual({
      objects: [
        { id: "man.1", bbox: [10, 10, 50, 90] },
        { id: "hat.2", bbox: [20, 0, 40, 15] },
        { id: "man.3", bbox: [150, 20, 260, 90] },
      ],
      relationships: [
        { subject: "man.1", predicate: "wearing", object: "hat.2" },
        { subject: "man.3", predicate: "near", object: "man.1" },
        { subject: "man.1", predicate: "near", object: "man.1" },
      ],
    });
  });

  it("accepts a triplet onto the matched ground-truth object and adds the unmatched end with its box", () => {
    expect(acceptedTriplet(gt, prediction, 0)).toEqual({
      triplet: { subject: "man.1", predicate: "wearing", object: "hat.1" },
      objects: [{ id: "hat.1", bbox: [20, 0, 40, 15] }],
    });
    // A new man gets the next free number and a box clamped into the image.
    expect(acceptedTriplet(gt, prediction, 1)).toEqual({
      triplet: { subject: "man.2", predicate: "near", object: "man.1" },
      objects: [{ id: "man.2", bbox: [150, 20, 200, 90] }],
    });
  });

  it("refuses a self-relation and a missing relation", () => {
    expect(acceptedTriplet(gt, prediction, 2)).toBeNull();
    expect(acceptedTriplet(gt, prediction, 7)).toBeNull();
  });
});
