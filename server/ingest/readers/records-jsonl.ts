import { createReadStream } from "node:fs";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import type { DatasetType } from "../../scene-graph/types";
import { DatasetFileError, type SourceInfo, type SourceRecord } from "../source-record";
import { finishRecord, imageSizeOrFail, parseGraphFields, recordLabel, sourceInfo } from "./common";

export interface RecordsJsonlOptions {
  readonly datasetType: DatasetType;
  /** Split name given to the records; lines that carry a different `split` field are skipped. */
  readonly split: string;
  /** Keep the encoded image on each record (`imageBytes`). */
  readonly withImages: boolean;
}

export function recordsJsonlInfo(datasetType: DatasetType): SourceInfo {
  return sourceInfo(datasetType, "records-jsonl");
}

/**
 * Reads the project's own shipping format: a JSON-lines file, one image per line,
 *
 *     {"image_id": "42", "width": 640, "height": 480,
 *      "objects": [{"id": "man.1", "bbox": [x1, y1, x2, y2]}, ...] (or the same as JSON text),
 *      "relationships": [{"subject": "man.1", "predicate": "on", "object": "horse.2"}, ...] (or JSON text),
 *      "image": "images/42.jpg", "split": "val"}
 *
 * with boxes in original pixels and the image path relative to the JSONL file's folder (it may not leave
 * it). `width`/`height` may be left out when the image is there: they are then read from its header.
 * `split` is optional. Lines are streamed; errors name the file and `row N, image_id X`, N the 1-based line.
 */
export async function* readRecordsJsonl(file: string, options: RecordsJsonlOptions): AsyncGenerator<SourceRecord> {
  try {
    await access(file);
  } catch {
    throw new DatasetFileError(file, undefined, "file not found or not readable");
  }
  const dir = path.dirname(path.resolve(file));
  const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line++;
      if (text.trim() === "") continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        throw new DatasetFileError(file, recordLabel(line, undefined), `not JSON: ${(e as Error).message}`);
      }
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new DatasetFileError(file, recordLabel(line, undefined), "not a JSON object");
      const rec = raw as Record<string, unknown>;
      if (rec.split !== undefined && rec.split !== options.split) continue;
      const imageId = typeof rec.image_id === "string" || typeof rec.image_id === "number" ? String(rec.image_id) : undefined;
      const where = recordLabel(line, imageId);
      const fail = (detail: string): never => {
        throw new DatasetFileError(file, where, detail);
      };
      if (!imageId) fail("image_id is missing or not a string");
      const graph = parseGraphFields(rec.objects, rec.relationships, fail);

      let imageFile: string | undefined;
      if (rec.image !== undefined && rec.image !== null) {
        if (typeof rec.image !== "string" || rec.image === "") fail("image is not a relative path");
        const resolved = path.resolve(dir, rec.image as string);
        const rel = path.relative(dir, resolved);
        if (path.isAbsolute(rec.image as string) || rel === ".." || rel.startsWith(`..${path.sep}`)) fail(`image "${rec.image}" is outside the file's folder`);
        imageFile = resolved;
      }
      const sizeGiven = rec.width !== undefined || rec.height !== undefined;
      if (sizeGiven && !(isPositive(rec.width) && isPositive(rec.height))) fail(`width/height ${String(rec.width)}×${String(rec.height)} are not positive numbers`);
      let bytes: Uint8Array | undefined;
      if (imageFile && (options.withImages || !sizeGiven)) {
        try {
          bytes = new Uint8Array(await readFile(imageFile));
        } catch {
          fail(`image file "${rec.image}" is missing`);
        }
      } else if (options.withImages) {
        fail("the record has no image");
      }
      let width = rec.width as number;
      let height = rec.height as number;
      if (bytes) {
        const size = await imageSizeOrFail(bytes, file, where);
        if (!sizeGiven) ({ width, height } = size);
        else if (size.width !== width || size.height !== height) fail(`width/height ${width}×${height} differ from the image's ${size.width}×${size.height}`);
      } else if (!sizeGiven) {
        fail("no width/height and no image to read them from");
      }

      yield finishRecord(
        {
          imageId: imageId!,
          split: options.split,
          width,
          height,
          objects: graph.objects,
          relationships: graph.relationships,
          imageBytes: options.withImages ? bytes : undefined,
          origin: `${file}#${line}`,
        },
        options.datasetType,
      );
    }
  } finally {
    rl.close();
  }
}

function isPositive(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v > 0;
}
