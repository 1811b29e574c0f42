/**
 * Family C: COCO bounding-box AP/AR with pycocotools `COCOeval` semantics (iouType "bbox", default
 * parameters), method.md f.6 and appendix D. Boxes are `[x, y, w, h]` in original-image pixels.
 *
 * Boxes are copied once into typed arrays grouped by (category, image), and only pairs with ground
 * truth or detections are visited. Each phase is a small function: V8 optimises those early, which
 * matters because an evaluation is usually one cold call.
 */
import type { BoxPx } from "../types";

/** A ground-truth box: xywh and `area` in pixels (doubles), `annId` the split-wide annotation id. */
export interface CocoGtBox { category: number; x: number; y: number; w: number; h: number; area: number; annId: number }

/** A detection: xywh in pixels and a confidence score. */
export interface CocoDetBox { category: number; x: number; y: number; w: number; h: number; score: number }

/** One evaluated image: `gts` in dataset order, `dts` in answer order. */
export interface CocoImage { imageId: string; gts: readonly CocoGtBox[]; dts: readonly CocoDetBox[] }

export interface CocoOptions {
  /** Category ids to evaluate; boxes of other categories are left out. */
  categories: readonly number[];
  /** Flag `coco-id0`: a detection matched to annotation id 0 counts as unmatched (still blocks that gt). */
  annIdZeroUnmatched?: boolean;
}

export const COCO_STAT_NAMES = [
  "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl", "AR100@0.5",
] as const;
export type CocoStatName = (typeof COCO_STAT_NAMES)[number];

export interface CocoResult {
  /** The 12 COCO figures plus AR100 at IoU 0.5; −1 where nothing was averaged. */
  stats: Record<CocoStatName, number>;
  /** Evaluated category ids, ascending (pycocotools sorts them). */
  categories: number[];
  /** Per category (aligned with `categories`), area all, 100 dets: AP over all thresholds; −1 if none. */
  perCategoryAP: Float64Array;
  /** Per category: AP at IoU 0.5; −1 if none. */
  perCategoryAP50: Float64Array;
}

// The doubles numpy's linspace gives pycocotools (0.9 is 0.8999999999999999 there).
const IOU_THRS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95];
const T = IOU_THRS.length;
const START_IOU = Float64Array.from(IOU_THRS, (t) => Math.min(t, 1 - 1e-10));
const R = 101;
const REC_THRS = Float64Array.from({ length: R }, (_, k) => k * 0.01);
const AREA_LO = Float64Array.of(0, 0, 1024, 9216); // all, small, medium, large (px², bounds inclusive)
const AREA_HI = Float64Array.of(1e10, 1024, 9216, 1e10);
const A = AREA_LO.length;
const AT = A * T;
const MAX_DETS = 100;
const EPS = 2.220446049250313e-16; // np.spacing(1) in the precision denominator
const IGNORED = 0, TP = 1, FP = 2; // IGNORED = 0: flags never written read as ignored

/** Detection from a pixel xyxy box, float32 as the reference's tensor (appendix E): xywh then doubles. */
export function cocoDetFromXyxyPx(category: number, box: BoxPx, score = 1): CocoDetBox {
  const x = Math.fround(box[0]);
  const y = Math.fround(box[1]);
  return { category, x, y, w: Math.fround(Math.fround(box[2]) - x), h: Math.fround(Math.fround(box[3]) - y), score };
}

/** Ground truth from a pixel xyxy box, all doubles; `area = (y2 − y1)·(x2 − x1)` in px². */
export function cocoGtFromXyxyPx(category: number, box: BoxPx, annId: number): CocoGtBox {
  const [x1, y1, x2, y2] = box;
  return { category, x: x1, y: y1, w: x2 - x1, h: y2 - y1, area: (y2 - y1) * (x2 - x1), annId };
}

/**
 * COCO bbox evaluation of `images` (pass them in ascending image-id order: it sets the tie order of
 * equal scores across images). Boxes in pixels; `stats` follow pycocotools' `summarize` plus AR100@0.5.
 */
export function evaluateCocoBoxes(images: readonly CocoImage[], options: CocoOptions): CocoResult {
  const cats = [...new Set(options.categories)].sort((a, b) => a - b);
  const K = cats.length;
  const catIndex = new Map(cats.map((c, k) => [c, k]));
  const G = toSlots(images, true, catIndex, K);
  const D = toSlots(images, false, catIndex, K);
  const m = matchAll(G, D, K, options.annIdZeroUnmatched === true);
  const { precision, recall } = accumulateAll(m, D, K);

  const pAll = precision[0]!;
  const t75 = IOU_THRS.indexOf(0.75);
  const all = T * R * K;
  const scratch = new Float64Array(all);
  const mean = (s: Float64Array, from: number, to: number) => meanValid(s, from, to, scratch);
  const stats: Record<CocoStatName, number> = {
    AP: mean(pAll, 0, all), AP50: mean(pAll, 0, R * K), AP75: mean(pAll, t75 * R * K, (t75 + 1) * R * K),
    APs: mean(precision[1]!, 0, all), APm: mean(precision[2]!, 0, all), APl: mean(precision[3]!, 0, all),
    AR1: mean(recall[0]!, 0, T * K), AR10: mean(recall[1]!, 0, T * K), AR100: mean(recall[2]!, 0, T * K),
    ARs: mean(recall[3]!, 0, T * K), ARm: mean(recall[4]!, 0, T * K), ARl: mean(recall[5]!, 0, T * K),
    "AR100@0.5": mean(recall[2]!, 0, K),
  };
  const perCategoryAP = new Float64Array(K), perCategoryAP50 = new Float64Array(K);
  const vals = new Float64Array(T * R);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < T * R; i++) vals[i] = pAll[i * K + k]!;
    perCategoryAP[k] = mean(vals, 0, T * R);
    perCategoryAP50[k] = mean(vals, 0, R);
  }
  return { stats, categories: cats, perCategoryAP, perCategoryAP50 };
}

/**
 * Boxes of the evaluated categories in "slot" order: category, then image, then input order (for
 * detections: score descending, stable). `start[k]..start[k+1]` are the slots of category index k;
 * `v` is the gt area or the detection score; `zero` marks annotation id 0.
 */
interface Slots {
  x: Float64Array; y: Float64Array; w: Float64Array; h: Float64Array; v: Float64Array;
  img: Int32Array; start: Int32Array; zero: Uint8Array;
}

/** A stable counting sort by category: count, then write each box straight into its slot. */
function toSlots(images: readonly CocoImage[], gt: boolean, catIndex: Map<number, number>, K: number): Slots {
  const start = new Int32Array(K + 1);
  for (const im of images) {
    for (const b of gt ? im.gts : im.dts) {
      const k = catIndex.get(b.category);
      if (k !== undefined) start[k + 1]!++;
    }
  }
  for (let k = 0; k < K; k++) start[k + 1]! += start[k]!;
  const n = start[K]!;
  const o: Slots = {
    x: new Float64Array(n), y: new Float64Array(n), w: new Float64Array(n), h: new Float64Array(n),
    v: new Float64Array(n), img: new Int32Array(n), start, zero: new Uint8Array(n),
  };
  const fill = start.slice(0, K);
  for (let i = 0; i < images.length; i++) {
    const boxes: readonly (CocoGtBox | CocoDetBox)[] = gt ? images[i]!.gts : byScore(images[i]!.dts);
    for (const b of boxes) {
      const k = catIndex.get(b.category);
      if (k === undefined) continue;
      const s = fill[k]!++;
      o.x[s] = b.x; o.y[s] = b.y; o.w[s] = b.w; o.h[s] = b.h; o.img[s] = i;
      if (gt) { o.v[s] = (b as CocoGtBox).area; o.zero[s] = (b as CocoGtBox).annId === 0 ? 1 : 0; }
      else o.v[s] = (b as CocoDetBox).score;
    }
  }
  return o;
}

/** An image's detections stably sorted by score descending (the same array when already so). */
function byScore(dts: readonly CocoDetBox[]): readonly CocoDetBox[] {
  for (let i = 1; i < dts.length; i++) {
    if (dts[i]!.score > dts[i - 1]!.score) return [...dts].sort((a, b) => b.score - a.score); // stable
  }
  return dts;
}

/**
 * Step 3 results and scratch: flags[slot·AT + area·T + threshold], npig[category·A + area], and
 * rank[slot], a detection's position within its (image, category) record.
 */
interface Match {
  flags: Uint8Array; npig: Int32Array; rank: Int32Array; iou: Float64Array; gIgn: Uint8Array; gSorted: Int32Array;
  matchedAt: Int32Array; // == round: that gt is taken in the current (record, area, threshold)
  round: number;
}

/** Matches every record: an (image, category) pair with ground truth or detections. */
function matchAll(G: Slots, D: Slots, K: number, quirk: boolean): Match {
  const nG = G.img.length, nD = D.img.length;
  const m: Match = {
    flags: new Uint8Array(nD * AT), npig: new Int32Array(K * A), rank: new Int32Array(nD),
    iou: new Float64Array(1024), gIgn: new Uint8Array(nG), gSorted: new Int32Array(nG),
    matchedAt: new Int32Array(nG), round: 0,
  };
  for (let k = 0; k < K; k++) {
    let gi = G.start[k]!, di = D.start[k]!;
    const gEnd = G.start[k + 1]!, dEnd = D.start[k + 1]!;
    while (gi < gEnd || di < dEnd) {
      const img = Math.min(gi < gEnd ? G.img[gi]! : Infinity, di < dEnd ? D.img[di]! : Infinity);
      const g0 = gi, d0 = di;
      while (gi < gEnd && G.img[gi] === img) gi++;
      for (; di < dEnd && D.img[di] === img; di++) m.rank[di] = di - d0;
      matchRecord(G, D, m, quirk, k, g0, gi - g0, d0, Math.min(di - d0, MAX_DETS));
    }
  }
  return m;
}

/** Matches one (image, category) record at every area range and threshold (appendix D step 3). */
function matchRecord(
  G: Slots, D: Slots, m: Match, quirk: boolean, k: number, g0: number, ng: number, d0: number, nd: number,
): void {
  const { x: gx, y: gy, w: gw, h: gh, v: gArea, zero } = G;
  const { x: dx, y: dy, w: dw, h: dh } = D;
  const { flags, gIgn, gSorted, matchedAt } = m;
  if (ng * nd > m.iou.length) m.iou = new Float64Array(2 * ng * nd);
  const iou = m.iou;
  for (let i = 0; i < nd; i++) {
    const x = dx[d0 + i]!, y = dy[d0 + i]!, x2 = x + dw[d0 + i]!, y2 = y + dh[d0 + i]!;
    const da = dw[d0 + i]! * dh[d0 + i]!;
    for (let j = 0; j < ng; j++) {
      const q = g0 + j;
      const iw = Math.min(x2, gx[q]! + gw[q]!) - Math.max(x, gx[q]!);
      const ih = Math.min(y2, gy[q]! + gh[q]!) - Math.max(y, gy[q]!);
      const inter = iw * ih;
      iou[i * ng + j] = iw <= 0 || ih <= 0 ? 0 : inter / (da + gw[q]! * gh[q]! - inter);
    }
  }
  for (let a = 0; a < A; a++) {
    const lo = AREA_LO[a]!, hi = AREA_HI[a]!;
    let n = 0;
    for (let j = 0; j < ng; j++) {
      const ar = gArea[g0 + j]!;
      gIgn[j] = ar < lo || ar > hi ? 1 : 0;
      if (!gIgn[j]) gSorted[n++] = j; // non-ignored first, each part in dataset order
    }
    m.npig[k * A + a]! += n;
    let inside = false;
    for (let i = 0; i < nd && !inside; i++) inside = !(dw[d0 + i]! * dh[d0 + i]! < lo || dw[d0 + i]! * dh[d0 + i]! > hi);
    if (n === 0 && !inside) continue; // nothing counted, nothing in range: all ignored (flags stay 0)
    for (let j = 0; j < ng; j++) if (gIgn[j]) gSorted[n++] = j;
    for (let t = 0; t < T; t++) {
      const round = ++m.round;
      for (let i = 0; i < nd; i++) {
        let best = START_IOU[t]!;
        let hit = -1;
        for (let s = 0; s < ng; s++) {
          const j = gSorted[s]!;
          if (matchedAt[j] === round) continue;
          if (hit >= 0 && !gIgn[hit] && gIgn[j]) break;
          const v = iou[i * ng + j]!;
          if (v < best) continue;
          best = v;
          hit = j;
        }
        const da = dw[d0 + i]! * dh[d0 + i]!;
        let code = da < lo || da > hi ? IGNORED : FP;
        if (hit >= 0) {
          matchedAt[hit] = round;
          // coco-id0: the detection records match id 0, which reads as "unmatched" from here on.
          if (gIgn[hit]) code = IGNORED;
          else if (!(quirk && zero[g0 + hit])) code = TP;
        }
        flags[(d0 + i) * AT + a * T + t] = code;
      }
    }
  }
}

/** Appendix D step 4. Precision is kept for maxDets 100; recall where `summarize` reports it. */
function accumulateAll(m: Match, D: Slots, K: number): { precision: Float64Array[]; recall: Float64Array[] } {
  const precision = Array.from({ length: A }, () => new Float64Array(T * R * K).fill(-1));
  // area all at maxDets 1, 10, 100; then small, medium, large at 100
  const recall = Array.from({ length: 6 }, () => new Float64Array(T * K).fill(-1));
  const nD = D.v.length;
  const ranked = new Int32Array(nD), sub = new Int32Array(nD), prTP = new Float64Array(nD + 1);
  const need = new Int32Array(R);
  for (let k = 0; k < K; k++) {
    const all = rankCategory(ranked, D.start[k]!, D.start[k + 1]!, m.rank, D.v);
    for (const maxDet of [1, 10, MAX_DETS]) {
      // A subset of a stable ranking keeps its order: keep each record's first maxDet detections.
      let L = all;
      if (maxDet < MAX_DETS) {
        L = 0;
        for (let i = 0; i < all; i++) if (m.rank[ranked[i]!]! < maxDet) sub[L++] = ranked[i]!;
      }
      for (let a = 0; a < (maxDet === MAX_DETS ? A : 1); a++) {
        const np = m.npig[k * A + a]!;
        if (np === 0) continue; // also when the category has no record at all
        // need[ri]: fewest true positives whose recall tp/np reaches recall point ri.
        for (let ri = 0, v = 0; ri < R; ri++) {
          while (v <= np && v / np < REC_THRS[ri]!) v++;
          need[ri] = v;
        }
        const out = recall[maxDet === 1 ? 0 : maxDet === 10 ? 1 : 2 + a]!;
        for (let t = 0; t < T; t++) {
          const tp = truePositives(m.flags, maxDet < MAX_DETS ? sub : ranked, L, a * T + t, prTP);
          out[t * K + k] = tp / np; // 0 with no detection or no true positive
          if (maxDet === MAX_DETS) interpolate(prTP, tp, need, precision[a]!, t * R * K + k, K);
        }
      }
    }
  }
  return { precision, recall };
}

/** Detection slots `s0..s1` of one category, the first 100 of each record, stably by score. */
function rankCategory(out: Int32Array, s0: number, s1: number, rank: Int32Array, score: Float64Array): number {
  let L = 0, sorted = true;
  for (let s = s0; s < s1; s++) {
    if (rank[s]! >= MAX_DETS) continue;
    if (L > 0 && score[s]! > score[out[L - 1]!]!) sorted = false;
    out[L++] = s;
  }
  if (!sorted) out.set(Array.from(out.subarray(0, L)).sort((a, b) => score[b]! - score[a]!)); // stable
  return L;
}

/**
 * Walks the ranked detections at one (area, threshold) column; returns the true-positive count and
 * leaves in prTP[v] the precision right after the v-th true positive. Only a true positive can start a
 * run of best precision (a false positive only lowers it), so the curve is read at those points.
 */
function truePositives(flags: Uint8Array, list: Int32Array, L: number, col: number, prTP: Float64Array): number {
  let tp = 0, fp = 0;
  for (let i = 0; i < L; i++) {
    const f = flags[list[i]! * AT + col];
    if (f === FP) fp++;
    else if (f === TP) prTP[++tp] = tp / (fp + tp + EPS);
  }
  return tp;
}

/** Precision at the 101 recall points: best precision from that point on, 0 past the last recall. */
function interpolate(prTP: Float64Array, tp: number, need: Int32Array, out: Float64Array, at: number, K: number): void {
  for (let v = tp - 1; v > 0; v--) if (prTP[v + 1]! > prTP[v]!) prTP[v] = prTP[v + 1]!;
  prTP[0] = tp > 0 ? prTP[1]! : 0; // recall point 0 is met by the first counted detection
  for (let ri = 0; ri < R; ri++) out[at + ri * K] = need[ri]! <= tp ? prTP[need[ri]!]! : 0;
}

/** `np.mean(s[s > -1])` over `s[from..to)`, or −1 when nothing is left; `vals` is scratch. */
function meanValid(s: Float64Array, from: number, to: number, vals: Float64Array): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s[i]! > -1) vals[n++] = s[i]!;
  if (n === 0) return -1;
  // numpy's float64 sum: pairwise within 8192-element buffers, buffers added left to right.
  let sum = 0;
  for (let lo = 0; lo < n; lo += 8192) sum += pairwise(vals, lo, Math.min(8192, n - lo));
  return sum / n;
}

function pairwise(a: Float64Array, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i]!;
    return res;
  }
  if (n > 128) {
    const n2 = (n >> 1) - ((n >> 1) % 8);
    return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2);
  }
  // Eight running sums, as numpy's unrolled loop keeps them.
  let r0 = a[lo]!, r1 = a[lo + 1]!, r2 = a[lo + 2]!, r3 = a[lo + 3]!;
  let r4 = a[lo + 4]!, r5 = a[lo + 5]!, r6 = a[lo + 6]!, r7 = a[lo + 7]!;
  let i = lo + 8;
  for (const end = lo + n - (n % 8); i < end; i += 8) {
    r0 += a[i]!; r1 += a[i + 1]!; r2 += a[i + 2]!; r3 += a[i + 3]!;
    r4 += a[i + 4]!; r5 += a[i + 5]!; r6 += a[i + 6]!; r7 += a[i + 7]!;
  }
  let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
  for (; i < lo + n; i++) res += a[i]!;
  return res;
}
