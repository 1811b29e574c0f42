import { mkdir, rename } from "node:fs/promises";
import path from "node:path";
import type { SchemaElement } from "hyparquet";
import { fileWriter, ParquetWriter } from "hyparquet-writer";
import type { SourceRecord } from "../ingest/source-record";
import type { WriterOptions, WriterResult } from "./export-types";
import { imageFileName } from "./image-file-name";

export interface HfParquetWriterOptions extends WriterOptions {
  /** Shard name prefix, the split's name: `data/<split>-00000-of-00002.parquet`. */
  readonly split: string;
  /** Images per row group (default 100: row groups carry the pictures, so they stay small). */
  readonly rowGroupSize?: number;
  /** A new shard is started once a shard holds this many bytes of pictures (default 500 MB). */
  readonly shardBytes?: number;
}

const text = (name: string): SchemaElement => ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" });
const int = (name: string): SchemaElement => ({ name, type: "INT32", repetition_type: "OPTIONAL" });

// The Hugging Face export's columns (method.md a.1), plus the size, so that an export without pictures
// still says how large each image is.
const SCHEMA: SchemaElement[] = [
  { name: "schema", num_children: 6 },
  text("image_id"),
  { name: "image", repetition_type: "OPTIONAL", num_children: 2 },
  { name: "bytes", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" },
  text("path"),
  int("width"),
  int("height"),
  text("objects"),
  text("relationships"),
];
const FEATURES = {
  image_id: { dtype: "string", _type: "Value" },
  image: { _type: "Image" },
  width: { dtype: "int32", _type: "Value" },
  height: { dtype: "int32", _type: "Value" },
  objects: { dtype: "string", _type: "Value" },
  relationships: { dtype: "string", _type: "Value" },
};

interface Row {
  image_id: string;
  image: { bytes: Uint8Array; path: string } | null;
  width: number;
  height: number;
  objects: string;
  relationships: string;
}

/**
 * Writes records as parquet shards laid out like the Hugging Face exports the `hf-parquet` reader reads:
 * one row per image with `image_id`, `image` (the HF Image struct `{bytes, path}`, the picture's bytes
 * unchanged, or null without a picture), `width`, `height`, and `objects` / `relationships` as JSON text
 * with boxes in original-image pixels. Shards go to `data/` and are named `<split>-NNNNN-of-MMMMM.parquet`
 * once all are written; snappy compression, pictures stored uncompressed.
 */
export async function writeHfParquet(records: AsyncIterable<SourceRecord>, o: HfParquetWriterOptions): Promise<WriterResult> {
  const dataDir = path.join(o.dir, "data");
  await mkdir(dataDir, { recursive: true });
  const groupSize = o.rowGroupSize ?? 100;
  const shardBytes = o.shardBytes ?? 500_000_000;
  const temps: string[] = [];
  const totals = { images: 0, pictures: 0, objects: 0, relations: 0 };
  let writer: ParquetWriter | undefined;
  let bytesInShard = 0;
  let bytesInGroup = 0;
  let rows: Row[] = [];

  const open = () => {
    const file = path.join(dataDir, `.shard-${temps.length}.tmp`);
    temps.push(file);
    writer = new ParquetWriter({
      writer: fileWriter(file),
      schema: SCHEMA,
      kvMetadata: [{ key: "huggingface", value: JSON.stringify({ info: { features: FEATURES } }) }],
    });
    bytesInShard = 0;
  };
  const flush = async () => {
    if (rows.length === 0) return;
    if (!writer) open();
    const column = (name: keyof Row) => rows.map((r) => r[name]);
    await writer!.write({
      columnData: [
        { name: "image_id", data: column("image_id") },
        // Pictures are compressed already, and their min/max statistics would copy them into the footer.
        { name: "image", data: column("image"), codec: "UNCOMPRESSED", statistics: false },
        { name: "width", data: column("width") },
        { name: "height", data: column("height") },
        { name: "objects", data: column("objects"), statistics: false },
        { name: "relationships", data: column("relationships"), statistics: false },
      ],
      rowGroupSize: rows.length,
    });
    rows = [];
    bytesInShard += bytesInGroup;
    bytesInGroup = 0;
    if (bytesInShard >= shardBytes) {
      writer!.finish();
      writer = undefined;
    }
  };

  for await (const r of records) {
    const bytes = o.images ? await o.images(r.imageId) : undefined;
    rows.push({
      image_id: r.imageId,
      image: bytes ? { bytes, path: imageFileName(r.imageId, bytes) } : null,
      width: r.width,
      height: r.height,
      objects: JSON.stringify(r.objects.map((x) => ({ id: x.id, bbox: x.bbox }))),
      relationships: JSON.stringify(r.relationships.map((x) => ({ subject: x.subject, predicate: x.predicate, object: x.object }))),
    });
    if (bytes) {
      bytesInGroup += bytes.length;
      totals.pictures++;
    }
    totals.images++;
    totals.objects += r.objects.length;
    totals.relations += r.relationships.length;
    if (rows.length >= groupSize) await flush();
    o.onProgress?.(totals.images);
  }
  await flush();
  if (!writer && temps.length === 0) open();
  writer?.finish();

  const files: string[] = [];
  const width = Math.max(5, String(temps.length).length);
  for (let i = 0; i < temps.length; i++) {
    const name = `${o.split.replace(/[^A-Za-z0-9_-]/g, "_")}-${String(i).padStart(width, "0")}-of-${String(temps.length).padStart(width, "0")}.parquet`;
    await rename(temps[i]!, path.join(dataDir, name));
    files.push(`data/${name}`);
  }
  return { files, ...totals, warnings: [] };
}
