import { describe, expect, it } from "vitest";
import { boxSpaceFor, smartResize } from "./box-scale";

describe("smartResize (method.md a.5)", () => {
  // Expected sizes from the Qwen2-VL processor's formula run in Python (round() halves to even).
  it.each([
    [640, 480, 644, 476],
    [4000, 3000, 1008, 756],
    [20, 20, 56, 56],
    [1022, 770, 1008, 784],
    [42, 14, 112, 56],
    [500, 375, 504, 364],
    [1024, 768, 1036, 756],
  ])("%i × %i → %i × %i", (w, h, ew, eh) => {
    expect(smartResize(w, h, 3136, 802_816)).toEqual({ width: ew, height: eh });
  });
});

describe("boxSpaceFor (method.md b.4)", () => {
  const px = { minPixels: 3136, maxPixels: 802_816 };
  it("gives Qwen2-VL's 0..1000 grid and sends the image untouched", () => {
    expect(boxSpaceFor("qwen2-vl", 640, 480, px)).toEqual({ scale: [1000, 1000] });
  });
  it("gives Qwen2.5-VL the resized pixels and resizes the image to exactly that size", () => {
    expect(boxSpaceFor("qwen2.5-vl", 4000, 3000, px)).toEqual({ scale: [1008, 756], resizeTo: { width: 1008, height: 756 } });
  });
  it("passes a fixed scale through (LLaVA's 336 × 336)", () => {
    expect(boxSpaceFor({ x: 336, y: 336 }, 640, 480, px)).toEqual({ scale: [336, 336] });
  });
});
