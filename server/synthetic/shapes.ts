/**
 * Vector drawings of the synthetic classes: each class is a small set of primitives (rectangles,
 * ellipses, polygons, round-capped strokes) placed in a layout box. The same primitives serve three
 * purposes: the SVG that sharp rasterises, the tight pixel box of the object (analytic bounds), and a
 * coarse coverage test used to measure occlusion. No text is ever drawn, so rasterisation does not
 * depend on installed fonts.
 */
import type { BoxPx } from "../scene-graph/types";

export type Prim =
  | { readonly kind: "rect"; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly r: number; readonly fill: string }
  | { readonly kind: "ellipse"; readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number; readonly fill: string }
  | { readonly kind: "poly"; readonly pts: readonly number[]; readonly fill: string }
  /** An open polyline stroked with round caps and joins. */
  | { readonly kind: "stroke"; readonly pts: readonly number[]; readonly width: number; readonly color: string };

/** A layout box: top-left corner and size, in image pixels (fractional). */
export interface LayoutBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The classes this generator can draw, all VG150 object classes. */
export const DRAWABLE_CLASSES = [
  "person",
  "hat",
  "car",
  "tree",
  "house",
  "window",
  "dog",
  "orange",
  "table",
  "chair",
  "umbrella",
  "kite",
  "boat",
  "bird",
  "flower",
] as const;
export type ShapeClass = (typeof DRAWABLE_CLASSES)[number];

export const isShapeClass = (c: string): c is ShapeClass => (DRAWABLE_CLASSES as readonly string[]).includes(c);

// ---------------------------------------------------------------------------------------------------
// Colours

/** `#rrggbb` from hue (degrees), saturation and lightness (0..1). */
export function hsl(h: number, s: number, l: number): string {
  h = ((h % 360) + 360) % 360;
  s = clamp01(s);
  l = clamp01(l);
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const hp = h / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const [r, g, b] = hp < 1 ? [c, x, 0] : hp < 2 ? [x, c, 0] : hp < 3 ? [0, c, x] : hp < 4 ? [0, x, c] : hp < 5 ? [x, 0, c] : [c, 0, x];
  const m = l - c / 2;
  const hex = (v: number) => Math.round((v + m) * 255).toString(16).padStart(2, "0");
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** A colour near a base hue/saturation/lightness: slight jitter, so instances differ but stay recognisable. */
export function jitter(rng: () => number, h: number, s: number, l: number, dh = 8, ds = 0.08, dl = 0.06): string {
  const u = () => rng() * 2 - 1;
  return hsl(h + u() * dh, s + u() * ds, l + u() * dl);
}

// ---------------------------------------------------------------------------------------------------
// Class specifications

/** Where an object of the class goes when it anchors a group: standing on the ground, in the sky, or only as part of another. */
export type Placement = "ground" | "sky" | "part";

export interface ClassSpec {
  /** Height as a fraction of the image height at depth scale 1. */
  readonly base: number;
  /** Width / height range. */
  readonly aspect: readonly [number, number];
  readonly placement: Placement;
}

export const CLASS_SPECS: Readonly<Record<ShapeClass, ClassSpec>> = {
  person: { base: 0.34, aspect: [0.5, 0.6], placement: "ground" },
  hat: { base: 0.05, aspect: [1.7, 2.2], placement: "part" },
  car: { base: 0.19, aspect: [1.9, 2.3], placement: "ground" },
  tree: { base: 0.5, aspect: [0.6, 0.8], placement: "ground" },
  house: { base: 0.42, aspect: [1.0, 1.3], placement: "ground" },
  window: { base: 0.08, aspect: [0.85, 1.1], placement: "part" },
  dog: { base: 0.15, aspect: [1.3, 1.6], placement: "ground" },
  orange: { base: 0.075, aspect: [0.82, 0.88], placement: "ground" },
  table: { base: 0.17, aspect: [1.4, 1.9], placement: "ground" },
  chair: { base: 0.23, aspect: [0.55, 0.7], placement: "ground" },
  umbrella: { base: 0.32, aspect: [1.0, 1.2], placement: "ground" },
  kite: { base: 0.2, aspect: [0.6, 0.75], placement: "sky" },
  boat: { base: 0.25, aspect: [1.4, 1.8], placement: "ground" },
  bird: { base: 0.065, aspect: [1.3, 1.5], placement: "sky" },
  flower: { base: 0.13, aspect: [0.45, 0.55], placement: "ground" },
};

// ---------------------------------------------------------------------------------------------------
// Person geometry shared with the relation rules

/** Hands sit at the left and right edges of a person's box, this far down from its top (fraction of its height). */
export const PERSON_HAND_V = 0.45;
/** Head radius as a fraction of a person's height; the head touches the top of the box. */
export const PERSON_HEAD_R = 0.11;

const personStrokeWidth = (h: number) => Math.max(1.6, 0.055 * h);

/** The two hand points of a person drawn in layout box `b`. */
export function personHands(b: LayoutBox): [[number, number], [number, number]] {
  const sw = personStrokeWidth(b.h);
  const y = b.y + PERSON_HAND_V * b.h;
  return [
    [b.x + sw / 2, y],
    [b.x + b.w - sw / 2, y],
  ];
}

/** Where an umbrella is held, as a fraction of its box (the shaft just above the hook). */
export const UMBRELLA_GRIP: readonly [number, number] = [0.5, 0.86];
/** Where a flower is held: low on its stem. */
export const FLOWER_GRIP: readonly [number, number] = [0.5, 0.92];

// ---------------------------------------------------------------------------------------------------
// Drawings

/** Per-instance choices drawn from the image's random stream: colours, mirroring, small variants. */
export function drawClass(cls: ShapeClass, b: LayoutBox, rng: () => number): Prim[] {
  const flip = rng() < 0.5;
  const prims = DRAWERS[cls](b, rng);
  return (flip && MIRRORABLE.has(cls) ? prims.map((p) => mirror(p, b.x + b.w / 2)) : prims).map(quantize);
}

/** Rounds every coordinate to the precision written into the SVG, so the analytic bounds match what is painted. */
export function quantize(p: Prim): Prim {
  switch (p.kind) {
    case "rect":
      return { ...p, x: q2(p.x), y: q2(p.y), w: q2(p.w), h: q2(p.h), r: q2(p.r) };
    case "ellipse":
      return { ...p, cx: q2(p.cx), cy: q2(p.cy), rx: q2(p.rx), ry: q2(p.ry) };
    case "poly":
      return { ...p, pts: p.pts.map(q2) };
    case "stroke":
      return { ...p, pts: p.pts.map(q2), width: q2(p.width) };
  }
}

const q2 = (v: number) => Math.round(v * 100) / 100;

const MIRRORABLE = new Set<ShapeClass>(["car", "dog", "chair", "boat", "bird", "kite"]);

type Drawer = (b: LayoutBox, rng: () => number) => Prim[];

const rect = (x: number, y: number, w: number, h: number, fill: string, r = 0): Prim => ({ kind: "rect", x, y, w, h, r, fill });
const ellipse = (cx: number, cy: number, rx: number, ry: number, fill: string): Prim => ({ kind: "ellipse", cx, cy, rx, ry, fill });
const poly = (pts: number[], fill: string): Prim => ({ kind: "poly", pts, fill });
const stroke = (pts: number[], width: number, color: string): Prim => ({ kind: "stroke", pts, width, color });

/** Local coordinates: u, v in 0..1 of the box. */
const at = (b: LayoutBox) => ({ X: (u: number) => b.x + u * b.w, Y: (v: number) => b.y + v * b.h });

const SKIN = [
  [30, 0.55, 0.78],
  [28, 0.45, 0.62],
  [25, 0.45, 0.45],
  [22, 0.4, 0.3],
] as const;

const DRAWERS: Readonly<Record<ShapeClass, Drawer>> = {
  person(b, rng) {
    const sw = personStrokeWidth(b.h);
    const cx = b.x + b.w / 2;
    const r = PERSON_HEAD_R * b.h;
    const [hl, hr] = personHands(b);
    const limbs = jitter(rng, 220, 0.25, 0.2, 30, 0.1, 0.08);
    const shirt = hsl(rng() * 360, 0.6, 0.45 + rng() * 0.1);
    const skin = SKIN[Math.floor(rng() * SKIN.length)]!;
    const neck = b.y + 2 * r;
    const shoulder = b.y + 0.28 * b.h;
    const hip = b.y + 0.62 * b.h;
    const foot = b.y + b.h - sw / 2;
    return [
      stroke([b.x + 0.22 * b.w, foot, cx, hip, b.x + 0.78 * b.w, foot], sw, limbs),
      stroke([hl[0], hl[1], cx, shoulder, hr[0], hr[1]], sw, limbs),
      stroke([cx, neck + sw, cx, hip], sw * 2.2, shirt),
      ellipse(cx, b.y + r, r, r, jitter(rng, skin[0], skin[1], skin[2], 4, 0.05, 0.03)),
    ];
  },
  hat(b, rng) {
    const { X, Y } = at(b);
    const c = pickColor(rng, [
      [0, 0.7, 0.42],
      [220, 0.6, 0.35],
      [50, 0.85, 0.5],
      [0, 0, 0.12],
      [30, 0.45, 0.55],
    ]);
    return [rect(X(0.2), Y(0), b.w * 0.6, b.h * 0.86, c, b.h * 0.2), rect(X(0), Y(0.72), b.w, b.h * 0.28, c, b.h * 0.1), rect(X(0.2), Y(0.56), b.w * 0.6, b.h * 0.14, "#1c1c1c")];
  },
  car(b, rng) {
    const { X, Y } = at(b);
    const body = jitter(rng, 2, 0.78, 0.46, 10, 0.1, 0.06);
    const glass = jitter(rng, 200, 0.45, 0.78, 8, 0.1, 0.05);
    const wr = 0.2 * b.h;
    const hub = "#b8b8b8";
    return [
      poly([X(0.2), Y(0.42), X(0.3), Y(0), X(0.72), Y(0), X(0.84), Y(0.42)], body),
      poly([X(0.26), Y(0.4), X(0.33), Y(0.1), X(0.49), Y(0.1), X(0.49), Y(0.4)], glass),
      poly([X(0.53), Y(0.4), X(0.53), Y(0.1), X(0.69), Y(0.1), X(0.78), Y(0.4)], glass),
      rect(X(0), Y(0.36), b.w, b.h * 0.48, body, b.h * 0.1),
      rect(X(0.94), Y(0.46), b.w * 0.06, b.h * 0.1, "#f5e6a0", b.h * 0.03),
      ellipse(X(0.22), b.y + b.h - wr, wr, wr, "#222222"),
      ellipse(X(0.78), b.y + b.h - wr, wr, wr, "#222222"),
      ellipse(X(0.22), b.y + b.h - wr, wr * 0.45, wr * 0.45, hub),
      ellipse(X(0.78), b.y + b.h - wr, wr * 0.45, wr * 0.45, hub),
    ];
  },
  tree(b, rng) {
    const { X, Y } = at(b);
    const leaf = jitter(rng, 115, 0.55, 0.34, 15, 0.1, 0.06);
    const dark = jitter(rng, 120, 0.55, 0.26, 10, 0.1, 0.04);
    const bark = jitter(rng, 25, 0.5, 0.28, 6, 0.1, 0.05);
    return [
      rect(X(0.42), Y(0.5), b.w * 0.16, b.h * 0.5, bark),
      ellipse(X(0.5), Y(0.33), b.w / 2, b.h * 0.33, leaf),
      ellipse(X(0.35), Y(0.4), b.w * 0.14, b.h * 0.1, dark),
      ellipse(X(0.64), Y(0.24), b.w * 0.12, b.h * 0.08, dark),
    ];
  },
  house(b, rng) {
    const { X, Y } = at(b);
    const wall = pickColor(rng, [
      [45, 0.6, 0.8],
      [30, 0.35, 0.75],
      [200, 0.3, 0.8],
      [0, 0, 0.88],
    ]);
    const roof = pickColor(rng, [
      [5, 0.6, 0.35],
      [20, 0.5, 0.28],
      [210, 0.2, 0.3],
    ]);
    return [
      rect(X(0.08), Y(0.4), b.w * 0.84, b.h * 0.6, wall),
      poly([X(0), Y(0.43), X(0.5), Y(0), X(1), Y(0.43)], roof),
      rect(X(0.42), Y(0.68), b.w * 0.16, b.h * 0.32, jitter(rng, 25, 0.5, 0.25)),
    ];
  },
  window(b, rng) {
    const { X, Y } = at(b);
    const frame = rng() < 0.5 ? "#f4f4f0" : jitter(rng, 25, 0.45, 0.3);
    const glass = jitter(rng, 200, 0.55, 0.7, 8, 0.1, 0.06);
    const fw = Math.max(1, 0.1 * b.w);
    return [rect(b.x, b.y, b.w, b.h, frame), rect(X(0.12), Y(0.12), b.w * 0.76, b.h * 0.76, glass), rect(X(0.5) - fw / 2, Y(0.1), fw, b.h * 0.8, frame), rect(X(0.1), Y(0.5) - fw / 2, b.w * 0.8, fw, frame)];
  },
  dog(b, rng) {
    const { X, Y } = at(b);
    const fur = pickColor(rng, [
      [30, 0.55, 0.4],
      [35, 0.6, 0.6],
      [0, 0, 0.15],
      [30, 0.15, 0.85],
    ]);
    const dark = "#3a2a20";
    const hr = 0.19 * b.h;
    const lw = Math.max(1.4, 0.09 * b.h);
    const legs = [0.28, 0.38, 0.62, 0.72].map((u) => stroke([X(u), Y(0.55), X(u), b.y + b.h - lw / 2], lw, fur));
    return [
      stroke([X(0.22), Y(0.42), b.x + lw / 2, Y(0.12)], lw, fur),
      ...legs,
      ellipse(X(0.5), Y(0.46), b.w * 0.31, b.h * 0.2, fur),
      ellipse(b.x + b.w - hr * 1.5, b.y + hr, hr, hr, fur),
      ellipse(b.x + b.w - hr * 0.6, b.y + hr * 1.25, hr * 0.6, hr * 0.45, fur),
      ellipse(b.x + b.w - hr * 0.15, b.y + hr * 1.1, hr * 0.15, hr * 0.15, "#111111"),
      ellipse(b.x + b.w - hr * 1.9, b.y + hr * 1.2, hr * 0.35, hr * 0.65, dark),
      ellipse(b.x + b.w - hr * 1.2, b.y + hr * 0.8, hr * 0.12, hr * 0.12, "#111111"),
    ];
  },
  orange(b, rng) {
    // The fruit: a round orange with a highlight, a stalk and one leaf; the leaf stays inside the box.
    const r = b.w / 2;
    const body = b.h - r * 2;
    const cx = b.x + r;
    const cy = b.y + body + r;
    const skin = jitter(rng, 30, 0.9, 0.52, 5, 0.08, 0.05);
    const leaf = jitter(rng, 110, 0.55, 0.35, 10, 0.1, 0.05);
    const sw = Math.max(0.8, 0.07 * b.w);
    return [
      ellipse(cx, cy, r, r, skin),
      ellipse(cx - r * 0.35, cy - r * 0.35, r * 0.25, r * 0.18, jitter(rng, 38, 0.9, 0.7, 4, 0.05, 0.04)),
      stroke([cx, b.y + body + r * 0.15, cx, b.y + sw / 2 + body * 0.4], sw, "#5a3a1a"),
      ellipse(cx + r * 0.32, b.y + body * 0.5 + r * 0.05, r * 0.32, Math.max(body * 0.5, r * 0.12), leaf),
    ];
  },
  table(b, rng) {
    const { X, Y } = at(b);
    const wood = jitter(rng, 28, 0.5, 0.36, 6, 0.1, 0.06);
    const dark = jitter(rng, 25, 0.5, 0.24, 4, 0.05, 0.03);
    return [rect(X(0.07), Y(0.1), b.w * 0.08, b.h * 0.9, dark), rect(X(0.85), Y(0.1), b.w * 0.08, b.h * 0.9, dark), rect(X(0), Y(0), b.w, b.h * 0.16, wood, b.h * 0.03)];
  },
  chair(b, rng) {
    const { X, Y } = at(b);
    const c = pickColor(rng, [
      [215, 0.55, 0.4],
      [140, 0.45, 0.32],
      [350, 0.55, 0.38],
      [0, 0, 0.3],
    ]);
    return [
      rect(X(0), Y(0), b.w * 0.16, b.h * 0.6, c),
      rect(X(0.16), Y(0.12), b.w * 0.06, b.h * 0.1, c),
      rect(X(0.16), Y(0.3), b.w * 0.06, b.h * 0.1, c),
      rect(X(0), Y(0.52), b.w, b.h * 0.1, c, b.h * 0.02),
      rect(X(0), Y(0.6), b.w * 0.12, b.h * 0.4, c),
      rect(X(0.88), Y(0.6), b.w * 0.12, b.h * 0.4, c),
    ];
  },
  umbrella(b, rng) {
    const { X, Y } = at(b);
    const h1 = rng() * 360;
    const c1 = hsl(h1, 0.75, 0.5);
    const c2 = rng() < 0.5 ? "#f6f6f2" : hsl(h1 + 150, 0.7, 0.55);
    const cy = Y(0.4);
    const rx = b.w / 2;
    const ry = b.h * 0.4;
    const sw = Math.max(1, 0.035 * b.h);
    const wedges: Prim[] = [];
    const seg = 4;
    for (let s = 0; s < seg; s++) {
      const pts = [X(0.5), cy];
      for (let k = 0; k <= 6; k++) {
        const a = Math.PI + (Math.PI * (s + k / 6)) / seg;
        pts.push(X(0.5) + rx * Math.cos(a), cy + ry * Math.sin(a));
      }
      wedges.push(poly(pts, s % 2 ? c2 : c1));
    }
    const hookR = 0.06 * b.h;
    const bottom = b.y + b.h - sw / 2;
    return [
      stroke([X(0.5), Y(0.02), X(0.5), bottom - hookR, X(0.5) - hookR * 0.3, bottom, X(0.5) - hookR * 1.4, bottom - hookR * 0.2, X(0.5) - hookR * 1.6, bottom - hookR], sw, "#2b2b2b"),
      ...wedges,
      poly([X(0), cy, X(0.125), cy - ry * 0.12, X(0.25), cy, X(0.375), cy - ry * 0.12, X(0.5), cy, X(0.625), cy - ry * 0.12, X(0.75), cy, X(0.875), cy - ry * 0.12, X(1), cy], c1),
    ];
  },
  kite(b, rng) {
    const { X, Y } = at(b);
    const h1 = rng() * 360;
    const c1 = hsl(h1, 0.8, 0.52);
    const c2 = hsl(h1 + 60 + rng() * 60, 0.8, 0.55);
    const sw = Math.max(0.8, 0.02 * b.h);
    const top = [X(0.5), Y(0)];
    const right = [X(1), Y(0.22)];
    const bottom = [X(0.5), Y(0.62)];
    const left = [X(0), Y(0.22)];
    const mid = [X(0.5), Y(0.22)];
    const tail: number[] = [];
    for (let k = 0; k <= 6; k++) tail.push(X(0.5 + 0.12 * Math.sin(k * 1.3)), Y(0.62 + (0.36 * k) / 6));
    const bows = [0.74, 0.86].map((v) => {
      const u = 0.5 + 0.12 * Math.sin(((v - 0.62) / 0.36) * 6 * 1.3);
      return poly([X(u - 0.14), Y(v - 0.03), X(u + 0.14), Y(v + 0.03), X(u + 0.14), Y(v - 0.03), X(u - 0.14), Y(v + 0.03)], c2);
    });
    return [
      stroke(tail, sw, "#333333"),
      ...bows,
      poly([...top, ...right, ...mid], c1),
      poly([...right, ...bottom, ...mid], c2),
      poly([...bottom, ...left, ...mid], c1),
      poly([...left, ...top, ...mid], c2),
      stroke([X(0.5), Y(0.02), X(0.5), Y(0.6)], sw, "#333333"),
      stroke([X(0.03), Y(0.22), X(0.97), Y(0.22)], sw, "#333333"),
    ];
  },
  boat(b, rng) {
    const { X, Y } = at(b);
    const hull = pickColor(rng, [
      [25, 0.5, 0.3],
      [215, 0.6, 0.3],
      [5, 0.6, 0.4],
    ]);
    const sail = jitter(rng, 45, 0.3, 0.92, 10, 0.1, 0.03);
    const sw = Math.max(1, 0.025 * b.h);
    return [
      stroke([X(0.45), Y(0.6), X(0.45), b.y + sw / 2], sw, "#3a3a3a"),
      poly([X(0.47), Y(0.04), X(0.47), Y(0.58), X(0.85), Y(0.58)], sail),
      poly([X(0.43), Y(0.14), X(0.43), Y(0.58), X(0.16), Y(0.58)], sail),
      poly([X(0), Y(0.62), X(1), Y(0.62), X(0.82), Y(1), X(0.18), Y(1)], hull),
      rect(X(0.05), Y(0.7), b.w * 0.9, b.h * 0.05, "#e8e8e0"),
    ];
  },
  bird(b, rng) {
    const { X, Y } = at(b);
    const c = pickColor(rng, [
      [210, 0.7, 0.45],
      [0, 0.7, 0.45],
      [0, 0, 0.18],
      [50, 0.85, 0.5],
    ]);
    const wing = jitter(rng, 0, 0, 0.1, 0, 0, 0.05);
    const hr = 0.2 * b.h;
    return [
      poly([X(0), Y(0.3), X(0.25), Y(0.48), X(0.22), Y(0.62), X(0), Y(0.55)], c),
      ellipse(X(0.45), Y(0.58), b.w * 0.3, b.h * 0.3, c),
      poly([X(0.3), Y(0.5), X(0.55), Y(0.45), X(0.4), Y(0.72)], wing),
      ellipse(X(0.74), b.y + hr + 0.1 * b.h, hr, hr, c),
      poly([X(0.74) + hr * 0.8, Y(0.22), b.x + b.w, Y(0.34), X(0.74) + hr * 0.8, Y(0.42)], "#f0a020"),
      ellipse(X(0.76), Y(0.26), hr * 0.22, hr * 0.22, "#111111"),
      stroke([X(0.42), Y(0.85), X(0.42), Y(0.97)], Math.max(0.6, 0.06 * b.h), "#5a4020"),
      stroke([X(0.52), Y(0.85), X(0.52), Y(0.97)], Math.max(0.6, 0.06 * b.h), "#5a4020"),
    ];
  },
  flower(b, rng) {
    const { X } = at(b);
    const petal = pickColor(rng, [
      [340, 0.75, 0.6],
      [0, 0.8, 0.5],
      [55, 0.9, 0.55],
      [280, 0.55, 0.55],
      [0, 0, 0.97],
    ]);
    const r = b.w / 2;
    const cx = X(0.5);
    const cy = b.y + r;
    const pr = r * 0.36;
    const sw = Math.max(1, 0.1 * b.w);
    const petals: Prim[] = [];
    for (let k = 0; k < 6; k++) {
      const a = (k * Math.PI) / 3;
      petals.push(ellipse(cx + (r - pr) * Math.cos(a), cy + (r - pr) * Math.sin(a), pr, pr, petal));
    }
    return [
      stroke([cx, cy, cx, b.y + b.h - sw / 2], sw, "#2f7a2a"),
      ellipse(cx + r * 0.45, b.y + b.h * 0.68, r * 0.42, r * 0.18, "#3c8c34"),
      ...petals,
      ellipse(cx, cy, r * 0.38, r * 0.38, "#e0a010"),
    ];
  },
};

function pickColor(rng: () => number, bases: readonly (readonly [number, number, number])[]): string {
  const [h, s, l] = bases[Math.floor(rng() * bases.length)]!;
  return jitter(rng, h, s, l);
}

function mirror(p: Prim, cx: number): Prim {
  const mx = (x: number) => 2 * cx - x;
  const mpts = (pts: readonly number[]) => pts.map((v, i) => (i % 2 ? v : mx(v)));
  switch (p.kind) {
    case "rect":
      return { ...p, x: mx(p.x + p.w) };
    case "ellipse":
      return { ...p, cx: mx(p.cx) };
    case "poly":
      return { ...p, pts: mpts(p.pts) };
    case "stroke":
      return { ...p, pts: mpts(p.pts) };
  }
}

// ---------------------------------------------------------------------------------------------------
// Geometry of primitives

/** Analytic bounds `[x1, y1, x2, y2]` of a primitive as painted (strokes include their round caps). */
export function primBounds(p: Prim): [number, number, number, number] {
  switch (p.kind) {
    case "rect":
      return [p.x, p.y, p.x + p.w, p.y + p.h];
    case "ellipse":
      return [p.cx - p.rx, p.cy - p.ry, p.cx + p.rx, p.cy + p.ry];
    case "poly":
    case "stroke": {
      const pad = p.kind === "stroke" ? p.width / 2 : 0;
      let x1 = Infinity;
      let y1 = Infinity;
      let x2 = -Infinity;
      let y2 = -Infinity;
      for (let i = 0; i < p.pts.length; i += 2) {
        x1 = Math.min(x1, p.pts[i]!);
        x2 = Math.max(x2, p.pts[i]!);
        y1 = Math.min(y1, p.pts[i + 1]!);
        y2 = Math.max(y2, p.pts[i + 1]!);
      }
      return [x1 - pad, y1 - pad, x2 + pad, y2 + pad];
    }
  }
}

/** Union of the primitives' bounds, as exact (fractional) coordinates. */
export function shapeBounds(prims: readonly Prim[]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of prims) {
    const [x1, y1, x2, y2] = primBounds(p);
    b[0] = Math.min(b[0], x1);
    b[1] = Math.min(b[1], y1);
    b[2] = Math.max(b[2], x2);
    b[3] = Math.max(b[3], y2);
  }
  return b;
}

/** The tight integer box of painted primitives: floor of the painted minimum, ceiling of the maximum. */
export function pixelBox(prims: readonly Prim[]): BoxPx {
  const [x1, y1, x2, y2] = shapeBounds(prims);
  return [Math.floor(x1), Math.floor(y1), Math.ceil(x2), Math.ceil(y2)];
}

/** Whether the point lies inside the painted primitive (rounded corners ignored). */
export function primContains(p: Prim, x: number, y: number): boolean {
  switch (p.kind) {
    case "rect":
      return x >= p.x && x <= p.x + p.w && y >= p.y && y <= p.y + p.h;
    case "ellipse": {
      const dx = (x - p.cx) / p.rx;
      const dy = (y - p.cy) / p.ry;
      return dx * dx + dy * dy <= 1;
    }
    case "poly": {
      let inside = false;
      const n = p.pts.length / 2;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const xi = p.pts[2 * i]!;
        const yi = p.pts[2 * i + 1]!;
        const xj = p.pts[2 * j]!;
        const yj = p.pts[2 * j + 1]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }
    case "stroke": {
      const r2 = (p.width / 2) ** 2;
      for (let i = 0; i + 3 < p.pts.length; i += 2) {
        if (segDist2(x, y, p.pts[i]!, p.pts[i + 1]!, p.pts[i + 2]!, p.pts[i + 3]!) <= r2) return true;
      }
      return false;
    }
  }
}

function segDist2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  const qx = ax + t * dx - px;
  const qy = ay + t * dy - py;
  return qx * qx + qy * qy;
}

// ---------------------------------------------------------------------------------------------------
// SVG

/** Fixed-precision number for the SVG text (two decimals, no trailing zeros). */
const n2 = (v: number) => String(q2(v));

export function primToSvg(p: Prim, opacity = 1): string {
  const op = opacity < 1 ? ` fill-opacity="${n2(opacity)}"` : "";
  switch (p.kind) {
    case "rect":
      return `<rect x="${n2(p.x)}" y="${n2(p.y)}" width="${n2(p.w)}" height="${n2(p.h)}"${p.r > 0 ? ` rx="${n2(Math.min(p.r, p.w / 2, p.h / 2))}"` : ""} fill="${p.fill}"${op}/>`;
    case "ellipse":
      return `<ellipse cx="${n2(p.cx)}" cy="${n2(p.cy)}" rx="${n2(p.rx)}" ry="${n2(p.ry)}" fill="${p.fill}"${op}/>`;
    case "poly":
      return `<polygon points="${p.pts.map(n2).join(" ")}" fill="${p.fill}"${op}/>`;
    case "stroke":
      return `<polyline points="${p.pts.map(n2).join(" ")}" fill="none" stroke="${p.color}" stroke-width="${n2(p.width)}" stroke-linecap="round" stroke-linejoin="round"/>`;
  }
}
