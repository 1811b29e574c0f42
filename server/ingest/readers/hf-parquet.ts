import { readFile } from "node:fs/promises";
import path from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import type { DatasetType } from "../../scene-graph/types";
import { DatasetFileError, type SourceInfo, type SourceRecord } from "../source-record";
import { finishRecord, imageSizeOrFail, parseGraphFields, recordLabel, sourceInfo } from "./common";

export interface HfParquetOptions {
  readonly datasetType: DatasetType;
  /** Split name given to every record ("train", "val", "test"); the exports hold one split per dataset. */
  readonly split: string;
  /** Keep the encoded image on each record (`imageBytes`). The size is read from the image either way. */
  readonly withImages: boolean;
}

export function hfParquetInfo(datasetType: DatasetType): SourceInfo {
  return sourceInfo(datasetType, "hf-parquet");
}

/**
 * Reads the Hugging Face exports of method.md a.1 (VG150) and a.2 (PSG): parquet shards with one row per
 * image, `image_id`, `image` (the HF Image feature, a struct `{bytes, path}`), `objects` and
 * `relationships` as JSON text, boxes in original pixels. Shards may be snappy or zstd compressed.
 *
 * Records are yielded one row group at a time, in file order; only the columns needed are read, and the
 * image bytes kept on a record are copied out of the row group's buffers, so a shard is never held in
 * memory whole. The original size comes from the image header (also when `withImages` is false), or from
 * `width`/`height` columns where a shard has them and the image carries no bytes.
 *
 * Errors are `DatasetFileError`s naming the shard and, for a bad row, `row N, image_id X` (N is the
 * 0-based row index within the shard).
 */
export async function* readHfParquet(files: readonly string[], options: HfParquetOptions): AsyncGenerator<SourceRecord> {
  for (const file of files) yield* readShard(file, options);
}

async function openShard(file: string): Promise<{ buffer: AsyncBuffer; metadata: FileMetaData }> {
  let buffer: AsyncBuffer;
  try {
    buffer = await asyncBufferFromFile(file);
  } catch (e) {
    throw new DatasetFileError(file, undefined, `cannot read the file: ${(e as Error).message}`);
  }
  try {
    if (buffer.byteLength < 12) throw new Error(`only ${buffer.byteLength} bytes`);
    const head = new Uint8Array(await buffer.slice(0, 4));
    if (String.fromCharCode(...head) !== "PAR1") throw new Error("no PAR1 magic at the start");
    return { buffer, metadata: await parquetMetadataAsync(buffer) };
  } catch (e) {
    throw new DatasetFileError(file, undefined, `not a parquet file or truncated footer: ${(e as Error).message}`);
  }
}

async function* readShard(file: string, options: HfParquetOptions): AsyncGenerator<SourceRecord> {
  const { buffer, metadata } = await openShard(file);
  const columnNames = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
  for (const required of ["image_id", "objects", "relationships"]) {
    if (!columnNames.has(required)) throw new DatasetFileError(file, undefined, `no "${required}" column (columns: ${[...columnNames].join(", ")})`);
  }
  const hasSize = columnNames.has("width") && columnNames.has("height");
  const hasImage = columnNames.has("image");
  if (!hasImage && !hasSize) throw new DatasetFileError(file, undefined, 'neither an "image" column nor "width"/"height" columns: the image size is unknown');
  if (!hasImage && options.withImages) throw new DatasetFileError(file, undefined, 'no "image" column, but images were asked for');
  const columns = ["image_id", "objects", "relationships"];
  if (hasImage && (options.withImages || !hasSize)) columns.push("image");
  if (hasSize) columns.push("width", "height");

  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, columns, rowStart, rowEnd, compressors, utf8: false });
    } catch (e) {
      throw new DatasetFileError(file, `rows ${rowStart}–${rowEnd - 1}`, `cannot decode the row group: ${(e as Error).message}`);
    }
    for (let i = 0; i < rows.length; i++) yield await toRecord(rows[i]!, rowStart + i, file, options);
    rowStart = rowEnd;
  }
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return undefined;
}

async function toRecord(row: Record<string, unknown>, index: number, file: string, options: HfParquetOptions): Promise<SourceRecord> {
  const imageId = text(row.image_id);
  const where = recordLabel(index, imageId);
  const fail = (detail: string): never => {
    throw new DatasetFileError(file, where, detail);
  };
  if (!imageId) fail("image_id is missing");
  const graph = parseGraphFields(row.objects, row.relationships, fail);

  let bytes: Uint8Array | undefined;
  if ("image" in row) bytes = await imageBytesOf(row.image, file, fail);
  let size: { width: number; height: number };
  if (bytes) size = await imageSizeOrFail(bytes, file, where);
  else if ("width" in row) size = { width: Number(row.width), height: Number(row.height) };
  else fail("the image has no bytes and the shard has no width/height columns");

  return finishRecord(
    {
      imageId: imageId!,
      split: options.split,
      width: size!.width,
      height: size!.height,
      objects: graph.objects,
      relationships: graph.relationships,
      // A copy: the decoded value is a view into the row group's page buffer.
      imageBytes: options.withImages ? bytes?.slice() : undefined,
      origin: `${file}#${index}`,
    },
    options.datasetType,
  );
}

/**
 * The bytes of an HF Image value: `{bytes, path}` with embedded bytes (what `push_to_hub` writes), or a
 * path relative to the shard's folder when the bytes are null, or a plain binary column.
 */
async function imageBytesOf(value: unknown, file: string, fail: (detail: string) => never): Promise<Uint8Array | undefined> {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Uint8Array) return value;
  if (typeof value !== "object") fail("image is neither a {bytes, path} struct nor binary");
  const { bytes, path: p } = value as { bytes?: unknown; path?: unknown };
  if (bytes instanceof Uint8Array && bytes.length > 0) return bytes;
  if (typeof bytes === "string" && bytes.length > 0) fail("image.bytes is text, not binary");
  if (typeof p === "string" && p !== "") {
    const full = path.resolve(path.dirname(file), p);
    try {
      return new Uint8Array(await readFile(full));
    } catch {
      fail(`image has no bytes and its path "${p}" is not a readable file next to the shard`);
    }
  }
  return undefined;
}
