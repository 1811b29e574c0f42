/**
 * Box spaces of chat models (method.md b.4) and the Qwen2-VL "smart resize" (a.5) that defines
 * Qwen2.5-VL's space.
 */
import type { BoxScaleSetting } from "./inference-settings";

const FACTOR = 28;

/** Python's round(): halves to even. */
function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The size (width, height, in pixels) Qwen2-VL processors resize an image of `width` × `height` to:
 * both sides multiples of 28, the pixel count within [minPixels, maxPixels] (method.md a.5).
 */
export function smartResize(width: number, height: number, minPixels: number, maxPixels: number): { width: number; height: number } {
  let h = Math.max(FACTOR, pyRound(height / FACTOR) * FACTOR);
  let w = Math.max(FACTOR, pyRound(width / FACTOR) * FACTOR);
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    h = Math.max(FACTOR, Math.floor(height / beta / FACTOR) * FACTOR);
    w = Math.max(FACTOR, Math.floor(width / beta / FACTOR) * FACTOR);
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    h = Math.ceil((height * beta) / FACTOR) * FACTOR;
    w = Math.ceil((width * beta) / FACTOR) * FACTOR;
  }
  return { width: w, height: h };
}

export interface BoxSpace {
  /** `box_scale` stored with the prediction. */
  readonly scale: readonly [number, number];
  /** When set, the image is resized to this size before it is sent, so the server's own resize is a no-op. */
  readonly resizeTo?: { readonly width: number; readonly height: number };
}

/** The box space of one image of `width` × `height` under a box-scale setting. */
export function boxSpaceFor(setting: BoxScaleSetting, width: number, height: number, pixels: { minPixels: number; maxPixels: number }): BoxSpace {
  if (setting === "qwen2-vl") return { scale: [1000, 1000] };
  if (setting === "qwen2.5-vl") {
    const size = smartResize(width, height, pixels.minPixels, pixels.maxPixels);
    return { scale: [size.width, size.height], resizeTo: size };
  }
  return { scale: [setting.x, setting.y] };
}
