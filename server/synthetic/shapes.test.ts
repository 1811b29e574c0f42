import sharp from "sharp";
import { describe, expect, it } from "vitest";
import vg150 from "../scene-graph/data/vg150-classes.json";
import { createRng } from "./random";
import { CLASS_SPECS, DRAWABLE_CLASSES, drawClass, hsl, pixelBox, primContains, primToSvg, type ShapeClass } from "./shapes";

/** Bounding box of the pixels with any alpha, `[x1, y1, x2, y2]` with exclusive ends. */
async function alphaBox(svg: string, W: number, H: number): Promise<[number, number, number, number]> {
  const { data, info } = await sharp(Buffer.from(svg), { density: 72 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([W, H]);
  let [x1, y1, x2, y2] = [W, H, 0, 0];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (data[(y * W + x) * 4 + 3]! > 0) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
    }
  }
  return [x1, y1, x2, y2];
}

describe("shapes", () => {
  it("draws only VG150 classes", () => {
    for (const c of DRAWABLE_CLASSES) expect(vg150.objects).toContain(c);
    expect(DRAWABLE_CLASSES.length).toBeGreaterThanOrEqual(12);
    expect(DRAWABLE_CLASSES.length).toBeLessThanOrEqual(16);
  });

  it("converts HSL to hex", () => {
    expect(hsl(0, 1, 0.5)).toBe("#ff0000");
    expect(hsl(120, 1, 0.5)).toBe("#00ff00");
    expect(hsl(240, 1, 0.25)).toBe("#000080");
    expect(hsl(0, 0, 1)).toBe("#ffffff");
  });

  it.each(DRAWABLE_CLASSES.map((c) => [c]))("%s: the box is tight around the painted pixels", async (cls) => {
    const rng = createRng(99);
    const W = 128;
    for (let k = 0; k < 4; k++) {
      const spec = CLASS_SPECS[cls as ShapeClass];
      const h = 20 + rng() * 60;
      const w = Math.min(110, h * spec.aspect[0]);
      const prims = drawClass(cls as ShapeClass, { x: 5 + rng() * (W - 10 - w), y: 5 + rng() * (W - 10 - h), w, h }, rng);
      const box = pixelBox(prims);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}">${prims.map((p) => primToSvg(p)).join("")}</svg>`;
      const painted = await alphaBox(svg, W, W);
      for (let i = 0; i < 4; i++) expect(Math.abs(painted[i]! - box[i]!), `${cls} ${box} vs painted ${painted}`).toBeLessThanOrEqual(1);
    }
  });

  it("tests points against each primitive kind", () => {
    expect(primContains({ kind: "rect", x: 0, y: 0, w: 10, h: 5, r: 0, fill: "#000" }, 9, 4)).toBe(true);
    expect(primContains({ kind: "rect", x: 0, y: 0, w: 10, h: 5, r: 0, fill: "#000" }, 11, 4)).toBe(false);
    expect(primContains({ kind: "ellipse", cx: 0, cy: 0, rx: 4, ry: 2, fill: "#000" }, 3.5, 1.2)).toBe(false);
    expect(primContains({ kind: "ellipse", cx: 0, cy: 0, rx: 4, ry: 2, fill: "#000" }, 3, 0.5)).toBe(true);
    expect(primContains({ kind: "poly", pts: [0, 0, 10, 0, 0, 10], fill: "#000" }, 2, 2)).toBe(true);
    expect(primContains({ kind: "poly", pts: [0, 0, 10, 0, 0, 10], fill: "#000" }, 6, 6)).toBe(false);
    expect(primContains({ kind: "stroke", pts: [0, 0, 10, 0], width: 2, color: "#000" }, 10.6, 0.5)).toBe(true);
    expect(primContains({ kind: "stroke", pts: [0, 0, 10, 0], width: 2, color: "#000" }, 5, 1.5)).toBe(false);
  });
});
