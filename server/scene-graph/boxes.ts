import type { BoxGrid1000, BoxModel, BoxNorm, BoxPx, BoxScale, ImageSizePx } from "./types";

type Box = readonly [number, number, number, number];

/**
 * IoU of two xyxy boxes in the same space (method.md d.2). No +1 pixel convention and no clamping of
 * inverted boxes; 0 when the union is 0.
 */
export function iou(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union === 0 ? 0 : inter / union;
}

/**
 * Generalised IoU (d.2). Returns `undefined` where the reference divides by zero (enclosing area 0 with a
 * non-zero union): the caller turns that into a failure.
 */
export function giou(a: Box, b: Box): number | undefined {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  if (union === 0) return 0;
  const c = (Math.max(a[2], b[2]) - Math.min(a[0], b[0])) * (Math.max(a[3], b[3]) - Math.min(a[1], b[1]));
  if (c === 0) return undefined;
  return inter / union - (c - union) / c;
}

/** L1 distance of the four coordinates, summed left to right (d.2). */
export function boxL1(a: Box, b: Box): number {
  return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) + Math.abs(a[3] - b[3]);
}

/** Model box space → normalised [0,1] space, multiplying by the reciprocal as the reference does (b.4). */
export function modelToNorm(b: BoxModel, scale: BoxScale): BoxNorm {
  const fx = 1 / scale[0];
  const fy = 1 / scale[1];
  return [b[0] * fx, b[1] * fy, b[2] * fx, b[3] * fy];
}

/** Model box space → original pixels, with the factor `W/sx` computed first (b.4). */
export function modelToPx(b: BoxModel, scale: BoxScale, size: ImageSizePx): BoxPx {
  const fx = size[0] / scale[0];
  const fy = size[1] / scale[1];
  return [b[0] * fx, b[1] * fy, b[2] * fx, b[3] * fy];
}

/** Original pixels → normalised [0,1] space (b.4): `x · (1/W)`. */
export function pxToNorm(b: BoxPx, size: ImageSizePx): BoxNorm {
  const fx = 1 / size[0];
  const fy = 1 / size[1];
  return [b[0] * fx, b[1] * fy, b[2] * fx, b[3] * fy];
}

/** Original pixels → the 0..1000 grid of SFT targets (b.5): divide, multiply, truncate toward zero. */
export function pxToGrid1000(b: BoxPx, size: ImageSizePx): BoxGrid1000 {
  return [
    Math.trunc((b[0] / size[0]) * 1000),
    Math.trunc((b[1] / size[1]) * 1000),
    Math.trunc((b[2] / size[0]) * 1000),
    Math.trunc((b[3] / size[1]) * 1000),
  ];
}

const f32 = Math.fround;

/**
 * Scene-Graph-Benchmark IoU with the +1 pixel convention, every operation in float32 (appendix E).
 * Inputs are pixel boxes already rounded to float32. NaN compares false against any threshold.
 */
export function iouPlusOneF32(a: Box, b: Box): number {
  const areaA = f32(f32(f32(a[2] - a[0]) + 1) * f32(f32(a[3] - a[1]) + 1));
  const areaB = f32(f32(f32(b[2] - b[0]) + 1) * f32(f32(b[3] - b[1]) + 1));
  const w = Math.max(0, f32(f32(f32(Math.min(a[2], b[2])) - f32(Math.max(a[0], b[0]))) + 1));
  const h = Math.max(0, f32(f32(f32(Math.min(a[3], b[3])) - f32(Math.max(a[1], b[1]))) + 1));
  const inter = f32(w * h);
  return f32(inter / f32(f32(areaA + areaB) - inter));
}

/** Rounds the four coordinates of a pixel box to float32 (family B input convention). */
export function toF32Box(b: Box): BoxPx {
  return [f32(b[0]), f32(b[1]), f32(b[2]), f32(b[3])];
}
