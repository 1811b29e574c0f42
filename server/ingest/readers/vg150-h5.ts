import { open, readFile } from "node:fs/promises";
import path from "node:path";
import * as h5wasm from "h5wasm/node";
import type { BoxPx, GtObject, GtRelation } from "../../scene-graph/types";
import { DatasetFileError, type SourceInfo, type SourceRecord } from "../source-record";
import { finishRecord, imageSizeOrFail, sourceInfo } from "./common";

export type Vg150Split = "train" | "val" | "test";

export interface Vg150H5Options {
  /** `VG-SGG-with-attri.h5` */
  readonly h5File: string;
  /** `VG-SGG-dicts-with-attri.json` */
  readonly dictFile: string;
  /** `image_data.json` */
  readonly imageDataFile: string;
  /** Folder of `<image_id>.jpg`; required when `withImages`. */
  readonly imageDir?: string;
  readonly split: Vg150Split;
  readonly withImages: boolean;
  /** Size of the validation split cut from the front of the eligible train images (default 5,000). */
  readonly valSize?: number;
  /**
   * Which `boxes_<N>` dataset to read. Default: `boxes_1024` when present, else the largest scale the
   * file has.
   */
  readonly boxScale?: number;
  /**
   * Keep images without boxes or without relations. Scene-Graph-Benchmark drops them from every split
   * (and the 5,000 validation images are counted after dropping); default false.
   */
  readonly keepEmpty?: boolean;
}

/** The four images the Scene-Graph-Benchmark loader skips, after which image_data aligns with the h5 rows. */
export const VG150_CORRUPTED_IMAGE_IDS: ReadonlySet<number> = new Set([1592, 1722, 4616, 4617]);
export const VG150_VAL_SIZE = 5000;

export function vg150H5Info(): SourceInfo {
  return sourceInfo("vg", "vg150-h5");
}

interface ImageEntry {
  readonly imageId: number;
  readonly width: number;
  readonly height: number;
}

/** Images per batch of h5 slice reads; bounds the memory for the boxes and relations of one batch. */
const BATCH = 2000;

/**
 * Reads the original VG150 release (method.md a.3) the way Scene-Graph-Benchmark's loader does: split 0
 * is train (minus the first `valSize` eligible images, which are val), split 2 is test; boxes are
 * converted from (cx, cy, w, h) at the file's box scale to `[x1, y1, x2, y2]` original pixels,
 * `x1 = cx − w/2, y1 = cy − h/2, x2 = x1 + w, y2 = y1 + h`, each times `max(width, height) / scale`;
 * object ids are `<label>.<k>`, k = 1..n in box order. Records come in h5 order; errors name the file and
 * `row N, image_id X` (N the 0-based h5 image row).
 */
export async function* readVg150H5(options: Vg150H5Options): AsyncGenerator<SourceRecord> {
  if (options.withImages && !options.imageDir) throw new DatasetFileError(options.h5File, undefined, "images were asked for but no image folder was given");
  const dict = await readDict(options.dictFile);
  const images = await readImageData(options.imageDataFile);
  await checkHdf5File(options.h5File);
  await h5wasm.ready;

  const { h5File } = options;
  let f: h5wasm.File;
  try {
    f = new h5wasm.File(h5File, "r");
  } catch (e) {
    throw new DatasetFileError(h5File, undefined, `not a readable HDF5 file: ${(e as Error).message}`);
  }
  try {
    const keys = new Set(f.keys());
    const read = (name: string, ranges?: [number, number][]): ArrayLike<number | bigint> => {
      if (!keys.has(name)) throw new DatasetFileError(h5File, undefined, `no "${name}" dataset (datasets: ${[...keys].join(", ")})`);
      try {
        const ds = f.get(name) as h5wasm.Dataset;
        const v = ranges ? ds.slice(ranges) : ds.value;
        if (!v || typeof v !== "object" || !("length" in v)) throw new Error("not a numeric array");
        return v as ArrayLike<number | bigint>;
      } catch (e) {
        if (e instanceof DatasetFileError) throw e;
        throw new DatasetFileError(h5File, undefined, `cannot read dataset "${name}": ${(e as Error).message}`);
      }
    };
    const ints = (name: string): Int32Array => Int32Array.from(read(name), Number);

    const split = ints("split");
    const firstBox = ints("img_to_first_box");
    const lastBox = ints("img_to_last_box");
    const firstRel = ints("img_to_first_rel");
    const lastRel = ints("img_to_last_rel");
    const n = split.length;
    for (const [name, a] of [["img_to_first_box", firstBox], ["img_to_last_box", lastBox], ["img_to_first_rel", firstRel], ["img_to_last_rel", lastRel]] as const) {
      if (a.length !== n) throw new DatasetFileError(h5File, undefined, `"${name}" has ${a.length} entries, "split" has ${n}`);
    }
    if (images.length !== n) {
      throw new DatasetFileError(options.imageDataFile, undefined, `${images.length} images after skipping the corrupted ones, but the h5 file has ${n}`);
    }
    const scale = chooseBoxScale(keys, options.boxScale, h5File);
    const boxesName = `boxes_${scale}`;

    const selected = selectRows(options, split, firstBox, firstRel);
    for (let s = 0; s < selected.length; s += BATCH) {
      const rows = selected.slice(s, s + BATCH);
      const span = (first: Int32Array, last: Int32Array): [number, number] | undefined => {
        let lo = Infinity;
        let hi = -Infinity;
        for (const r of rows) {
          if (first[r]! < 0) continue;
          lo = Math.min(lo, first[r]!);
          hi = Math.max(hi, last[r]!);
        }
        return lo <= hi ? [lo, hi + 1] : undefined;
      };
      const boxSpan = span(firstBox, lastBox);
      const relSpan = span(firstRel, lastRel);
      const boxes = boxSpan ? read(boxesName, [boxSpan]) : [];
      const labels = boxSpan ? read("labels", [boxSpan]) : [];
      const rels = relSpan ? read("relationships", [relSpan]) : [];
      const preds = relSpan ? read("predicates", [relSpan]) : [];
      for (const row of rows) {
        const img = images[row]!;
        const where = `row ${row}, image_id ${img.imageId}`;
        const fail = (detail: string): never => {
          throw new DatasetFileError(h5File, where, detail);
        };
        const objects: GtObject[] = [];
        const b0 = firstBox[row]!;
        const nBoxes = b0 < 0 ? 0 : lastBox[row]! - b0 + 1;
        const factor = Math.max(img.width, img.height) / scale;
        for (let k = 0; k < nBoxes; k++) {
          const g = b0 + k - boxSpan![0];
          const [cx, cy, w, h] = [0, 1, 2, 3].map((c) => Number(boxes[g * 4 + c]));
          if (!(w! > 0 && h! > 0)) fail(`box ${b0 + k} (${cx}, ${cy}, ${w}, ${h}) has no area`);
          const label = dict.labels.get(Number(labels[g]));
          if (label === undefined) fail(`box ${b0 + k} has label ${labels[g]}, which is not in the dictionary`);
          const x1 = cx! - w! / 2;
          const y1 = cy! - h! / 2;
          const bbox: BoxPx = [x1 * factor, y1 * factor, (x1 + w!) * factor, (y1 + h!) * factor];
          objects.push({ id: `${label}.${k + 1}`, bbox });
        }
        const relationships: GtRelation[] = [];
        const r0 = firstRel[row]!;
        const nRels = r0 < 0 ? 0 : lastRel[row]! - r0 + 1;
        for (let k = 0; k < nRels; k++) {
          const g = r0 + k - relSpan![0];
          const sub = Number(rels[g * 2]) - b0;
          const obj = Number(rels[g * 2 + 1]) - b0;
          if (!(sub >= 0 && sub < nBoxes && obj >= 0 && obj < nBoxes)) {
            fail(`relation ${r0 + k} joins boxes ${rels[g * 2]} and ${rels[g * 2 + 1]}, outside this image's boxes ${b0}–${b0 + nBoxes - 1}`);
          }
          const predicate = dict.predicates.get(Number(preds[g]));
          if (predicate === undefined) fail(`relation ${r0 + k} has predicate ${preds[g]}, which is not in the dictionary`);
          relationships.push({ subject: objects[sub]!.id, predicate: predicate!, object: objects[obj]!.id });
        }
        let imageBytes: Uint8Array | undefined;
        if (options.withImages) {
          const imageFile = path.join(options.imageDir!, `${img.imageId}.jpg`);
          try {
            imageBytes = new Uint8Array(await readFile(imageFile));
          } catch {
            throw new DatasetFileError(imageFile, where, `image ${img.imageId}.jpg is missing from ${options.imageDir}`);
          }
          await imageSizeOrFail(imageBytes, imageFile, where);
        }
        yield finishRecord(
          {
            imageId: String(img.imageId),
            split: options.split,
            width: img.width,
            height: img.height,
            objects,
            relationships,
            imageBytes,
            origin: `${h5File}#${row}`,
          },
          "vg",
        );
      }
    }
  } finally {
    f.close();
  }
}

/** The h5 rows of a split, in order (Scene-Graph-Benchmark `load_graphs`). */
function selectRows(options: Vg150H5Options, split: Int32Array, firstBox: Int32Array, firstRel: Int32Array): number[] {
  const flag = options.split === "test" ? 2 : 0;
  const eligible: number[] = [];
  for (let i = 0; i < split.length; i++) {
    if (split[i] !== flag) continue;
    if (!options.keepEmpty && (firstBox[i]! < 0 || firstRel[i]! < 0)) continue;
    eligible.push(i);
  }
  if (options.split === "test") return eligible;
  const valSize = options.valSize ?? VG150_VAL_SIZE;
  return options.split === "val" ? eligible.slice(0, valSize) : eligible.slice(valSize);
}

function chooseBoxScale(keys: ReadonlySet<string>, wanted: number | undefined, file: string): number {
  const scales = [...keys].flatMap((k) => (/^boxes_(\d+)$/.exec(k) ? [Number(k.slice(6))] : [])).filter((s) => s > 0);
  if (wanted !== undefined) {
    if (!scales.includes(wanted)) throw new DatasetFileError(file, undefined, `no "boxes_${wanted}" dataset (scales present: ${scales.join(", ") || "none"})`);
    return wanted;
  }
  if (scales.length === 0) throw new DatasetFileError(file, undefined, 'no "boxes_<scale>" dataset');
  return scales.includes(1024) ? 1024 : Math.max(...scales);
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new DatasetFileError(file, undefined, `cannot read the file: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DatasetFileError(file, undefined, `not JSON: ${(e as Error).message}`);
  }
}

async function readDict(file: string): Promise<{ labels: Map<number, string>; predicates: Map<number, string> }> {
  const raw = (await readJson(file)) as Record<string, unknown> | null;
  const table = (key: string): Map<number, string> => {
    const t = raw?.[key];
    if (typeof t !== "object" || t === null) throw new DatasetFileError(file, undefined, `no "${key}" table`);
    const m = new Map<number, string>();
    for (const [k, v] of Object.entries(t)) {
      if (!/^\d+$/.test(k) || typeof v !== "string") throw new DatasetFileError(file, undefined, `${key}: entry "${k}" is not index → name`);
      m.set(Number(k), v);
    }
    return m;
  };
  return { labels: table("idx_to_label"), predicates: table("idx_to_predicate") };
}

async function readImageData(file: string): Promise<ImageEntry[]> {
  const raw = await readJson(file);
  if (!Array.isArray(raw)) throw new DatasetFileError(file, undefined, "not an array of images");
  const out: ImageEntry[] = [];
  raw.forEach((e: unknown, i) => {
    const o = e as { image_id?: unknown; width?: unknown; height?: unknown } | null;
    const ok = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0;
    if (!o || !ok(o.image_id) || !ok(o.width) || !ok(o.height)) {
      throw new DatasetFileError(file, `entry ${i}`, "needs positive integer image_id, width and height");
    }
    if (!VG150_CORRUPTED_IMAGE_IDS.has(o.image_id)) out.push({ imageId: o.image_id, width: o.width, height: o.height });
  });
  return out;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Checks the HDF5 signature and that the file is as long as its superblock says, so that a truncated
 * download is reported plainly instead of through the library's error stack.
 */
async function checkHdf5File(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (e) {
    throw new DatasetFileError(file, undefined, `cannot read the file: ${(e as Error).message}`);
  }
  try {
    const size = (await handle.stat()).size;
    // The superblock sits at 0, 512, 1024, 2048, ... (after an optional user block).
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      const buf = Buffer.alloc(Math.min(128, size - at));
      await handle.read(buf, 0, buf.length, at);
      if (!HDF5_SIGNATURE.every((b, i) => buf[i] === b)) continue;
      const version = buf[8]!;
      const sizeOfOffsets = version <= 1 ? buf[13]! : buf[9]!;
      const baseAt = version === 0 ? 24 : version === 1 ? 28 : 12;
      const eofAt = baseAt + 2 * sizeOfOffsets;
      if (sizeOfOffsets !== 8 || buf.length < eofAt + 8) return; // unusual layout: leave it to the library
      const base = buf.readBigUInt64LE(baseAt);
      const eof = buf.readBigUInt64LE(eofAt);
      if (eof !== 0xffffffffffffffffn && BigInt(size) < base + eof) {
        throw new DatasetFileError(file, undefined, `truncated HDF5 file: ${size} bytes, the superblock says ${base + eof}`);
      }
      return;
    }
    throw new DatasetFileError(file, undefined, "not an HDF5 file (no signature)");
  } finally {
    await handle.close();
  }
}
