import sharp from "sharp";
import { parsePyJson, type PyValue } from "../../scene-graph/py-json";
import type { BoxPx, DatasetType, GtObject, GtRelation } from "../../scene-graph/types";
import { DatasetFileError, type SourceInfo, type SourceRecord } from "../source-record";
import { validateSourceRecord } from "../validate-record";

/** Where a record sits, for error messages: `row N, image_id X`. */
export function recordLabel(row: number | undefined, imageId: string | undefined): string {
  const parts: string[] = [];
  if (row !== undefined) parts.push(`row ${row}`);
  if (imageId !== undefined) parts.push(`image_id ${imageId}`);
  return parts.join(", ");
}

/**
 * The `objects` or `relationships` field of a record: JSON text (the Hugging Face export) or an already
 * parsed array (the project's JSONL). Text follows Python's `json.loads`, like the reference.
 */
function fieldArray(value: unknown, field: string, fail: (detail: string) => never): unknown[] {
  let v: unknown = value;
  if (v instanceof Uint8Array) v = new TextDecoder("utf-8", { fatal: true }).decode(v);
  if (typeof v === "string") {
    const parsed = parsePyJson(v);
    if (!parsed.ok) fail(`${field} is not JSON: ${parsed.error.message} at line ${parsed.error.line}, column ${parsed.error.column}`);
    v = parsed.value as PyValue;
  }
  if (v === null || v === undefined) fail(`${field} is missing`);
  if (!Array.isArray(v)) fail(`${field} is not an array`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Parses the two graph fields into typed objects and relations. Checks the shapes the schemas cannot
 * see once the values are typed: a box is four finite numbers with x1 ≤ x2 and y1 ≤ y2, ids and names
 * are strings. Vocabulary and dangling relations are checked by `validateSourceRecord`.
 */
export function parseGraphFields(
  objectsField: unknown,
  relationshipsField: unknown,
  fail: (detail: string) => never,
): { objects: GtObject[]; relationships: GtRelation[] } {
  const objects = fieldArray(objectsField, "objects", fail).map((o, i): GtObject => {
    if (!isObject(o)) fail(`objects[${i}] is not an object`);
    if (typeof o.id !== "string" || o.id === "") fail(`objects[${i}].id is not a non-empty string`);
    const b = o.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every((x) => typeof x === "number" && Number.isFinite(x))) {
      fail(`objects[${i}] "${o.id}": bbox ${JSON.stringify(b)} is not four finite numbers`);
    }
    const box = b as number[];
    if (box[0]! > box[2]! || box[1]! > box[3]!) fail(`objects[${i}] "${o.id}": bbox ${JSON.stringify(b)} has x2 < x1 or y2 < y1`);
    return { id: o.id, bbox: [box[0]!, box[1]!, box[2]!, box[3]!] as BoxPx };
  });
  const relationships = fieldArray(relationshipsField, "relationships", fail).map((r, i): GtRelation => {
    if (!isObject(r)) fail(`relationships[${i}] is not an object`);
    for (const k of ["subject", "predicate", "object"] as const) {
      if (typeof r[k] !== "string") fail(`relationships[${i}].${k} is not a string`);
    }
    return { subject: r.subject as string, predicate: r.predicate as string, object: r.object as string };
  });
  return { objects, relationships };
}

/**
 * Pixel size of an encoded image from its header (no full decode). EXIF orientation is not applied:
 * the stored width and height are the "original size" the boxes refer to, as PIL reports it.
 */
export async function imageSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes).metadata();
  if (!meta.width || !meta.height) throw new Error(`image header has no size (format ${meta.format ?? "unknown"})`);
  return { width: meta.width, height: meta.height };
}

/** `imageSize`, with a failure reported as a `DatasetFileError` for the record. */
export async function imageSizeOrFail(bytes: Uint8Array, file: string, where: string): Promise<{ width: number; height: number }> {
  try {
    return await imageSize(bytes);
  } catch (e) {
    throw new DatasetFileError(file, where, `image does not decode: ${(e as Error).message}`);
  }
}

/** Builds the record and applies the ingest rules of method.md a.1 (throws `DatasetFileError`). */
export function finishRecord(r: SourceRecord, type: DatasetType): SourceRecord {
  validateSourceRecord(r, type);
  return r;
}

const VG_ATTRIBUTION =
  "Visual Genome (Krishna et al., IJCV 2017), CC BY 4.0, https://visualgenome.org; VG150 split of Xu et al. (CVPR 2017) " +
  "as prepared by Scene-Graph-Benchmark.pytorch (KaihuaTang, MIT)";
const PSG_ATTRIBUTION =
  "Panoptic Scene Graph dataset (Yang et al., ECCV 2022; Jingkang50/OpenPSG, MIT) on COCO images (Lin et al., ECCV 2014)";

/** What each reader tells about its dataset before the first record. */
export function sourceInfo(datasetType: DatasetType, format: "hf-parquet" | "vg150-h5" | "records-jsonl"): SourceInfo {
  let attribution = datasetType === "vg" ? VG_ATTRIBUTION : PSG_ATTRIBUTION;
  if (format === "hf-parquet") {
    attribution += datasetType === "vg"
      ? "; Hugging Face export JosephZ/vg150_*_sgg_prompt (R1-SGG)"
      : "; Hugging Face export JosephZ/psg_*_sg (R1-SGG)";
  }
  return { datasetType, format, attribution };
}
