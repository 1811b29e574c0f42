import { Command, InvalidArgumentError, Option } from "commander";
import type { PrismaClient } from "../../server/db/generated/client";
import { EXPORT_FORMATS, exportSplit, type ExportFormat } from "../../server/export/export-split";
import { findSplit, NotFoundError } from "../../server/queries/find-split";
import { withDatabase } from "../database";
import { EXIT_CODES_HELP } from "../exit-codes";
import { positiveInt } from "../parse-args";
import { progressBar } from "../progress";

type SplitRef = { id: number } | { dataset: string; split: string };

interface ExportOptions {
  split: SplitRef;
  format: ExportFormat;
  out: string;
  version?: number;
  images: boolean;
  integerBoxes: boolean;
  renumberImages: boolean;
}

const nonNegativeInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number, 0 or more");
  return n;
};

/** A split by its id (`12`) or by name (`vg150/val`). */
const splitRef = (v: string): SplitRef => {
  if (/^\d+$/.test(v)) return { id: positiveInt(v) };
  const i = v.lastIndexOf("/");
  if (i <= 0 || i === v.length - 1) throw new InvalidArgumentError("expected a split id or <dataset>/<split>, e.g. vg150/val");
  return { dataset: v.slice(0, i), split: v.slice(i + 1) };
};

async function resolveSplit(prisma: PrismaClient, ref: SplitRef): Promise<{ id: number; imageCount: number }> {
  if ("dataset" in ref) return findSplit(prisma, ref.dataset, ref.split);
  const row = await prisma.split.findUnique({ where: { id: ref.id }, select: { id: true, imageCount: true } });
  if (!row) throw new NotFoundError(`no split with id ${ref.id}`);
  return row;
}

/** `sgg export`: writes a split's ground truth in a format the matching `sgg ingest` reads back. */
export function exportCommand(): Command {
  return new Command("export")
    .description(
      "Export a split's ground truth with its pictures into a new folder: jsonl (records.jsonl + images/, read by `ingest records`), " +
        "parquet (Hugging Face shards under data/, read by `ingest hf-parquet`) or vg150 (VG-SGG-with-attri.h5, VG-SGG-dicts-with-attri.json, " +
        "image_data.json and VG_100K/, read by `ingest vg150-h5`; object ids become <label>.<k>).",
    )
    .requiredOption("--split <split>", "split id or <dataset>/<split>", splitRef)
    .addOption(new Option("--format <format>", "file layout").choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption("--out <folder>", "folder to create (must not exist or be empty)")
    .option("--version <n>", "ground-truth version of the split (default: the current graphs)", nonNegativeInt)
    .option("--no-images", "write annotations only")
    .option("--integer-boxes", "vg150: int32 boxes like the release (lossy, up to half a unit of the box scale)", false)
    .option("--renumber-images", "vg150: image ids 1..n, with image_id_map.json back to the original ids", false)
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (o: ExportOptions) => {
      await withDatabase(async (db) => {
        const split = await resolveSplit(db.prisma, o.split);
        const bar = progressBar(`exporting ${o.format}`, split.imageCount);
        const t0 = performance.now();
        let r;
        try {
          r = await exportSplit(db.prisma, {
            splitId: split.id,
            version: o.version,
            format: o.format,
            out: o.out,
            withImages: o.images,
            integerBoxes: o.integerBoxes,
            renumberImages: o.renumberImages,
            onProgress: (n) => bar.update(n),
          });
        } finally {
          bar.stop();
        }
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        process.stdout.write(`${r.split} → ${r.out}: ${r.images} images (${r.pictures} pictures), ${r.objects} objects, ${r.relations} relations in ${secs} s\n`);
        for (const f of r.files) process.stdout.write(`  ${f}\n`);
        for (const w of r.warnings) process.stderr.write(`sgg: warning: ${w}\n`);
      });
    });
}
