/**
 * Writes a rendered synthetic split as a trainer shard: PNG files plus a records JSON-lines file in the
 * trainer's format (workers/trainer/sgg_trainer/data.py; pixel boxes, ids `<class>.<k>`).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SourceRecord } from "../../server/ingest/source-record";
import { renderDataset, type RenderDatasetOptions } from "../../server/synthetic/render-dataset";

export interface WrittenShard {
  /** Absolute path of the records file. */
  readonly file: string;
  readonly records: readonly SourceRecord[];
}

/** Renders `options` into `folder` (created) and returns the shard file and its records (with image bytes dropped). */
export async function writeSyntheticShard(folder: string, options: RenderDatasetOptions): Promise<WrittenShard> {
  await mkdir(path.join(folder, "images"), { recursive: true });
  const lines: string[] = [];
  const records: SourceRecord[] = [];
  for await (const r of renderDataset(options)) {
    const image = `images/${r.imageId}.png`;
    await writeFile(path.join(folder, image), r.imageBytes!);
    lines.push(JSON.stringify({ image_id: r.imageId, width: r.width, height: r.height, objects: r.objects, relationships: r.relationships, image }));
    records.push({ ...r, imageBytes: undefined });
  }
  const file = path.join(folder, `${options.split}.jsonl`);
  await writeFile(file, lines.join("\n") + "\n");
  return { file, records };
}
