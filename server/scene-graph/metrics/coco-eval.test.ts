import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BoxPx } from "../types";
import {
  COCO_STAT_NAMES,
  cocoDetFromXyxyPx,
  cocoGtFromXyxyPx,
  evaluateCocoBoxes,
  type CocoDetBox,
  type CocoGtBox,
  type CocoImage,
  type CocoStatName,
} from "./coco-eval";

const readFixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;

const statList = (stats: Record<CocoStatName, number>): number[] => COCO_STAT_NAMES.map((n) => stats[n]);

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > tol) expect.fail(`index ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

// --- golden scenarios (copied from the shared spec by scripts/fixtures/gen-coco-golden-fixture.py) ---

interface GoldenScenario {
  name: string;
  dataset_type: "vg" | "psg";
  dataset: { image_id: string; objects: { id: string; bbox: BoxPx }[] }[];
  prediction_image_ids: string[];
  gathered_key_order: string[];
  gathered: Record<string, { boxes: BoxPx[]; labels: number[]; scores: number[] }>;
  coco_bbox_stats_coco_id0: number[];
  coco_bbox_stats_default: number[];
}
const golden = readFixture<{ classes: Record<"vg" | "psg", string[]>; scenarios: GoldenScenario[] }>(
  "coco-golden.json",
);

/** f.6: images with a prediction file sorted as strings, gts of the whole split numbered in dataset order. */
function goldenInput(s: GoldenScenario, cocoId0: boolean): { images: CocoImage[]; categories: number[] } {
  const classes = golden.classes[s.dataset_type];
  const classId = new Map(classes.map((name, i) => [name, i]));
  let annId = cocoId0 ? 0 : 1;
  const gtsByImage = new Map<string, CocoGtBox[]>();
  for (const record of s.dataset) {
    const gts = record.objects.map((o) => {
      const category = classId.get(o.id.split(".")[0]!);
      if (category === undefined) throw new Error(`unknown class in ${o.id}`);
      return cocoGtFromXyxyPx(category, o.bbox, annId++);
    });
    gtsByImage.set(record.image_id, gts);
  }
  const dtsByImage = new Map<string, CocoDetBox[]>();
  for (const id of s.gathered_key_order) {
    const g = s.gathered[id]!;
    dtsByImage.set(id, g.boxes.map((b, i) => cocoDetFromXyxyPx(g.labels[i]!, b, g.scores[i]!)));
  }
  const ids = [...new Set(s.prediction_image_ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const images = ids.map((imageId) => ({
    imageId,
    gts: gtsByImage.get(imageId) ?? [],
    dts: dtsByImage.get(imageId) ?? [],
  }));
  // VG150 ids 1..150 (0 is background), PSG ids 0..132.
  const categories = classes.map((_, i) => i).slice(s.dataset_type === "vg" ? 1 : 0);
  return { images, categories };
}

describe("evaluateCocoBoxes on the golden scenarios", () => {
  for (const s of golden.scenarios) {
    it(`${s.name}: reference figures with coco-id0`, () => {
      const { images, categories } = goldenInput(s, true);
      const { stats } = evaluateCocoBoxes(images, { categories, annIdZeroUnmatched: true });
      expectClose(statList(stats), s.coco_bbox_stats_coco_id0, 1e-9);
    });
    it(`${s.name}: default figures (ids from 1)`, () => {
      const { images, categories } = goldenInput(s, false);
      expectClose(statList(evaluateCocoBoxes(images, { categories }).stats), s.coco_bbox_stats_default, 1e-9);
    });
  }
});

// --- random splits checked against pycocotools (scripts/fixtures/gen-coco-random-fixture.py) ---

interface RandomCase {
  categories: number[];
  images: { gts: { category: number; box: BoxPx }[]; dts: { category: number; box: BoxPx; score: number }[] }[];
  default: { stats: number[]; per_category_ap: number[]; per_category_ap50: number[] };
  coco_id0: { stats: number[]; per_category_ap: number[]; per_category_ap50: number[] };
}

describe("evaluateCocoBoxes against pycocotools on random splits", () => {
  const { cases } = readFixture<{ cases: RandomCase[] }>("coco-random.json");
  cases.forEach((c, n) => {
    for (const mode of ["default", "coco_id0"] as const) {
      it(`case ${n}, ${mode}`, () => {
        let annId = mode === "coco_id0" ? 0 : 1;
        const images = c.images.map((im, i) => ({
          imageId: String(i),
          gts: im.gts.map((g) => cocoGtFromXyxyPx(g.category, g.box, annId++)),
          dts: im.dts.map((d) => cocoDetFromXyxyPx(d.category, d.box, d.score)),
        }));
        const res = evaluateCocoBoxes(images, { categories: c.categories, annIdZeroUnmatched: mode === "coco_id0" });
        expect(res.categories).toEqual(c.categories);
        expectClose(statList(res.stats), c[mode].stats, 1e-12);
        expectClose(res.perCategoryAP, c[mode].per_category_ap, 1e-12);
        expectClose(res.perCategoryAP50, c[mode].per_category_ap50, 1e-12);
      });
    }
  });
});

// --- hand-made cases ---

const gt = (category: number, box: BoxPx, annId: number) => cocoGtFromXyxyPx(category, box, annId);
const dt = (category: number, box: BoxPx, score = 1) => cocoDetFromXyxyPx(category, box, score);
const one = (gts: CocoGtBox[], dts: CocoDetBox[]): CocoImage[] => [{ imageId: "1", gts, dts }];
const run = (images: CocoImage[], categories = [1], annIdZeroUnmatched = false) =>
  evaluateCocoBoxes(images, { categories, annIdZeroUnmatched });
const ALMOST_ONE = 1 / (1 + 2.220446049250313e-16); // one TP: precision 1/(1 + eps)

const SMALL: BoxPx = [0, 0, 10, 10]; // area 100
const MEDIUM: BoxPx = [100, 100, 150, 150]; // area 2500
const LARGE: BoxPx = [200, 200, 400, 400]; // area 40000
const FAR: BoxPx = [500, 500, 600, 600];
const SQUARE: BoxPx = [0, 0, 100, 100];

describe("evaluateCocoBoxes on hand-made cases", () => {
  it("scores perfect detections as (almost exactly) 1", () => {
    const { stats } = run(one([gt(1, LARGE, 1), gt(2, MEDIUM, 2)], [dt(2, MEDIUM), dt(1, LARGE)]), [1, 2]);
    expect(stats.AP).toBeCloseTo(ALMOST_ONE, 15);
    for (const n of ["AP50", "AP75", "APm", "APl"] as const) expect(stats[n]).toBeCloseTo(1, 15);
    for (const n of ["AR1", "AR10", "AR100", "ARm", "ARl", "AR100@0.5"] as const) expect(stats[n]).toBe(1);
    expect(stats.APs).toBe(-1); // no small ground truth
    expect(stats.ARs).toBe(-1);
  });

  it("halves precision when a false positive is ranked first", () => {
    // Listed TP first, but the FP has the higher score: ranking is by score.
    const { stats } = run(one([gt(1, SQUARE, 1)], [dt(1, SQUARE, 0.8), dt(1, FAR, 0.9)]));
    // [FP, TP]: rc 0, 1; pr 0, 1/2 -> 1/2 at every recall point and threshold.
    expect(stats.AP).toBeCloseTo(0.5, 15);
    expect(stats.APl).toBeCloseTo(0.5, 15); // area 10000 > 9216: large
    expect(stats.APs).toBe(-1);
    expect(stats.APm).toBe(-1);
    expect(stats.AR1).toBe(0); // only the FP survives maxDets 1
    expect(stats.AR10).toBe(1);
  });

  it("matches a crowd of detections to one gt only, with an inclusive IoU threshold", () => {
    // A has IoU exactly 0.6 (a TP at thresholds 0.5, 0.55, 0.6), B is exact; A ranks first.
    const A: BoxPx = [0, 0, 60, 100];
    const { stats } = run(one([gt(1, SQUARE, 1)], [dt(1, SQUARE, 0.8), dt(1, A, 0.9), dt(1, SQUARE, 0.7)]));
    expect(stats.AP).toBeCloseTo((3 * 1 + 7 * 0.5) / 10, 15);
    expect(stats.AP50).toBeCloseTo(1, 15);
    expect(stats.AP75).toBeCloseTo(0.5, 15);
    expect(stats.AR1).toBeCloseTo(0.3, 15);
    expect(stats.AR100).toBe(1);
  });

  it("splits figures by area range and ignores out-of-range gts and unmatched dets", () => {
    // Small and large found, medium missed; a small FP ranks first.
    const gts = [gt(1, SMALL, 1), gt(1, MEDIUM, 2), gt(1, LARGE, 3)];
    const { stats } = run(one(gts, [dt(1, [20, 20, 30, 30], 0.9), dt(1, SMALL, 0.8), dt(1, LARGE, 0.7)]));
    // all: [FP, TP, TP] over 3 gts -> rc 0, 1/3, 2/3; pr 0, 1/2, 2/3 -> 2/3 for r <= 2/3 (67 points).
    expect(stats.AP).toBeCloseTo((67 * (2 / 3)) / 101, 12);
    expect(stats.AR100).toBeCloseTo(2 / 3, 15);
    expect(stats.AR1).toBe(0);
    // small: the FP counts; the large det matches an ignored gt and is ignored.
    expect(stats.APs).toBeCloseTo(0.5, 15);
    expect(stats.ARs).toBe(1);
    // medium: both small dets are ignored (matched to an ignored gt, or unmatched and outside the range).
    expect(stats.APm).toBe(0);
    expect(stats.ARm).toBe(0);
    // large: the small FP is unmatched and outside the range, so ignored.
    expect(stats.APl).toBeCloseTo(1, 15);
    expect(stats.ARl).toBe(1);
  });

  it("includes both bounds of an area range", () => {
    const edge = (side: number) => run(one([gt(1, [0, 0, side, side], 1)], [dt(1, [0, 0, side, side])])).stats;
    const at1024 = edge(32); // small and medium
    expect([at1024.APs, at1024.APm, at1024.APl]).toEqual([ALMOST_ONE, ALMOST_ONE, -1]);
    const at9216 = edge(96); // medium and large
    expect([at9216.APs, at9216.APm, at9216.APl]).toEqual([-1, ALMOST_ONE, ALMOST_ONE]);
  });

  it("keeps a match on a counted gt rather than move to an ignored one with higher IoU", () => {
    // A: 40x40 (medium), B: 31x31 (small); the det overlaps B more (0.784) than A (0.766).
    const gts = [gt(1, [0, 0, 40, 40], 1), gt(1, [0, 0, 31, 31], 2)];
    const { stats } = run(one(gts, [dt(1, [0, 0, 35, 35])]));
    expect(stats.APm).toBeCloseTo(0.6, 15); // matched to A up to threshold 0.75
    expect(stats.ARm).toBeCloseTo(0.6, 15);
    expect(stats.APs).toBeCloseTo(0.6, 15); // matched to B up to threshold 0.75
    expect(stats.AR100).toBeCloseTo(0.3, 15); // area all: B wins, A is missed
  });

  it("counts a category with gts but no detections as 0 and leaves unused categories out", () => {
    const res = run(one([gt(1, SQUARE, 1), gt(2, LARGE, 2)], [dt(1, SQUARE)]), [1, 2, 3]);
    expect(res.stats.AP).toBeCloseTo(0.5, 15);
    expect(res.stats.AR100).toBe(0.5);
    expect(Array.from(res.perCategoryAP)).toEqual([ALMOST_ONE, 0, -1]);
  });

  it("skips a category with detections but no gts", () => {
    const res = run(one([gt(1, SQUARE, 1)], [dt(1, SQUARE), dt(2, LARGE), dt(2, SQUARE)]), [1, 2]);
    expect(res.stats.AP).toBe(ALMOST_ONE);
    expect(res.perCategoryAP50[1]).toBe(-1);
    expect(statList(run(one([], [dt(1, SQUARE)])).stats)).toEqual(COCO_STAT_NAMES.map(() => -1));
    expect(statList(run([]).stats)).toEqual(COCO_STAT_NAMES.map(() => -1));
  });

  it("breaks equal scores by image order, then answer order", () => {
    const fp = { imageId: "1", gts: [gt(1, LARGE, 1)], dts: [dt(1, FAR)] };
    const tp = { imageId: "2", gts: [gt(1, SQUARE, 2)], dts: [dt(1, SQUARE)] };
    // [FP, TP] over 2 gts: precision 1/2 up to recall 1/2 (51 points); [TP, FP]: ~1 up to 1/2.
    expect(run([fp, tp]).stats.AP).toBeCloseTo((51 * 0.5) / 101, 15);
    expect(run([tp, fp]).stats.AP).toBeCloseTo(51 / 101, 15);
    const sameImage = (dts: CocoDetBox[]) => run(one([gt(1, SQUARE, 1)], dts)).stats.AP;
    expect(sameImage([dt(1, FAR), dt(1, SQUARE)])).toBeCloseTo(0.5, 15);
    expect(sameImage([dt(1, SQUARE), dt(1, FAR)])).toBeCloseTo(1, 15);
  });

  it("leaves out boxes of categories that are not evaluated", () => {
    const base = one([gt(1, SQUARE, 1)], [dt(1, SQUARE)]);
    const noisy = one([gt(7, LARGE, 1), gt(1, SQUARE, 2)], [dt(7, SQUARE, 0.9), dt(1, SQUARE, 0.5), dt(7, FAR)]);
    expect(run(noisy).stats).toEqual(run(base).stats);
  });

  it("keeps only the 100 best detections per image and category", () => {
    const fps = (n: number) => Array.from({ length: n }, (_, i) => dt(1, [1000 + i, 0, 1010 + i, 10], 0.9));
    const cut = run(one([gt(1, SQUARE, 1)], [dt(1, SQUARE, 0.5), ...fps(100)])).stats;
    expect(cut.AP).toBe(0);
    expect(cut.AR100).toBe(0);
    const kept = run(one([gt(1, SQUARE, 1)], [dt(1, SQUARE, 0.5), ...fps(99)])).stats;
    expect(kept.AP).toBeCloseTo(0.01, 15);
    expect(kept.AR100).toBe(1);
    expect(kept.AR10).toBe(0);
    // The cut is per image: 99 FPs in another image do not push the TP out.
    const split = run([
      { imageId: "1", gts: [gt(1, SQUARE, 1)], dts: [dt(1, SQUARE, 0.5), ...fps(50)] },
      { imageId: "2", gts: [], dts: fps(99) },
    ]).stats;
    expect(split.AR100).toBe(1);
    expect(split.AP).toBeCloseTo(1 / 150, 15);
  });

  it("coco-id0: a match on annotation 0 is a false positive that still blocks that gt", () => {
    // d2 cannot take gt 0 (taken by d1), so it falls back to gt 1 (IoU 0.8) up to threshold 0.8.
    const gts = [gt(1, SQUARE, 0), gt(1, [0, 0, 100, 80], 1)];
    const images = one(gts, [dt(1, SQUARE), dt(1, SQUARE)]);
    const quirk = run(images, [1], true).stats;
    expect(quirk.AP).toBeCloseTo((7 * ((51 * 0.5) / 101)) / 10, 15);
    expect(quirk.AR100).toBeCloseTo(0.35, 15);
    const plain = run(images).stats;
    expect(plain.AP).toBeCloseTo((7 + (3 * 51) / 101) / 10, 15);
    expect(plain.AR100).toBeCloseTo((7 * 1 + 3 * 0.5) / 10, 15);
  });
});

describe("box helpers", () => {
  it("builds detections in float32 and ground truth in doubles (appendix E)", () => {
    expect(cocoDetFromXyxyPx(3, [0.1, 0.2, 1.1, 1.3], 0.5)).toEqual({
      category: 3, x: 0.10000000149011612, y: 0.20000000298023224, w: 1, h: 1.0999999046325684, score: 0.5,
    });
    expect(cocoGtFromXyxyPx(3, [0.1, 0.2, 1.1, 1.3], 7)).toEqual({
      category: 3, x: 0.1, y: 0.2, w: 1, h: 1.1, area: 1.1, annId: 7,
    });
  });
});
