import { writeFileSync } from "node:fs";
import type { CompressionCodec, SchemaElement } from "hyparquet";
import { ByteWriter, parquetWrite } from "hyparquet-writer";

/** One row of a Hugging Face export shard (method.md a.1 / a.2), as `datasets` writes it. */
export interface HfShardRow {
  readonly image_id: string;
  /** The HF Image feature. */
  readonly image: { readonly bytes: Uint8Array | null; readonly path: string | null } | null;
  readonly prompt_open?: string;
  readonly prompt_close?: string;
  /** JSON text. */
  readonly objects: string;
  /** JSON text. */
  readonly relationships: string;
}

export interface HfShardOptions {
  readonly codec?: CompressionCodec;
  /** Compressors for codecs other than SNAPPY (hyparquet-writer ships none). */
  readonly compressors?: Partial<Record<CompressionCodec, (input: Uint8Array) => Uint8Array>>;
  readonly rowGroupSize?: number;
  /** Write the two prompt columns (VG150 exports have them, PSG exports do not). */
  readonly prompts?: boolean;
}

const text = (name: string): SchemaElement => ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" });

/**
 * Writes a parquet shard laid out like the Hugging Face exports: the `image` column is the HF Image
 * struct `{bytes: binary, path: string}`, the graph fields are UTF-8 text. For tests and fixtures.
 */
export function hfShardBytes(rows: readonly HfShardRow[], options: HfShardOptions = {}): Uint8Array {
  const prompts = options.prompts ?? true;
  const columns = ["image_id", "image", ...(prompts ? ["prompt_open", "prompt_close"] : []), "objects", "relationships"];
  const schema: SchemaElement[] = [{ name: "schema", num_children: columns.length }, text("image_id")];
  schema.push({ name: "image", repetition_type: "OPTIONAL", num_children: 2 });
  schema.push({ name: "bytes", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" }, text("path"));
  if (prompts) schema.push(text("prompt_open"), text("prompt_close"));
  schema.push(text("objects"), text("relationships"));
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    schema,
    columnData: columns.map((name) => ({ name, data: rows.map((r) => (r as unknown as Record<string, unknown>)[name] ?? null) })),
    codec: options.codec ?? "SNAPPY",
    compressors: options.compressors,
    rowGroupSize: options.rowGroupSize ?? 100,
    kvMetadata: [{ key: "huggingface", value: JSON.stringify({ info: { features: { image: { _type: "Image" } } } }) }],
  });
  return writer.getBytes();
}

export function writeHfShard(file: string, rows: readonly HfShardRow[], options: HfShardOptions = {}): void {
  writeFileSync(file, hfShardBytes(rows, options));
}
