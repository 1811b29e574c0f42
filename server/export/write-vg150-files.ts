import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import * as h5wasm from "h5wasm/node";
import type { SourceRecord } from "../ingest/source-record";
import { VG150_CORRUPTED_IMAGE_IDS } from "../ingest/readers/vg150-h5";
import { cat } from "../scene-graph/text";
import { getVocabulary } from "../scene-graph/vocab";
import { ExportError } from "./export-error";
import type { WriterOptions, WriterResult } from "./export-types";
import { imageExtension } from "./image-file-name";

export interface Vg150WriterOptions extends WriterOptions {
  /** The split's name: "test" is written as split 2, anything else as split 0 (train, which holds val). */
  readonly split: string;
  /**
   * Round boxes to whole units of the box scale, int32 like the release (a box moves by up to half a unit,
   * about 0.5 px at 1024 for a 1024 px image). Default: float64, which reads back to the same pixels.
   */
  readonly integerBoxes?: boolean;
  /**
   * Give images the ids 1, 2, 3, … in export order (skipping the four ids the loader drops) and write
   * `image_id_map.json` from new to original id. Needed when the image ids are not positive integers.
   */
  readonly renumberImages?: boolean;
}

export const VG150_FILES = {
  h5: "VG-SGG-with-attri.h5",
  dict: "VG-SGG-dicts-with-attri.json",
  imageData: "image_data.json",
  imageDir: "VG_100K",
  idMap: "image_id_map.json",
} as const;

const SCALES = [1024, 512] as const;

/** A growable column of numbers, turned into a typed array once at the end. */
class Column {
  values: number[] = [];
  push(...v: number[]) {
    for (const x of v) this.values.push(x);
  }
}

/**
 * Writes records as the original VG150 release (method.md a.3), laid out exactly as the `vg150-h5`
 * reader and Scene-Graph-Benchmark's loader read it:
 *
 * - `VG-SGG-with-attri.h5`: `boxes_1024` and `boxes_512` (centre-x, centre-y, width, height at the scale
 *   where the image's longer side is 1024 / 512; float64, or int32 with `integerBoxes`), `labels` int64
 *   [N,1], `attributes` int64 [N,10] (all 0: the workbench keeps no attributes), `relationships` int32
 *   [R,2] of global box indices, `predicates` int64 [R,1], `img_to_first_box`, `img_to_last_box`,
 *   `img_to_first_rel`, `img_to_last_rel` int32 (−1 when none) and `split` int32 (0 train, 2 test);
 * - `VG-SGG-dicts-with-attri.json`: the 150 classes and 50 predicates in the VG150 order, then any label
 *   or predicate outside the vocabulary the records use (with a warning);
 * - `image_data.json`: `image_id`, `width`, `height` per image in h5 row order;
 * - `VG_100K/<image_id>.jpg`: each picture's bytes unchanged.
 *
 * Boxes come in as original-image pixels `[x1, y1, x2, y2]`. Object ids are not stored: the readers name
 * objects `<label>.<k>` with k the 1-based position in the image's box list, so ids change unless they
 * already follow that rule. A box without area cannot be written (its width or height would be 0).
 */
export async function writeVg150Files(records: AsyncIterable<SourceRecord>, o: Vg150WriterOptions): Promise<WriterResult> {
  await mkdir(o.dir, { recursive: true });
  const vocab = getVocabulary("vg");
  const labels = new Map<string, number>(vocab.classIds.map((id) => [vocab.className(id), id]));
  const predicates = new Map<string, number>(vocab.predicates.map((p) => [p, vocab.predicateId.get(p)!]));
  const extraLabels: string[] = [];
  const extraPredicates: string[] = [];
  const boxes = new Map<number, Column>(SCALES.map((s) => [s, new Column()]));
  const labelCol = new Column();
  const relCol = new Column();
  const predCol = new Column();
  const firstBox = new Column();
  const lastBox = new Column();
  const firstRel = new Column();
  const lastRel = new Column();
  const imageData: { width: number; height: number; image_id: number; url: null; coco_id: null; flickr_id: null }[] = [];
  const idMap: Record<string, string> = {};
  const seenIds = new Set<number>();
  let nextId = 1;
  let pictures = 0;
  let notJpeg = 0;
  let empty = 0;

  for await (const r of records) {
    let imageId: number;
    if (o.renumberImages) {
      while (VG150_CORRUPTED_IMAGE_IDS.has(nextId)) nextId++;
      imageId = nextId++;
      idMap[String(imageId)] = r.imageId;
    } else {
      imageId = Number(r.imageId);
      if (!/^[1-9]\d*$/.test(r.imageId) || !Number.isSafeInteger(imageId)) {
        throw new ExportError(`image "${r.imageId}": VG150 image ids are positive integers; export with renumbered images to write this split`);
      }
      if (VG150_CORRUPTED_IMAGE_IDS.has(imageId)) {
        throw new ExportError(`image ${imageId}: the VG150 loaders skip this id (one of the four corrupted images); export with renumbered images`);
      }
    }
    if (seenIds.has(imageId)) throw new ExportError(`image id ${imageId} appears twice`);
    seenIds.add(imageId);
    imageData.push({ width: r.width, height: r.height, image_id: imageId, url: null, coco_id: null, flickr_id: null });

    const base = labelCol.values.length;
    const firstIndex = new Map<string, number>();
    r.objects.forEach((ob, k) => {
      const [x1, y1, x2, y2] = ob.bbox;
      if (!(x2 > x1 && y2 > y1)) throw new ExportError(`image "${r.imageId}", object "${ob.id}": box [${ob.bbox.join(", ")}] has no area, which VG150 (centre and size) cannot hold`);
      for (const scale of SCALES) {
        const f = Math.max(r.width, r.height) / scale;
        const v = [(x1 + x2) / 2 / f, (y1 + y2) / 2 / f, (x2 - x1) / f, (y2 - y1) / f];
        boxes.get(scale)!.push(...(o.integerBoxes ? [Math.round(v[0]!), Math.round(v[1]!), Math.max(1, Math.round(v[2]!)), Math.max(1, Math.round(v[3]!))] : v));
      }
      const label = cat(ob.id);
      if (!labels.has(label)) {
        labels.set(label, labels.size + 1);
        extraLabels.push(label);
      }
      labelCol.push(labels.get(label)!);
      if (!firstIndex.has(ob.id)) firstIndex.set(ob.id, base + k);
    });
    const relBase = predCol.values.length;
    for (const x of r.relationships) {
      const s = firstIndex.get(x.subject);
      const t = firstIndex.get(x.object);
      if (s === undefined || t === undefined) throw new ExportError(`image "${r.imageId}": relation ${x.subject} ${x.predicate} ${x.object} names an object the image does not have`);
      if (!predicates.has(x.predicate)) {
        predicates.set(x.predicate, predicates.size + 1);
        extraPredicates.push(x.predicate);
      }
      relCol.push(s, t);
      predCol.push(predicates.get(x.predicate)!);
    }
    const nBoxes = r.objects.length;
    const nRels = r.relationships.length;
    firstBox.push(nBoxes ? base : -1);
    lastBox.push(nBoxes ? base + nBoxes - 1 : -1);
    firstRel.push(nRels ? relBase : -1);
    lastRel.push(nRels ? relBase + nRels - 1 : -1);
    if (!nBoxes || !nRels) empty++;

    const bytes = o.images ? await o.images(r.imageId) : undefined;
    if (bytes) {
      if (pictures === 0) await mkdir(path.join(o.dir, VG150_FILES.imageDir), { recursive: true });
      await writeFile(path.join(o.dir, VG150_FILES.imageDir, `${imageId}.jpg`), bytes);
      pictures++;
      if (imageExtension(bytes) !== "jpg") notJpeg++;
    }
    o.onProgress?.(imageData.length);
  }

  const n = imageData.length;
  const splitFlag = o.split === "test" ? 2 : 0;
  await writeH5(path.join(o.dir, VG150_FILES.h5), {
    boxes,
    integerBoxes: o.integerBoxes ?? false,
    labels: labelCol.values,
    relationships: relCol.values,
    predicates: predCol.values,
    index: { img_to_first_box: firstBox.values, img_to_last_box: lastBox.values, img_to_first_rel: firstRel.values, img_to_last_rel: lastRel.values, split: new Array<number>(n).fill(splitFlag) },
  });
  const table = (m: Map<string, number>) => ({
    idx: Object.fromEntries([...m].map(([name, i]) => [String(i), name])),
    toIdx: Object.fromEntries(m),
  });
  const l = table(labels);
  const p = table(predicates);
  const dict = { idx_to_label: l.idx, label_to_idx: l.toIdx, idx_to_predicate: p.idx, predicate_to_idx: p.toIdx, idx_to_attribute: {}, attribute_to_idx: {} };
  await writeFile(path.join(o.dir, VG150_FILES.dict), `${JSON.stringify(dict, null, 1)}\n`);
  await writeFile(path.join(o.dir, VG150_FILES.imageData), `${JSON.stringify(imageData, null, 1)}\n`);
  const files: string[] = [VG150_FILES.h5, VG150_FILES.dict, VG150_FILES.imageData];
  if (o.renumberImages) {
    await writeFile(path.join(o.dir, VG150_FILES.idMap), `${JSON.stringify(idMap, null, 1)}\n`);
    files.push(VG150_FILES.idMap);
  }

  const warnings: string[] = [];
  if (extraLabels.length) warnings.push(`labels outside the VG150 classes were added to the dictionary after index 150 (${extraLabels.join(", ")}); readers that expect the 150 classes refuse them`);
  if (extraPredicates.length) warnings.push(`predicates outside the VG150 predicates were added after index 50 (${extraPredicates.join(", ")}); readers that expect the 50 predicates refuse them`);
  if (empty) warnings.push(`${empty} image(s) have no boxes or no relations; Scene-Graph-Benchmark's loader, and the vg150-h5 reader unless told to keep them, skip such images`);
  if (splitFlag === 0) warnings.push(`all images are marked split 0 (train); the loaders take the first 5,000 of split 0 as val, so read this file as val (up to 5,000 images) or as train with a val size of 0`);
  if (notJpeg) warnings.push(`${notJpeg} picture(s) are not JPEG but are named <image_id>.jpg as the loaders expect`);
  return { files, images: n, pictures, objects: labelCol.values.length, relations: predCol.values.length, warnings };
}

interface H5Content {
  readonly boxes: ReadonlyMap<number, Column>;
  readonly integerBoxes: boolean;
  readonly labels: readonly number[];
  readonly relationships: readonly number[];
  readonly predicates: readonly number[];
  readonly index: Readonly<Record<string, readonly number[]>>;
}

async function writeH5(file: string, c: H5Content): Promise<void> {
  await h5wasm.ready;
  const f = new h5wasm.File(path.resolve(file), "w");
  try {
    const nBoxes = c.labels.length;
    for (const [scale, col] of c.boxes) {
      const data = c.integerBoxes ? Int32Array.from(col.values) : Float64Array.from(col.values);
      f.create_dataset({ name: `boxes_${scale}`, data, shape: [nBoxes, 4] });
    }
    f.create_dataset({ name: "labels", data: BigInt64Array.from(c.labels, BigInt), shape: [nBoxes, 1] });
    f.create_dataset({ name: "attributes", data: new BigInt64Array(nBoxes * 10), shape: [nBoxes, 10] });
    f.create_dataset({ name: "relationships", data: Int32Array.from(c.relationships), shape: [c.predicates.length, 2] });
    f.create_dataset({ name: "predicates", data: BigInt64Array.from(c.predicates, BigInt), shape: [c.predicates.length, 1] });
    for (const [name, values] of Object.entries(c.index)) f.create_dataset({ name, data: Int32Array.from(values) });
  } finally {
    f.close();
  }
}
