/**
 * Geometry and graph types of the scene-graph core.
 *
 * Box tuples are `[x1, y1, x2, y2]` with a top-left origin, x to the right and y down. The type name
 * says which space the numbers live in:
 * - `BoxPx`   pixels of the original image (ground truth, evaluation);
 * - `BoxNorm` fractions of the original image size, [0, 1] for boxes inside the image (rewards);
 * - `BoxModel` the model's own box space, described by a `BoxScale` (0..1000 grid for Qwen2-VL,
 *   resized-input pixels for Qwen2.5-VL);
 * - `BoxGrid1000` the 0..1000 grid itself (SFT targets, Qwen2-VL answers).
 */
export type BoxPx = readonly [number, number, number, number];
export type BoxNorm = readonly [number, number, number, number];
export type BoxModel = readonly [number, number, number, number];
/** The relative 0..1000 grid of Qwen2-VL answers and SFT targets: a `BoxModel` with scale [1000, 1000]. */
export type BoxGrid1000 = readonly [number, number, number, number];

/** `[sx, sy]`: the extent of the model's box space along x and y (`[1000, 1000]` for Qwen2-VL). */
export type BoxScale = readonly [number, number];

/** Original image size in pixels, `[width, height]`. */
export type ImageSizePx = readonly [number, number];

/** A ground-truth object: an opaque id `<class>.<n>` and a pixel box. */
export interface GtObject {
  readonly id: string;
  readonly bbox: BoxPx;
}

/** A ground-truth relationship between two object ids of the same image. */
export interface GtRelation {
  readonly subject: string;
  readonly predicate: string;
  readonly object: string;
}

/** The scene graph of one image, boxes in original pixels. */
export interface GtGraph {
  readonly objects: readonly GtObject[];
  readonly relationships: readonly GtRelation[];
}

/** A ground-truth record of an evaluation split. */
export interface GtRecord extends GtGraph {
  readonly image_id: string;
  readonly width: number;
  readonly height: number;
}

/** Dataset vocabulary family; selects class and predicate lists in the evaluation. */
export type DatasetType = "vg" | "psg";

/**
 * Compatibility flags that reproduce reference quirks (method.md h). All off by default.
 * - `r1sgg-head`: the format reward of the reference's HEAD commit (0 for any non-empty graph);
 * - `coco-id0`: COCO annotation ids start at 0, so the split's first object can never match;
 * - `psg-object-vocab`: the PSG gather maps object labels against the predicate list.
 */
export type CompatFlag = "r1sgg-head" | "coco-id0" | "psg-object-vocab";
export const COMPAT_FLAGS: readonly CompatFlag[] = ["r1sgg-head", "coco-id0", "psg-object-vocab"];
