import { describe, expect, it } from "vitest";
import { adjustedRecall, sameProtocol } from "./adjusted-recall";

const summary = (recall: number, meanRecall: number, ap50: number, failurePercent: number) => ({
  failure: { rate: failurePercent, failed: 0, total: 5, reasons: {} },
  coco: { AP50: ap50 },
  ngr: { recall, mean_recall: meanRecall },
});
const ev = (id: number, gtVersion: number, s: unknown, compatKey = "", evaluatorVersion = "sgg-workbench-eval/1") => ({ id, gtVersion, compatKey, evaluatorVersion, summary: s });

describe("adjustedRecall", () => {
  it("sets the oldest GT version against the newest, with the difference in fractions", () => {
    const r = adjustedRecall([ev(9, 3, summary(0.5, 0.4, 0.6, 20)), ev(4, 0, summary(0.25, 0.3, 0.6, 20)), ev(7, 1, summary(0.4, 0.35, 0.6, 20))], { compatKey: "", evaluatorVersion: "sgg-workbench-eval/1" })!;
    expect(r.original).toEqual({ id: 4, gtVersion: 0 });
    expect(r.reviewed).toEqual({ id: 9, gtVersion: 3 });
    expect(r.rows.map((x) => x.key)).toEqual(["ngr", "ngmr", "ap50", "failure"]);
    const recall = r.rows[0]!;
    expect([recall.original, recall.reviewed, recall.tone]).toEqual([0.25, 0.5, "better"]);
    expect(recall.delta).toBeCloseTo(0.25);
    expect(r.rows[1]!.delta).toBeCloseTo(0.1);
    const failure = r.rows[3]!;
    expect([failure.original, failure.reviewed, failure.delta, failure.tone]).toEqual([0.2, 0.2, 0, "same"]);
  });

  it("a lower recall after review reads as worse, a lower failure rate as better", () => {
    const r = adjustedRecall([ev(1, 0, summary(0.5, 0.5, 0.5, 40)), ev(2, 2, summary(0.3, 0.5, 0.5, 10))], { compatKey: "", evaluatorVersion: "sgg-workbench-eval/1" })!;
    expect(r.rows.find((x) => x.key === "ngr")!.tone).toBe("worse");
    expect(r.rows.find((x) => x.key === "failure")!.tone).toBe("better");
  });

  it("leaves out evaluations under other compatibility flags or another evaluator version", () => {
    const all = [ev(1, 0, summary(0.1, 0.1, 0.1, 0)), ev(2, 1, summary(0.9, 0.9, 0.9, 0), "vg150_psg"), ev(3, 2, summary(0.8, 0.8, 0.8, 0), "", "sgg-workbench-eval/2")];
    expect(sameProtocol(all, { compatKey: "", evaluatorVersion: "sgg-workbench-eval/1" }).map((e) => e.id)).toEqual([1]);
    const r = adjustedRecall(all, { compatKey: "", evaluatorVersion: "sgg-workbench-eval/1" })!;
    expect(r.reviewed).toBeNull();
    expect(r.rows[0]).toMatchObject({ original: 0.1, reviewed: null, delta: null, tone: "same" });
    expect(adjustedRecall(all, { compatKey: "other", evaluatorVersion: "sgg-workbench-eval/1" })).toBeNull();
  });

  it("a figure missing from a summary gives no difference", () => {
    const r = adjustedRecall([ev(1, 0, { ngr: { recall: 0.5 } }), ev(2, 1, summary(0.6, 0.5, 0.5, 0))], { compatKey: "", evaluatorVersion: "sgg-workbench-eval/1" })!;
    expect(r.rows.find((x) => x.key === "ap50")).toMatchObject({ original: null, reviewed: 0.5, delta: null });
  });
});
