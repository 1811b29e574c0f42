import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { runMetricSeries } from "./run-metric-series";

let db: TestDatabase;
let runId: number;
let otherId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  const mk = (name: string) => db.prisma.run.create({ data: { name, kind: "grpo", config: {}, runDir: `/tmp/${name}` } });
  runId = (await mk("a")).id;
  otherId = (await mk("b")).id;
  // Written in reverse step order: the series must come back sorted by step.
  const data = [];
  for (let step = 300; step >= 1; step--) {
    data.push({ runId, step, name: "loss", value: 1 / step });
    if (step % 10 === 0) data.push({ runId, step, name: "eval/reward_total", value: step / 10 });
  }
  data.push({ runId, step: 7, name: "kl", value: Number.POSITIVE_INFINITY });
  data.push({ runId: otherId, step: 1, name: "loss", value: 42 });
  await db.prisma.metricPoint.createMany({ data });
});
afterAll(async () => {
  await db?.drop();
});

describe("runMetricSeries", () => {
  it("returns every metric as step-ordered columns", async () => {
    const r = await runMetricSeries(db.prisma, runId);
    expect(Object.keys(r.series)).toEqual(["eval/reward_total", "kl", "loss"]);
    const loss = r.series.loss!;
    expect(loss.steps).toHaveLength(300);
    expect(loss.steps.slice(0, 3)).toEqual([1, 2, 3]);
    expect(loss.values.slice(0, 2)).toEqual([1, 0.5]);
    expect(r.series["eval/reward_total"]!.steps).toEqual(Array.from({ length: 30 }, (_, i) => (i + 1) * 10));
    expect(r.maxStep).toBe(300);
  });

  it("turns a non-finite value into a gap", async () => {
    const r = await runMetricSeries(db.prisma, runId, { names: ["kl"] });
    expect(r.series).toEqual({ kl: { steps: [7], values: [null] } });
  });

  it("returns only points after sinceStep, for the names asked", async () => {
    const r = await runMetricSeries(db.prisma, runId, { names: ["loss", "eval/reward_total"], sinceStep: 290 });
    expect(r.series.loss!.steps).toEqual([291, 292, 293, 294, 295, 296, 297, 298, 299, 300]);
    expect(r.series["eval/reward_total"]).toEqual({ steps: [300], values: [30] });
    expect(r.series.kl).toBeUndefined();
  });

  it("answers an empty set when nothing is newer, and keeps runs apart", async () => {
    expect(await runMetricSeries(db.prisma, runId, { sinceStep: 300 })).toEqual({ runId, series: {}, maxStep: null });
    expect((await runMetricSeries(db.prisma, otherId)).series).toEqual({ loss: { steps: [1], values: [42] } });
  });
});
