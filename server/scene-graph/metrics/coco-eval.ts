/**
 * Family C: COCO bounding-box AP/AR with pycocotools `COCOeval` semantics (iouType "bbox", default
 * parameters), method.md f.6 and appendix D. Boxes are `[x, y, w, h]` in original-image pixels.
 *
 * Work is grouped once by (category, image) with typed arrays; matching only visits pairs that have
 * ground truth or detections, so a 5,000-image split costs a few tens of milliseconds.
 */
import type { BoxPx } from "../types";

/** A ground-truth box: xywh and `area` in pixels (doubles), `annId` the split-wide annotation id. */
export interface CocoGtBox {
  category: number;
  x: number;
  y: number;
  w: number;
  h: number;
  area: number;
  annId: number;
}

/** A detection: xywh in pixels and a confidence score. */
export interface CocoDetBox {
  category: number;
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/** One evaluated image: `gts` in dataset order, `dts` in answer order. */
export interface CocoImage {
  imageId: string;
  gts: readonly CocoGtBox[];
  dts: readonly CocoDetBox[];
}

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
  /** Per category (aligned with `categories`): AP over all thresholds and at IoU 0.5, area all, 100 dets; −1 if none. */
  perCategoryAP: Float64Array;
  perCategoryAP50: Float64Array;
}

// The doubles numpy's linspace gives pycocotools (0.9 is 0.8999999999999999 there).
const IOU_THRS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95];
const T = IOU_THRS.length;
const START_IOU = Float64Array.from(IOU_THRS, (t) => Math.min(t, 1 - 1e-10));
const R = 101;
const REC_THRS = Float64Array.from({ length: R }, (_, k) => k * 0.01);
const AREA_LO = Float64Array.of(0, 0, 1024, 9216); // all, small, medium, large (px²)
const AREA_HI = Float64Array.of(1e10, 1024, 9216, 1e10);
const A = AREA_LO.length;
const AT = A * T;
const MAX_DETS = 100;
const EPS = 2.220446049250313e-16; // np.spacing(1) in the precision denominator
const IGNORED = 0, TP = 1, FP = 2;

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
 * Boxes of the evaluated categories in "slot" order: category, then image, then input order
 * (a stable counting sort). `start[k]..start[k+1]` are the slots of category index k.
 */
function bySlot<B extends { category: number }>(
  images: readonly CocoImage[], pick: (im: CocoImage) => readonly B[], catIndex: Map<number, number>, K: number,
): { items: B[]; img: Int32Array; start: Int32Array } {
  const cat: number[] = [];
  const start = new Int32Array(K + 1);
  for (const im of images) {
    for (const b of pick(im)) {
      const k = catIndex.get(b.category) ?? -1;
      cat.push(k);
      if (k >= 0) start[k + 1]!++;
    }
  }
  for (let k = 0; k < K; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, K);
  const items = new Array<B>(start[K]!);
  const img = new Int32Array(start[K]!);
  let q = 0;
  images.forEach((im, i) => {
    for (const b of pick(im)) {
      const k = cat[q++]!;
      if (k < 0) continue;
      const s = fill[k]!++;
      items[s] = b;
      img[s] = i;
    }
  });
  return { items, img, start };
}

/** Stable sort of `list[from..to)` by `score[list[i]]` descending (already sorted: untouched). */
function stableByScoreDesc(list: Int32Array, from: number, to: number, score: Float64Array): void {
  let sorted = true;
  for (let i = from + 1; i < to && sorted; i++) sorted = score[list[i]!]! <= score[list[i - 1]!]!;
  if (sorted) return;
  const seg = Array.from(list.subarray(from, to));
  seg.sort((a, b) => score[b]! - score[a]!); // Array sort is stable
  list.set(seg, from);
}

/**
 * COCO bbox evaluation of `images` (pass them in ascending image-id order: it sets the tie order of
 * equal scores across images). Boxes in pixels; `stats` follow pycocotools' `summarize` plus AR100@0.5.
 */
export function evaluateCocoBoxes(images: readonly CocoImage[], options: CocoOptions): CocoResult {
  const cats = [...new Set(options.categories)].sort((a, b) => a - b);
  const K = cats.length;
  const catIndex = new Map(cats.map((c, k) => [c, k]));
  const quirk = options.annIdZeroUnmatched === true;
  const G = bySlot(images, (im) => im.gts, catIndex, K);
  const D = bySlot(images, (im) => im.dts, catIndex, K);
  const nG = G.items.length, nD = D.items.length;

  // Records: (category, image) pairs with ground truth or detections, category-major, images ascending.
  // Detections of a record are stably sorted by score, then cut to 100.
  const dOrder = Int32Array.from({ length: nD }, (_, i) => i);
  const dScoreIn = Float64Array.from(D.items, (b) => b.score);
  const recK = new Int32Array(nG + nD), recG0 = new Int32Array(nG + nD), recGn = new Int32Array(nG + nD);
  const recD0 = new Int32Array(nG + nD), recDn = new Int32Array(nG + nD);
  let nRec = 0;
  for (let k = 0; k < K; k++) {
    let gi = G.start[k]!, di = D.start[k]!;
    const gEnd = G.start[k + 1]!, dEnd = D.start[k + 1]!;
    while (gi < gEnd || di < dEnd) {
      const img = Math.min(gi < gEnd ? G.img[gi]! : Infinity, di < dEnd ? D.img[di]! : Infinity);
      const g0 = gi, d0 = di;
      while (gi < gEnd && G.img[gi] === img) gi++;
      while (di < dEnd && D.img[di] === img) di++;
      stableByScoreDesc(dOrder, d0, di, dScoreIn);
      recK[nRec] = k; recG0[nRec] = g0; recGn[nRec] = gi - g0; recD0[nRec] = d0;
      recDn[nRec++] = Math.min(di - d0, MAX_DETS);
    }
  }

  // Box data in slot order, so the loops below read memory sequentially.
  const gx = new Float64Array(nG), gy = new Float64Array(nG), gw = new Float64Array(nG), gh = new Float64Array(nG);
  const gArea = new Float64Array(nG), gZero = new Uint8Array(nG);
  G.items.forEach((b, s) => {
    gx[s] = b.x; gy[s] = b.y; gw[s] = b.w; gh[s] = b.h; gArea[s] = b.area;
    gZero[s] = quirk && b.annId === 0 ? 1 : 0;
  });
  const dx = new Float64Array(nD), dy = new Float64Array(nD), dw = new Float64Array(nD), dh = new Float64Array(nD);
  const dScore = new Float64Array(nD);
  dOrder.forEach((item, s) => {
    const b = D.items[item]!;
    dx[s] = b.x; dy[s] = b.y; dw[s] = b.w; dh[s] = b.h; dScore[s] = b.score;
  });

  // Matching (appendix D step 3): flags[slot·AT + a·T + t].
  const flags = new Uint8Array(nD * AT);
  const npig = new Int32Array(K * A);
  const hasRecord = new Uint8Array(K);
  let iou = new Float64Array(256);
  const gIgn = new Uint8Array(nG), gSorted = new Int32Array(nG);
  const matchedAt = new Int32Array(nG); // == round: that gt is taken in this (record, area, threshold)
  let round = 0;
  for (let r = 0; r < nRec; r++) {
    const k = recK[r]!, g0 = recG0[r]!, ng = recGn[r]!, d0 = recD0[r]!, nd = recDn[r]!;
    hasRecord[k] = 1;
    if (ng * nd > iou.length) iou = new Float64Array(2 * ng * nd);
    for (let i = 0; i < nd; i++) {
      const x = dx[d0 + i]!, y = dy[d0 + i]!, w0 = dw[d0 + i]!, h0 = dh[d0 + i]!;
      for (let j = 0; j < ng; j++) {
        const q = g0 + j;
        const w = Math.min(x + w0, gx[q]! + gw[q]!) - Math.max(x, gx[q]!);
        const h = Math.min(y + h0, gy[q]! + gh[q]!) - Math.max(y, gy[q]!);
        const inter = w * h;
        iou[i * ng + j] = w <= 0 || h <= 0 ? 0 : inter / (w0 * h0 + gw[q]! * gh[q]! - inter);
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
      npig[k * A + a]! += n;
      for (let j = 0; j < ng; j++) if (gIgn[j]) gSorted[n++] = j;
      for (let t = 0; t < T; t++) {
        round++;
        for (let i = 0; i < nd; i++) {
          let best = START_IOU[t]!;
          let m = -1;
          for (let s = 0; s < ng; s++) {
            const j = gSorted[s]!;
            if (matchedAt[j] === round) continue;
            if (m >= 0 && !gIgn[m] && gIgn[j]) break;
            const v = iou[i * ng + j]!;
            if (v < best) continue;
            best = v;
            m = j;
          }
          const dArea = dw[d0 + i]! * dh[d0 + i]!;
          const outside = dArea < lo || dArea > hi;
          let code: number;
          if (m < 0) code = outside ? IGNORED : FP;
          else {
            matchedAt[m] = round;
            // coco-id0: dtMatches holds id 0, which reads as "unmatched" from here on.
            code = gIgn[m] ? IGNORED : !gZero[g0 + m] ? TP : outside ? IGNORED : FP;
          }
          flags[(d0 + i) * AT + a * T + t] = code;
        }
      }
    }
  }

  // Accumulation (appendix D step 4). Precision is kept for maxDets 100 only, recall where reported.
  const precision = Array.from({ length: A }, () => new Float64Array(T * R * K).fill(-1));
  const recallAll = [1, 10, 100].map(() => new Float64Array(T * K).fill(-1)); // area all, maxDets 1/10/100
  const recallArea = [1, 2, 3].map(() => new Float64Array(T * K).fill(-1)); // small/medium/large, 100
  const list = new Int32Array(nD);
  const rc = new Float64Array(nD), pr = new Float64Array(nD);
  let rec = 0;
  for (let k = 0; k < K; k++) {
    const recStart = rec;
    while (rec < nRec && recK[rec] === k) rec++;
    if (!hasRecord[k]) continue;
    for (const maxDet of [1, 10, 100]) {
      let L = 0;
      for (let q = recStart; q < rec; q++) {
        const n = Math.min(recDn[q]!, maxDet);
        for (let i = 0; i < n; i++) list[L++] = recD0[q]! + i;
      }
      stableByScoreDesc(list, 0, L, dScore);
      for (let a = 0; a < A; a++) {
        if (maxDet !== 100 && a !== 0) continue;
        const np = npig[k * A + a]!;
        if (np === 0) continue;
        const recallOut = maxDet !== 100 ? recallAll[maxDet === 1 ? 0 : 1]! : a === 0 ? recallAll[2]! : recallArea[a - 1]!;
        for (let t = 0; t < T; t++) {
          const col = a * T + t;
          let tp = 0, fp = 0, n = 0;
          for (let i = 0; i < L; i++) {
            const f = flags[list[i]! * AT + col];
            if (f === IGNORED) continue; // repeats the previous (tp, fp): changes neither figure
            if (f === TP) tp++; else fp++;
            rc[n] = tp / np;
            pr[n++] = tp / (fp + tp + EPS);
          }
          recallOut[t * K + k] = n ? rc[n - 1]! : 0;
          if (maxDet !== 100) continue;
          for (let i = n - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
          const P = precision[a]!;
          for (let ri = 0, i = 0; ri < R; ri++) {
            while (i < n && rc[i]! < REC_THRS[ri]!) i++;
            P[(t * R + ri) * K + k] = i < n ? pr[i]! : 0;
          }
        }
      }
    }
  }

  const pAll = precision[0]!;
  const t75 = IOU_THRS.indexOf(0.75);
  const stats: Record<CocoStatName, number> = {
    AP: meanValid(pAll, 0, T * R * K),
    AP50: meanValid(pAll, 0, R * K),
    AP75: meanValid(pAll, t75 * R * K, (t75 + 1) * R * K),
    APs: meanValid(precision[1]!, 0, T * R * K),
    APm: meanValid(precision[2]!, 0, T * R * K),
    APl: meanValid(precision[3]!, 0, T * R * K),
    AR1: meanValid(recallAll[0]!, 0, T * K),
    AR10: meanValid(recallAll[1]!, 0, T * K),
    AR100: meanValid(recallAll[2]!, 0, T * K),
    ARs: meanValid(recallArea[0]!, 0, T * K),
    ARm: meanValid(recallArea[1]!, 0, T * K),
    ARl: meanValid(recallArea[2]!, 0, T * K),
    "AR100@0.5": meanValid(recallAll[2]!, 0, K),
  };
  const perCategoryAP = new Float64Array(K), perCategoryAP50 = new Float64Array(K);
  const vals = new Float64Array(T * R);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < T * R; i++) vals[i] = pAll[i * K + k]!;
    perCategoryAP[k] = meanValid(vals, 0, T * R);
    perCategoryAP50[k] = meanValid(vals, 0, R);
  }
  return { stats, categories: cats, perCategoryAP, perCategoryAP50 };
}

/** `np.mean(s[s > -1])` over `s[from..to)`, or −1 when nothing is left. */
function meanValid(s: Float64Array, from: number, to: number): number {
  const vals = new Float64Array(to - from);
  let n = 0;
  for (let i = from; i < to; i++) if (s[i]! > -1) vals[n++] = s[i]!;
  return n === 0 ? -1 : numpySum(vals, n) / n;
}

/** numpy's float64 sum: pairwise within 8192-element buffers, buffers added left to right. */
function numpySum(a: Float64Array, n: number): number {
  let res = 0;
  for (let lo = 0; lo < n; lo += 8192) res += pairwise(a, lo, Math.min(8192, n - lo));
  return res;
}

function pairwise(a: Float64Array, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i]!;
    return res;
  }
  if (n <= 128) {
    const r = a.slice(lo, lo + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[lo + i + j]!;
    let res = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[lo + i]!;
    return res;
  }
  const n2 = (n >> 1) - ((n >> 1) % 8);
  return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2);
}
