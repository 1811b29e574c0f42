/**
 * Scene layout and relation rules of the synthetic dataset: where objects go (ground objects at a
 * depth below the horizon, kites and birds in the sky, hats on heads, windows on walls, things held or
 * resting on tables), which objects survive occlusion, and which VG150 predicates the geometry makes
 * true. Pure functions of a seeded random stream; no rendering here.
 */
import type { BoxPx } from "../scene-graph/types";
import { randInt } from "./random";
import {
  CLASS_SPECS,
  FLOWER_GRIP,
  PERSON_HEAD_R,
  UMBRELLA_GRIP,
  drawClass,
  hsl,
  jitter,
  personHands,
  pixelBox,
  primContains,
  type LayoutBox,
  type Prim,
  type ShapeClass,
} from "./shapes";

/** Objects per image, after occlusion. */
export const MIN_OBJECTS = 2;
export const MAX_OBJECTS = 8;
/** Relations per image at most. */
export const MAX_RELATIONS = 10;
/** An object more than this share hidden by later objects is left out. */
export const MAX_HIDDEN = 0.6;

/** Distances of the relation rules, in pixels of an image of the given size. */
export interface RelationThresholds {
  /** `on`: the subject's bottom is within this of the support's top. `above`/`under` need a larger gap. */
  readonly touch: number;
  /** `near`: boxes apart by at most this (the larger of the horizontal and vertical gaps). */
  readonly near: number;
  /** `above`/`under`: horizontal overlap at least this share of the narrower box. */
  readonly columnOverlap: number;
  /** `holding`: a hand point within the held object's box grown by this. */
  readonly grip: number;
}

export function relationThresholds(width: number, height: number): RelationThresholds {
  return { touch: 3, near: Math.round(0.06 * Math.max(width, height)), columnOverlap: 0.3, grip: 1 };
}

/** Things a person can hold, and things that rest on supports. */
export const HOLDABLE = new Set<ShapeClass>(["orange", "umbrella", "flower"]);
export const RESTS_ON = new Set<ShapeClass>(["orange", "bird", "flower"]);
export const SUPPORTS = new Set<ShapeClass>(["table", "chair", "car", "house", "tree", "boat"]);

export interface SceneObject {
  readonly cls: ShapeClass;
  /** Tight pixel box, integers: floor of the painted minimum, ceiling of the painted maximum. */
  readonly box: BoxPx;
  readonly prims: readonly Prim[];
}

export interface SceneRelation {
  readonly subject: number;
  readonly predicate: string;
  readonly object: number;
}

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly horizon: number;
  readonly sky: readonly [string, string];
  readonly ground: string;
  /** Ground and sky texture, then clutter: painted before the objects, never objects themselves. */
  readonly backdrop: readonly Prim[];
  /** Objects in drawing order (later ones in front). */
  readonly objects: readonly SceneObject[];
  readonly relations: readonly SceneRelation[];
}

export interface LayoutOptions {
  readonly width: number;
  readonly height: number;
  readonly classes: readonly ShapeClass[];
}

/** A scene for one image from its own random stream. */
export function layoutScene(rng: () => number, o: LayoutOptions): Scene {
  const enabled = new Set(o.classes);
  const anchors = o.classes.filter((c) => CLASS_SPECS[c].placement !== "part");
  if (!anchors.length) throw new Error(`no class that can stand alone among ${o.classes.join(", ")}`);
  const horizon = Math.round(o.height * (0.3 + rng() * 0.22));
  const sky: [string, string] = [jitter(rng, 210, 0.6, 0.62, 10, 0.1, 0.06), jitter(rng, 200, 0.5, 0.85, 10, 0.1, 0.04)];
  const groundBase = (
    [
      [100, 0.4, 0.48],
      [75, 0.35, 0.5],
      [40, 0.45, 0.72],
      [0, 0, 0.62],
    ] as const
  )[Math.floor(rng() * 4)]!;
  const ground = jitter(rng, groundBase[0], groundBase[1], groundBase[2]);
  const backdrop = [...texture(rng, o, horizon, groundBase), ...clutter(rng, o)];
  for (let attempt = 0; ; attempt++) {
    const objects = placeObjects(rng, o, enabled, anchors, horizon);
    if (objects.length >= MIN_OBJECTS || attempt >= 20) {
      const rels = deriveRelations(objects, o.width, o.height);
      return { width: o.width, height: o.height, horizon, sky, ground, backdrop, objects: objects.map(({ cls, box, prims }) => ({ cls, box, prims })), relations: rels };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Placement

interface Item {
  readonly cls: ShapeClass;
  readonly layout: LayoutBox;
  readonly prims: Prim[];
  readonly box: BoxPx;
  /** Index of the item this one belongs to (part, held, resting on); dropped with it. */
  readonly parent: number | undefined;
  readonly depth: number;
  readonly seq: number;
}

interface Placed extends SceneObject {
  /** Cells of the coverage grid painted by each object, and the cells it shares with each later one. */
  readonly cells: number;
  readonly overlapWith: ReadonlyMap<number, number>;
}

const uniform = (rng: () => number, lo: number, hi: number) => lo + rng() * (hi - lo);

function placeObjects(rng: () => number, o: LayoutOptions, enabled: ReadonlySet<ShapeClass>, anchors: readonly ShapeClass[], horizon: number): Placed[] {
  const { width: W, height: H } = o;
  const target = randInt(rng, MIN_OBJECTS, MAX_OBJECTS);
  const items: Item[] = [];
  let seq = 0;
  const inside = (b: BoxPx) => b[0] >= 0 && b[1] >= 0 && b[2] <= W && b[3] <= H && b[2] - b[0] >= 3 && b[3] - b[1] >= 3;
  const make = (cls: ShapeClass, layout: LayoutBox, parent: number | undefined, depth: number): Item | undefined => {
    const prims = drawClass(cls, layout, rng);
    const box = pixelBox(prims);
    return inside(box) ? { cls, layout, prims, box, parent, depth, seq: seq++ } : undefined;
  };
  const add = (it: Item | undefined): number | undefined => {
    if (!it || items.length >= target) return undefined;
    items.push(it);
    return items.length - 1;
  };
  const want = (cls: ShapeClass, p: number) => enabled.has(cls) && items.length < target && rng() < p;

  for (let tries = 0; items.length < target && tries < 40; tries++) {
    const cls = anchors[Math.floor(rng() * anchors.length)]!;
    const spec = CLASS_SPECS[cls];
    const aspect = uniform(rng, spec.aspect[0], spec.aspect[1]);
    let layout: LayoutBox;
    if (spec.placement === "sky") {
      const h = Math.max(6, spec.base * H * uniform(rng, cls === "bird" ? 0.8 : 0.6, cls === "bird" ? 1.3 : 1.0));
      const w = h * aspect;
      const maxY = Math.max(3, (cls === "kite" ? horizon - 0.4 * h : horizon - h - 2));
      layout = { x: uniform(rng, 2, W - 2 - w), y: uniform(rng, 3, maxY), w, h };
    } else {
      const bottom = uniform(rng, horizon + 6, H - 3);
      const depth = (bottom - horizon) / (H - horizon);
      let h = Math.max(6, spec.base * H * (0.5 + 0.6 * depth) * uniform(rng, 0.85, 1.15));
      h = Math.min(h, bottom - 3);
      let w = h * aspect;
      if (w > W - 6) {
        w = W - 6;
        h = w / aspect;
      }
      layout = { x: uniform(rng, 2, W - 2 - w), y: bottom - h, w, h };
    }
    if (crowded(layout, items)) continue;
    const anchor = add(make(cls, layout, undefined, layout.y + layout.h));
    if (anchor === undefined) continue;
    const a = items[anchor]!;
    const L = a.layout;
    const depth = a.depth;
    if (cls === "person") {
      if (want("hat", 0.45)) {
        const r = PERSON_HEAD_R * L.h;
        const hw = 2 * r * uniform(rng, 1.3, 1.6);
        const hh = hw * uniform(rng, 0.45, 0.6);
        const bottom = L.y + r * 0.65;
        add(make("hat", { x: L.x + L.w / 2 - hw / 2, y: bottom - hh, w: hw, h: hh }, anchor, depth));
      }
      const held = (["orange", "umbrella", "flower"] as const).filter((c) => enabled.has(c));
      if (held.length && want(held[0]!, 0.4)) {
        const what = held[Math.floor(rng() * held.length)]!;
        const [hx, hy] = personHands(L)[rng() < 0.5 ? 0 : 1];
        add(make(what, heldBox(what, L, hx, hy, rng), anchor, depth));
      }
    } else if (cls === "house") {
      if (want("window", 0.8)) {
        const ws = L.w * uniform(rng, 0.16, 0.22);
        const wh = ws * uniform(rng, 0.9, 1.15);
        const wy = L.y + L.h * uniform(rng, 0.5, 0.58);
        const sides = rng() < 0.5 ? [0.14] : [0.14, 0.86];
        if (rng() < 0.5 && sides.length === 1) sides[0] = 0.86;
        for (const u of sides) {
          const cx = L.x + L.w * (u < 0.5 ? u + 0.02 : u - 0.02) + (u < 0.5 ? ws / 2 : -ws / 2);
          if (items.length < target) add(make("window", { x: cx - ws / 2, y: wy, w: ws, h: wh }, anchor, depth));
        }
      }
      if (want("bird", 0.2)) add(restOn("bird", a.box, L.x + L.w / 2, anchor, depth, rng, H, make));
    } else if (cls === "tree") {
      if (want("bird", 0.25)) add(restOn("bird", a.box, L.x + L.w / 2 + uniform(rng, -0.04, 0.04) * L.w, anchor, depth, rng, H, make));
    } else if (cls === "table" || cls === "car") {
      const top = (["orange", "flower", "bird"] as const).filter((c) => enabled.has(c));
      if (top.length && want(top[0]!, cls === "table" ? 0.5 : 0.15)) {
        const what = top[Math.floor(rng() * top.length)]!;
        add(restOn(what, a.box, L.x + L.w * uniform(rng, 0.3, 0.7), anchor, depth, rng, H, make));
      }
    }
  }
  // Drawing order: groups by depth (farther first), each group in the order it was built.
  const order = items
    .map((it, i) => ({ it, i, key: it.parent === undefined ? it.depth : items[it.parent]!.depth }))
    .sort((p, q) => p.key - q.key || (p.it.parent ?? p.i) - (q.it.parent ?? q.i) || p.i - q.i);
  const sorted = order.map((x) => x.it);
  const newIndex = new Map(order.map((x, k) => [x.i, k]));
  const parents = sorted.map((it) => (it.parent === undefined ? undefined : newIndex.get(it.parent)));
  return dropHidden(sorted, parents, W, H);
}

/** Keeps new anchors from landing almost on top of an earlier one. */
function crowded(b: LayoutBox, items: readonly Item[]): boolean {
  return items.some((it) => {
    if (it.parent !== undefined) return false;
    const a = it.layout;
    const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
    const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
    if (ix <= 0 || iy <= 0) return false;
    return (ix * iy) / Math.min(a.w * a.h, b.w * b.h) > 0.55;
  });
}

function heldBox(what: "orange" | "umbrella" | "flower", person: LayoutBox, hx: number, hy: number, rng: () => number): LayoutBox {
  if (what === "orange") {
    const d = person.h * uniform(rng, 0.14, 0.19);
    const h = d * uniform(rng, 1.14, 1.22);
    return { x: hx - d / 2, y: hy - h + d / 2, w: d, h };
  }
  const [gu, gv] = what === "umbrella" ? UMBRELLA_GRIP : FLOWER_GRIP;
  const h = person.h * (what === "umbrella" ? uniform(rng, 0.85, 1.0) : uniform(rng, 0.3, 0.38));
  const w = h * (what === "umbrella" ? uniform(rng, 1.0, 1.2) : 0.5);
  return { x: hx - gu * w, y: hy - gv * h, w, h };
}

function restOn(
  what: ShapeClass,
  support: BoxPx,
  cx: number,
  parent: number,
  depth: number,
  rng: () => number,
  H: number,
  make: (cls: ShapeClass, layout: LayoutBox, parent: number | undefined, depth: number) => Item | undefined,
): Item | undefined {
  const spec = CLASS_SPECS[what];
  const h = Math.max(6, spec.base * H * uniform(rng, 0.8, 1.1));
  const w = h * uniform(rng, spec.aspect[0], spec.aspect[1]);
  return make(what, { x: cx - w / 2, y: support[1] - h, w, h }, parent, depth);
}

/** Coverage grid step in pixels for the occlusion measure. */
const CELL = 2;

/**
 * Measures, on a coarse grid, how much of each object later objects cover; repeatedly leaves out the
 * most hidden object while one is hidden more than `MAX_HIDDEN` (with whatever belongs to it).
 */
function dropHidden(items: readonly Item[], parents: readonly (number | undefined)[], W: number, H: number): Placed[] {
  const gw = Math.ceil(W / CELL);
  const gh = Math.ceil(H / CELL);
  const cover = new Uint32Array(gw * gh);
  const cellsOf: number[][] = items.map((it, i) => {
    const cells: number[] = [];
    const [x1, y1, x2, y2] = it.box;
    for (let gy = Math.floor(y1 / CELL); gy < Math.min(gh, Math.ceil(y2 / CELL)); gy++) {
      const y = gy * CELL + CELL / 2;
      for (let gx = Math.floor(x1 / CELL); gx < Math.min(gw, Math.ceil(x2 / CELL)); gx++) {
        const x = gx * CELL + CELL / 2;
        if (it.prims.some((p) => primContains(p, x, y))) {
          cells.push(gy * gw + gx);
          cover[gy * gw + gx]! |= 1 << i;
        }
      }
    }
    return cells;
  });
  const kept = items.map(() => true);
  for (;;) {
    let mask = 0;
    kept.forEach((k, i) => (mask |= k ? 1 << i : 0));
    let worst = -1;
    let worstVisible = 1 - MAX_HIDDEN;
    items.forEach((_, i) => {
      if (!kept[i]) return;
      const above = mask & ~((2 << i) - 1);
      const cells = cellsOf[i]!;
      const visible = cells.length ? cells.filter((c) => (cover[c]! & above) === 0).length / cells.length : 0;
      if (visible < worstVisible) {
        worst = i;
        worstVisible = visible;
      }
    });
    if (worst < 0) break;
    const drop = (i: number) => {
      kept[i] = false;
      parents.forEach((p, j) => p === i && kept[j] && drop(j));
    };
    drop(worst);
  }
  const keptIdx = items.map((_, i) => i).filter((i) => kept[i]);
  return keptIdx.map((i) => {
    const overlapWith = new Map<number, number>();
    keptIdx.forEach((j, k) => {
      if (j === i) return;
      let n = 0;
      for (const c of cellsOf[i]!) if (cover[c]! & (1 << j)) n++;
      if (n) overlapWith.set(k, n);
    });
    const it = items[i]!;
    return { cls: it.cls, box: it.box, prims: it.prims, cells: cellsOf[i]!.length, overlapWith };
  });
}

// ---------------------------------------------------------------------------------------------------
// Backdrop

function texture(rng: () => number, o: LayoutOptions, horizon: number, g: readonly [number, number, number]): Prim[] {
  const out: Prim[] = [];
  const s = Math.min(o.width, o.height) / 256;
  const clouds = randInt(rng, 0, 3);
  for (let k = 0; k < clouds; k++) {
    const w = uniform(rng, 18, 45) * s;
    const cx = uniform(rng, 0, o.width);
    const cy = uniform(rng, 4, Math.max(5, horizon * 0.6));
    const white = hsl(210, 0.3, uniform(rng, 0.93, 0.98));
    out.push({ kind: "ellipse", cx, cy, rx: w / 2, ry: w / 6, fill: white });
    out.push({ kind: "ellipse", cx: cx - w * 0.15, cy: cy - w * 0.1, rx: w / 4, ry: w / 6, fill: white });
    out.push({ kind: "ellipse", cx: cx + w * 0.12, cy: cy - w * 0.08, rx: w / 5, ry: w / 7, fill: white });
  }
  const blades = randInt(rng, 25, 60);
  for (let k = 0; k < blades; k++) {
    const x = uniform(rng, 0, o.width);
    const y = uniform(rng, horizon + 2, o.height);
    const len = uniform(rng, 2, 5) * s;
    out.push({ kind: "stroke", pts: [x, y, x + uniform(rng, -1.5, 1.5), y - len], width: 0.8 * s, color: jitter(rng, g[0], g[1], g[2] + (rng() < 0.5 ? -0.1 : 0.08), 6, 0.05, 0.03) });
  }
  return out;
}

/** Small irregular blobs anywhere in the image: distractors that are not objects. */
function clutter(rng: () => number, o: LayoutOptions): Prim[] {
  const out: Prim[] = [];
  const s = Math.min(o.width, o.height) / 256;
  const n = randInt(rng, 4, 14);
  for (let k = 0; k < n; k++) {
    const cx = uniform(rng, 4, o.width - 4);
    const cy = uniform(rng, 4, o.height - 4);
    const r = uniform(rng, 1.5, 5) * s;
    const m = randInt(rng, 5, 8);
    const pts: number[] = [];
    for (let v = 0; v < m; v++) {
      const a = (2 * Math.PI * v) / m + uniform(rng, -0.3, 0.3);
      const rr = r * uniform(rng, 0.55, 1.25);
      pts.push(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
    }
    out.push({ kind: "poly", pts, fill: hsl(rng() * 360, uniform(rng, 0.2, 0.7), uniform(rng, 0.3, 0.7)) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Relations

const area = (b: BoxPx) => (b[2] - b[0]) * (b[3] - b[1]);
/** Overlap length of the two boxes along x (negative: the gap). */
export const overlapX = (a: BoxPx, b: BoxPx) => Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
export const overlapY = (a: BoxPx, b: BoxPx) => Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
/** Whether the boxes share interior. */
export const boxesIntersect = (a: BoxPx, b: BoxPx) => overlapX(a, b) > 0 && overlapY(a, b) > 0;
/** The larger of the horizontal and vertical gaps between the boxes (0 when they touch or overlap). */
export const boxGap = (a: BoxPx, b: BoxPx) => Math.max(0, -overlapX(a, b), -overlapY(a, b));

/** The hand points of a person, from its box. */
export function handPointsOfBox(b: BoxPx): [[number, number], [number, number]] {
  return personHands({ x: b[0], y: b[1], w: b[2] - b[0], h: b[3] - b[1] });
}

/** `hat` sits on the head of `person`: centred over the body and its bottom in the top quarter. */
export function wearsHat(person: BoxPx, hat: BoxPx): boolean {
  const cx = (hat[0] + hat[2]) / 2;
  const w = person[2] - person[0];
  const h = person[3] - person[1];
  return cx >= person[0] + 0.3 * w && cx <= person[2] - 0.3 * w && hat[3] >= person[1] && hat[3] <= person[1] + 0.25 * h;
}

export const contains = (outer: BoxPx, inner: BoxPx) => inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

/** `a` rests on top of `b`: its bottom meets b's top and its centre is over b. */
export function restsOn(a: BoxPx, b: BoxPx, t: RelationThresholds): boolean {
  const cx = (a[0] + a[2]) / 2;
  return Math.abs(a[3] - b[1]) <= t.touch && cx >= b[0] && cx <= b[2] && a[1] < b[1];
}

export function holds(person: BoxPx, thing: BoxPx, t: RelationThresholds): boolean {
  return handPointsOfBox(person).some(([x, y]) => x >= thing[0] - t.grip && x <= thing[2] + t.grip && y >= thing[1] - t.grip && y <= thing[3] + t.grip);
}

/** `a` is above `b`: entirely higher, with a gap, and sharing a column. */
export function isAbove(a: BoxPx, b: BoxPx, t: RelationThresholds): boolean {
  return b[1] - a[3] > t.touch && overlapX(a, b) >= t.columnOverlap * Math.min(a[2] - a[0], b[2] - b[0]);
}

interface Candidate extends SceneRelation {
  readonly rank: number;
  readonly key: number;
}

/**
 * The relations the layout makes true, at most one per pair of objects, most specific first:
 * part-whole and holding, then `on`, then `in front of`/`behind` (later object painted over the
 * earlier one), then `above`/`under`, then `near`. Spatial relations take the smaller object as the
 * subject. At most `MAX_RELATIONS`, chosen by that order and then by closeness.
 */
export function deriveRelations(objects: readonly Placed[], width: number, height: number): SceneRelation[] {
  const t = relationThresholds(width, height);
  const out: Candidate[] = [];
  for (let i = 0; i < objects.length; i++) {
    for (let j = i + 1; j < objects.length; j++) {
      const c = pairRelation(objects, i, j, t);
      if (c) out.push(c);
    }
  }
  out.sort((a, b) => a.rank - b.rank || a.key - b.key || a.subject - b.subject || a.object - b.object);
  return out.slice(0, MAX_RELATIONS).map(({ subject, predicate, object }) => ({ subject, predicate, object }));
}

function pairRelation(objects: readonly Placed[], i: number, j: number, t: RelationThresholds): Candidate | undefined {
  const A = objects[i]!;
  const B = objects[j]!;
  for (const [p, q, pi, qi] of [
    [A, B, i, j],
    [B, A, j, i],
  ] as const) {
    if (p.cls === "person" && q.cls === "hat" && wearsHat(p.box, q.box)) return { subject: pi, predicate: "wearing", object: qi, rank: 0, key: 0 };
    if (p.cls === "house" && q.cls === "window" && contains(p.box, q.box)) return { subject: pi, predicate: "has", object: qi, rank: 0, key: 0 };
    if (p.cls === "person" && HOLDABLE.has(q.cls) && holds(p.box, q.box, t)) return { subject: pi, predicate: "holding", object: qi, rank: 0, key: 0 };
  }
  for (const [p, q, pi, qi] of [
    [A, B, i, j],
    [B, A, j, i],
  ] as const) {
    if (RESTS_ON.has(p.cls) && SUPPORTS.has(q.cls) && restsOn(p.box, q.box, t) && touchesTop(p, q)) return { subject: pi, predicate: "on", object: qi, rank: 1, key: 0 };
  }
  // Subject: the smaller object (the earlier one on a tie).
  const [s, o, si, oi] = area(B.box) < area(A.box) ? ([B, A, j, i] as const) : ([A, B, i, j] as const);
  const shared = A.overlapWith.get(j) ?? 0;
  if (boxesIntersect(A.box, B.box) && shared >= Math.max(3, 0.03 * Math.min(A.cells, B.cells))) {
    return { subject: si, predicate: si > oi ? "in front of" : "behind", object: oi, rank: 2, key: -shared };
  }
  if (isAbove(s.box, o.box, t)) return { subject: si, predicate: "above", object: oi, rank: 3, key: o.box[1] - s.box[3] };
  if (isAbove(o.box, s.box, t)) return { subject: si, predicate: "under", object: oi, rank: 3, key: s.box[1] - o.box[3] };
  const gap = boxGap(A.box, B.box);
  if (!boxesIntersect(A.box, B.box) && gap <= t.near) return { subject: si, predicate: "near", object: oi, rank: 4, key: gap };
  return undefined;
}

/** The resting object's bottom really meets the support's painted shape (not the empty corner of its box). */
function touchesTop(p: SceneObject, q: SceneObject): boolean {
  const y = p.box[3] + 1.5;
  const w = p.box[2] - p.box[0];
  return [0.3, 0.5, 0.7].some((u) => q.prims.some((pr) => primContains(pr, p.box[0] + u * w, y)));
}

