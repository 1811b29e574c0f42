import { describe, expect, it } from "vitest";
import vg150 from "../scene-graph/data/vg150-classes.json";
import type { BoxPx } from "../scene-graph/types";
import { createRng } from "./random";
import { MAX_OBJECTS, MAX_RELATIONS, MIN_OBJECTS, layoutScene, type Scene } from "./scene-layout";
import { DRAWABLE_CLASSES, PERSON_HAND_V, primContains, type ShapeClass } from "./shapes";

const W = 256;
const H = 256;
const scenes: Scene[] = Array.from({ length: 400 }, (_, i) => layoutScene(createRng(1000 + i), { width: W, height: H, classes: DRAWABLE_CLASSES }));

const ox = (a: BoxPx, b: BoxPx) => Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
const oy = (a: BoxPx, b: BoxPx) => Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
const intersect = (a: BoxPx, b: BoxPx) => ox(a, b) > 0 && oy(a, b) > 0;

/** Each predicate's rule, written again from the boxes and the drawing order alone. */
function holdsTrue(scene: Scene, s: number, predicate: string, o: number): boolean {
  const A = scene.objects[s]!;
  const B = scene.objects[o]!;
  const a = A.box;
  const b = B.box;
  const near = Math.round(0.06 * Math.max(scene.width, scene.height));
  switch (predicate) {
    case "above":
      return a[3] < b[1] && ox(a, b) > 0;
    case "under":
      return a[1] > b[3] && ox(a, b) > 0;
    case "on":
      return Math.abs(a[3] - b[1]) <= 3 && (a[0] + a[2]) / 2 >= b[0] && (a[0] + a[2]) / 2 <= b[2] && a[1] < b[1];
    case "near":
      return !intersect(a, b) && Math.max(-ox(a, b), -oy(a, b)) <= near;
    case "in front of":
      return s > o && intersect(a, b);
    case "behind":
      return s < o && intersect(a, b);
    case "wearing":
      return A.cls === "person" && B.cls === "hat" && (b[0] + b[2]) / 2 > a[0] && (b[0] + b[2]) / 2 < a[2] && b[3] >= a[1] && b[3] <= a[1] + 0.3 * (a[3] - a[1]);
    case "has":
      return A.cls === "house" && B.cls === "window" && b[0] >= a[0] && b[1] >= a[1] && b[2] <= a[2] && b[3] <= a[3];
    case "holding": {
      const y = a[1] + PERSON_HAND_V * (a[3] - a[1]);
      return A.cls === "person" && [a[0] + 2, a[2] - 2].some((x) => x >= b[0] - 3 && x <= b[2] + 3 && y >= b[1] - 3 && y <= b[3] + 3);
    }
    default:
      return false;
  }
}

describe("layoutScene", () => {
  it("places 2 to 8 objects of the drawable VG150 classes, boxes inside the image", () => {
    for (const sc of scenes) {
      expect(sc.objects.length).toBeGreaterThanOrEqual(MIN_OBJECTS);
      expect(sc.objects.length).toBeLessThanOrEqual(MAX_OBJECTS);
      for (const o of sc.objects) {
        expect(vg150.objects).toContain(o.cls);
        const [x1, y1, x2, y2] = o.box;
        expect(x1 >= 0 && y1 >= 0 && x2 <= W && y2 <= H && x1 < x2 && y1 < y2, `${o.cls} ${o.box}`).toBe(true);
        expect(o.box.every(Number.isInteger)).toBe(true);
      }
    }
    expect(MIN_OBJECTS).toBe(2);
    expect(MAX_OBJECTS).toBe(8);
  });

  it("uses every drawable class and a spread of object counts", () => {
    const seen = new Set(scenes.flatMap((s) => s.objects.map((o) => o.cls)));
    expect([...seen].sort()).toEqual([...DRAWABLE_CLASSES].sort());
    const counts = new Set(scenes.map((s) => s.objects.length));
    for (let n = 2; n <= 8; n++) expect(counts).toContain(n);
  });

  it("keeps relations few, in the vocabulary, one per pair, and true by their rule", () => {
    let total = 0;
    for (const sc of scenes) {
      expect(sc.relations.length).toBeLessThanOrEqual(MAX_RELATIONS);
      const pairs = new Set<string>();
      for (const r of sc.relations) {
        expect(vg150.predicates).toContain(r.predicate);
        expect(r.subject).not.toBe(r.object);
        const key = [Math.min(r.subject, r.object), Math.max(r.subject, r.object)].join(",");
        expect(pairs.has(key), "one relation per pair").toBe(false);
        pairs.add(key);
        expect(holdsTrue(sc, r.subject, r.predicate, r.object), `${sc.objects[r.subject]!.cls} ${r.predicate} ${sc.objects[r.object]!.cls}: ${sc.objects[r.subject]!.box} / ${sc.objects[r.object]!.box}`).toBe(true);
      }
      total += sc.relations.length;
    }
    expect(total / scenes.length).toBeGreaterThan(2);
    const predicates = new Set(scenes.flatMap((s) => s.relations.map((r) => r.predicate)));
    for (const p of ["above", "under", "on", "near", "in front of", "behind", "wearing", "has", "holding"]) expect(predicates).toContain(p);
  });

  it("leaves out objects hidden more than about 60% by later ones", () => {
    for (const sc of scenes.slice(0, 80)) {
      sc.objects.forEach((o, i) => {
        let painted = 0;
        let hidden = 0;
        for (let y = o.box[1] + 0.5; y < o.box[3]; y++) {
          for (let x = o.box[0] + 0.5; x < o.box[2]; x++) {
            if (!o.prims.some((p) => primContains(p, x, y))) continue;
            painted++;
            if (sc.objects.slice(i + 1).some((l) => l.prims.some((p) => primContains(p, x, y)))) hidden++;
          }
        }
        expect(painted).toBeGreaterThan(0);
        expect(hidden / painted, `${o.cls}.${i}`).toBeLessThanOrEqual(0.65);
      });
    }
  });

  it("draws only the requested classes", () => {
    const classes: ShapeClass[] = ["car", "tree", "person"];
    for (let i = 0; i < 50; i++) {
      const sc = layoutScene(createRng(i), { width: 320, height: 200, classes });
      for (const o of sc.objects) {
        expect(classes).toContain(o.cls);
        expect(o.box[2] <= 320 && o.box[3] <= 200).toBe(true);
      }
    }
    expect(() => layoutScene(createRng(1), { width: W, height: H, classes: ["hat", "window"] })).toThrow(/stand alone/);
  });

  it("is a function of the random stream", () => {
    const a = layoutScene(createRng(5), { width: W, height: H, classes: DRAWABLE_CLASSES });
    const b = layoutScene(createRng(5), { width: W, height: H, classes: DRAWABLE_CLASSES });
    const c = layoutScene(createRng(6), { width: W, height: H, classes: DRAWABLE_CLASSES });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });
});
