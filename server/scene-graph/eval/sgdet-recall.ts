import { iouPlusOneF32, toF32Box } from "../boxes";
import { numpyArgsortF64, stableArgsortDesc } from "../metrics/numpy-argsort";
import { cat } from "../text";
import type { BoxPx, GtRecord } from "../types";
import { zeroShotKey, type Vocabulary } from "../vocab";
import type { GatheredImage } from "./gather";
import { mean } from "./numeric";

export const SGDET_KS = [20, 50, 100] as const;
export type SgdetK = (typeof SGDET_KS)[number];
type PerK<T> = Record<SgdetK, T>;

/** Family B per image (method.md f.5), one value per K; `null` zero-shot when the image has none. */
export interface SgdetImage {
  readonly imageId: string;
  readonly recall: PerK<number>;
  readonly ngRecall: PerK<number>;
  readonly zeroShotRecall: PerK<number> | null;
  readonly ngZeroShotRecall: PerK<number> | null;
}

/** Scene-Graph-Benchmark SGDET figures: means over evaluated images, mR divided by the predicate count. */
export interface SgdetResult {
  readonly recall: PerK<number>;
  readonly ngRecall: PerK<number>;
  readonly zeroShotRecall: PerK<number>;
  readonly ngZeroShotRecall: PerK<number>;
  readonly meanRecall: PerK<number>;
  readonly ngMeanRecall: PerK<number>;
  /** Per-predicate recall in predicate-id order (C values) for each K. */
  readonly meanRecallList: PerK<number[]>;
  readonly ngMeanRecallList: PerK<number[]>;
  readonly perImage: readonly SgdetImage[];
  /** Ids of predicted images left out: no ground-truth relation, or objects but no kept relation. */
  readonly skipped: readonly string[];
}

export interface SgdetOptions {
  /** Tie order of the ng ranking: numpy 1.24's introsort (reference, default) or a stable order. */
  readonly ngTieOrder?: "numpy" | "stable";
}

interface Triplet {
  s: number;
  p: number;
  o: number;
  bs: BoxPx;
  bo: BoxPx;
}

const perK = <T>(f: (k: SgdetK) => T): PerK<T> => ({ 20: f(20), 50: f(50), 100: f(100) });

/**
 * Family B over the predicted images (f.5). Triplets match on the three labels and IoU₊₁ ≥ 0.5 of both
 * boxes in float32; R@K counts ground-truth triplets hit by the first K predictions in answer order; the ng
 * variant ranks every (pair, predicate) entry by score with numpy's tie order.
 */
export function computeSgdetRecall(
  gt: ReadonlyMap<string, GtRecord>,
  gathered: readonly GatheredImage[],
  vocab: Vocabulary,
  options: SgdetOptions = {},
): SgdetResult {
  const C = vocab.predicateCount;
  const argsort = options.ngTieOrder === "stable" ? (s: Float64Array) => stableArgsortDesc(s.map((x) => -x), 100) : (s: Float64Array) => numpyArgsortF64(s, 100);
  const lists = { r: perK(() => [] as number[]), ng: perK(() => [] as number[]), z: perK(() => [] as number[]), ngz: perK(() => [] as number[]) };
  const predLists = { r: perK(() => Array.from({ length: C + 1 }, () => [] as number[])), ng: perK(() => Array.from({ length: C + 1 }, () => [] as number[])) };
  const perImage: SgdetImage[] = [];
  const skipped: string[] = [];

  for (const g of gathered) {
    const rec = gt.get(g.imageId);
    if (!rec) continue;
    if (rec.relationships.length === 0 || (g.objects.length > 0 && g.relations.length === 0)) {
      skipped.push(g.imageId);
      continue;
    }
    const gts = gtTriplets(rec, vocab);
    const preds: Triplet[] = g.relations.map((r) => {
      const s = g.objects[r.subject]!;
      const o = g.objects[r.object]!;
      return { s: s.label, p: r.predicateId, o: o.label, bs: toF32Box(s.box), bo: toF32Box(o.box) };
    });
    // ng ranking: keys −S over the row-major (pair, predicate) matrix; entry x = pair x/C, predicate x%C+1.
    const keys = new Float64Array(preds.length * C).fill(-0);
    preds.forEach((t, j) => (keys[j * C + t.p - 1] = -1));
    const order = argsort(keys);
    const ngPreds: Triplet[] = Array.from(order, (x) => {
      const t = preds[Math.floor(x / C)]!;
      return { ...t, p: (x % C) + 1 };
    });
    const zero: number[] = [];
    gts.forEach((t, i) => vocab.zeroShot.has(zeroShotKey(t.s, t.o, t.p)) && zero.push(i));

    const firstHit = firstHitRank(gts, preds);
    const ngFirstHit = firstHitRank(gts, ngPreds);
    const score = (rank: Int32Array, k: SgdetK, recallOut: number[], zeroOut: number[], predOut: number[][]) => {
      let n = 0;
      for (let i = 0; i < rank.length; i++) if (rank[i]! < k) n++;
      recallOut.push(n / gts.length);
      let zr: number | null = null;
      if (zero.length > 0) {
        zr = zero.filter((i) => rank[i]! < k).length / zero.length;
        zeroOut.push(zr);
      }
      const counts = new Map<number, [number, number]>();
      gts.forEach((t, i) => {
        const c = counts.get(t.p) ?? [0, 0];
        counts.set(t.p, c);
        c[1]++;
        if (rank[i]! < k) c[0]++;
      });
      for (const [p, [h, c]] of counts) predOut[p]?.push(h / c);
      return { r: n / gts.length, z: zr };
    };
    const r = {} as PerK<number>;
    const ng = {} as PerK<number>;
    const z = {} as PerK<number>;
    const ngz = {} as PerK<number>;
    for (const k of SGDET_KS) {
      const a = score(firstHit, k, lists.r[k], lists.z[k], predLists.r[k]);
      const b = score(ngFirstHit, k, lists.ng[k], lists.ngz[k], predLists.ng[k]);
      r[k] = a.r;
      ng[k] = b.r;
      if (a.z !== null) z[k] = a.z;
      if (b.z !== null) ngz[k] = b.z;
    }
    const hasZero = zero.length > 0;
    perImage.push({ imageId: g.imageId, recall: r, ngRecall: ng, zeroShotRecall: hasZero ? z : null, ngZeroShotRecall: hasZero ? ngz : null });
  }

  const recallList = (lists: PerK<number[][]>) => perK((k) => lists[k].slice(1).map((l) => (l.length === 0 ? 0 : mean(l))));
  const meanRecallList = recallList(predLists.r);
  const ngMeanRecallList = recallList(predLists.ng);
  const sumOver = (l: number[]) => l.reduce((a, b) => a + b, 0) / C;
  return {
    recall: perK((k) => mean(lists.r[k])),
    ngRecall: perK((k) => mean(lists.ng[k])),
    zeroShotRecall: perK((k) => mean(lists.z[k])),
    ngZeroShotRecall: perK((k) => mean(lists.ngz[k])),
    meanRecall: perK((k) => sumOver(meanRecallList[k])),
    ngMeanRecall: perK((k) => sumOver(ngMeanRecallList[k])),
    meanRecallList,
    ngMeanRecallList,
    perImage,
    skipped,
  };
}

/** Ground-truth triplets with class ids and float32 boxes; relation ends resolve to the first object with the id. */
function gtTriplets(rec: GtRecord, vocab: Vocabulary): Triplet[] {
  const first = new Map<string, { label: number; box: BoxPx }>();
  for (const o of rec.objects) {
    if (!first.has(o.id)) first.set(o.id, { label: vocab.gtClassId.get(cat(o.id)) ?? -1, box: toF32Box(o.bbox) });
  }
  return rec.relationships.map((r) => {
    const s = first.get(r.subject)!;
    const o = first.get(r.object)!;
    return { s: s.label, p: vocab.predicateId.get(r.predicate) ?? -1, o: o.label, bs: s.box, bo: o.box };
  });
}

/** For each ground-truth triplet, the rank of the first prediction matching it (2³¹−1 when none). */
function firstHitRank(gts: readonly Triplet[], preds: readonly Triplet[]): Int32Array {
  const rank = new Int32Array(gts.length).fill(0x7fffffff);
  for (let i = 0; i < gts.length; i++) {
    const g = gts[i]!;
    for (let j = 0; j < preds.length; j++) {
      const p = preds[j]!;
      if (g.p !== p.p || g.s !== p.s || g.o !== p.o) continue;
      if (iouPlusOneF32(g.bs, p.bs) >= 0.5 && iouPlusOneF32(g.bo, p.bo) >= 0.5) {
        rank[i] = j;
        break;
      }
    }
  }
  return rank;
}
