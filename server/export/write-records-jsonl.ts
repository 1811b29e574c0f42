import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SourceRecord } from "../ingest/source-record";
import { ExportError } from "./export-error";
import type { WriterOptions, WriterResult } from "./export-types";
import { imageFileName } from "./image-file-name";
import { recordLine } from "./record-line";

export const RECORDS_FILE = "records.jsonl";
export const RECORD_IMAGES_DIR = "images";

/**
 * Writes records as the project's JSON-lines format into `dir`: `records.jsonl` (one image per line, in
 * the order given; boxes in original-image pixels) and each picture under `images/`, its bytes unchanged.
 * `sgg ingest records --file <dir>/records.jsonl` reads it back.
 */
export async function writeRecordsJsonl(records: AsyncIterable<SourceRecord>, o: WriterOptions): Promise<WriterResult> {
  await mkdir(o.dir, { recursive: true });
  const stream = createWriteStream(path.join(o.dir, RECORDS_FILE), { encoding: "utf8" });
  const names = new Set<string>();
  const totals = { images: 0, pictures: 0, objects: 0, relations: 0 };
  try {
    for await (const r of records) {
      let imagePath: string | undefined;
      const bytes = o.images ? await o.images(r.imageId) : undefined;
      if (bytes) {
        const name = imageFileName(r.imageId, bytes);
        if (names.has(name)) throw new ExportError(`two images would be written as ${RECORD_IMAGES_DIR}/${name}`);
        names.add(name);
        if (totals.pictures === 0) await mkdir(path.join(o.dir, RECORD_IMAGES_DIR), { recursive: true });
        await writeFile(path.join(o.dir, RECORD_IMAGES_DIR, name), bytes);
        imagePath = `${RECORD_IMAGES_DIR}/${name}`;
        totals.pictures++;
      }
      if (!stream.write(`${recordLine(r, imagePath)}\n`)) await once(stream, "drain");
      totals.images++;
      totals.objects += r.objects.length;
      totals.relations += r.relationships.length;
      o.onProgress?.(totals.images);
    }
    stream.end();
    await once(stream, "finish");
  } catch (e) {
    stream.destroy();
    throw e;
  }
  return { files: [RECORDS_FILE], ...totals, warnings: [] };
}
