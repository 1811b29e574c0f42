import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { PrismaClient } from "../db/generated/client";
import { graphsAtVersion } from "../annotation/graphs-at-version";
import { env } from "../env";
import { NotFoundError } from "../queries/find-split";
import { ExportError } from "./export-error";
import type { WriterResult } from "./export-types";
import { splitImageLookup } from "./split-image-lookup";
import { writeHfParquet } from "./write-hf-parquet";
import { writeRecordsJsonl } from "./write-records-jsonl";
import { writeVg150Files } from "./write-vg150-files";

export const EXPORT_FORMATS = ["jsonl", "parquet", "vg150"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportSplitOptionsSchema = z.object({
  splitId: z.number().int().positive(),
  /** The split's ground-truth version (Split.gtVersion numbering); leave out for the current graphs. */
  version: z.number().int().min(0).optional(),
  format: z.enum(EXPORT_FORMATS),
  /** Folder to create; it must not exist yet, or be empty. */
  out: z.string().min(1),
  /** Write the pictures too (default true); images without a stored picture are written without. */
  withImages: z.boolean().default(true),
  /** vg150: int32 boxes like the release instead of float64. */
  integerBoxes: z.boolean().default(false),
  /** vg150: image ids 1..n with `image_id_map.json`, for splits whose ids are not integers. */
  renumberImages: z.boolean().default(false),
  /** Root of the image store; default `$SGG_DATA_DIR/store`. */
  storeRoot: z.string().optional(),
});
export type ExportSplitOptions = z.input<typeof exportSplitOptionsSchema> & { readonly onProgress?: (images: number) => void };

export interface ExportSplitResult extends WriterResult {
  readonly out: string;
  /** The GT version written. */
  readonly version: number;
  readonly format: ExportFormat;
  /** `<dataset>/<split>` */
  readonly split: string;
}

/**
 * Exports a split's ground truth as it stood at GT version `version` (default: the newest), with its pictures, in one of three layouts that the matching ingest
 * reader reads back to the same graphs:
 *
 * - `jsonl`: the project's record format, `records.jsonl` + `images/` (`sgg ingest records`);
 * - `parquet`: Hugging Face parquet shards `data/<split>-NNNNN-of-MMMMM.parquet` (`sgg ingest hf-parquet`);
 * - `vg150`: the original release's `VG-SGG-with-attri.h5`, `VG-SGG-dicts-with-attri.json`,
 *   `image_data.json` and `VG_100K/` (`sgg ingest vg150-h5`); object ids become `<label>.<k>`.
 *
 * Boxes stay in original-image pixels. The files are written into a folder beside `out` and moved into
 * place when complete, so `out` never holds a partial export.
 */
export async function exportSplit(prisma: PrismaClient, options: ExportSplitOptions): Promise<ExportSplitResult> {
  const o = exportSplitOptionsSchema.parse(options);
  const split = await prisma.split.findUnique({ where: { id: o.splitId }, include: { dataset: true } });
  if (!split) throw new NotFoundError(`no split with id ${o.splitId}`);
  const label = `${split.dataset.name}/${split.name}`;
  if (split.status !== "ready") throw new NotFoundError(`split ${label} is ${split.status}, not ready`);
  if (o.format === "vg150" && split.dataset.datasetType !== "vg") throw new ExportError(`${label} is a ${split.dataset.datasetType} dataset; the VG150 files hold VG150 graphs only`);
  const version = o.version ?? split.gtVersion;
  if (version > split.gtVersion) throw new NotFoundError(`split ${label} has no GT version ${version} (its newest is ${split.gtVersion})`);
  const records = graphsAtVersion(prisma, o.splitId, version);

  const out = path.resolve(o.out);
  await assertFresh(out);
  const tmp = `${out}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const images = o.withImages ? await splitImageLookup(prisma, o.splitId, o.storeRoot ?? path.join(env().storage.dataDir, "store")) : undefined;
    const common = { dir: tmp, images, onProgress: options.onProgress };
    let result: WriterResult;
    switch (o.format) {
      case "jsonl":
        result = await writeRecordsJsonl(records, common);
        break;
      case "parquet":
        result = await writeHfParquet(records, { ...common, split: split.name });
        break;
      case "vg150":
        result = await writeVg150Files(records, { ...common, split: split.name, integerBoxes: o.integerBoxes, renumberImages: o.renumberImages });
        break;
    }
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
    return { ...result, out, version, format: o.format, split: label };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function assertFresh(out: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTDIR") throw new ExportError(`${out} is a file; give a folder to export into`);
    throw e;
  }
  if (entries.length) throw new ExportError(`${out} is not empty; give a new or empty folder`);
}
