import { Command, InvalidArgumentError, Option } from "commander";
import { ingestSource, type IngestSource } from "../../server/ingest/ingest-source";
import type { DatasetType } from "../../server/scene-graph/types";
import { withDatabase } from "../database";
import { EXIT_CODES_HELP } from "../exit-codes";
import { positiveInt } from "../parse-args";
import { progressBar } from "../progress";

async function run(name: string, split: string, source: IngestSource, total?: number) {
  await withDatabase(async (db) => {
    const bar = progressBar(`ingesting ${name}/${split}`, total);
    const t0 = performance.now();
    const r = await ingestSource({ databaseUrl: db.url, name, split, source, onProgress: (n) => bar.update(n) });
    bar.stop();
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    process.stdout.write(
      r.status === "unchanged"
        ? `${name}/${split}: unchanged (same input already ingested): ${r.images} images\n`
        : `${name}/${split}: ${r.images} images, ${r.objects} objects, ${r.relations} relations in ${secs} s\n`,
    );
  });
}

const common = (c: Command) =>
  c.requiredOption("--name <name>", "dataset name in the workbench").requiredOption("--split <split>", "split name (train, val, test)");

/** `sgg ingest <format>`: brings a dataset split into the database and the image store. */
export function ingestCommand(): Command {
  const cmd = new Command("ingest").description("Ingest a dataset split (all or nothing; the same input twice is a no-op).").addHelpText("after", EXIT_CODES_HELP);
  cmd.addCommand(
    common(new Command("hf-parquet"))
      .description("The Hugging Face export of VG150 or PSG: parquet shards with the images inside.")
      .requiredOption("--files <shards...>", "parquet shard files")
      .addOption(new Option("--dataset-type <type>", "vocabulary").choices(["vg", "psg"]).default("vg"))
      .option("--no-images", "store annotations only, not the image bytes")
      .action(async (o: { name: string; split: string; files: string[]; datasetType: DatasetType; images: boolean }) =>
        run(o.name, o.split, { format: "hf-parquet", files: o.files, datasetType: o.datasetType, withImages: o.images }),
      ),
  );
  cmd.addCommand(
    common(new Command("vg150-h5"))
      .description("The original VG150 release: VG-SGG-with-attri.h5, VG-SGG-dicts-with-attri.json, image_data.json and the images.")
      .requiredOption("--h5 <file>", "VG-SGG-with-attri.h5")
      .requiredOption("--dict <file>", "VG-SGG-dicts-with-attri.json")
      .requiredOption("--image-data <file>", "image_data.json")
      .option("--images <dir>", "folder of <image_id>.jpg (leave out to store annotations only)")
      .action(async (o: { name: string; split: string; h5: string; dict: string; imageData: string; images?: string }) => {
        if (!["train", "val", "test"].includes(o.split)) throw new InvalidArgumentError("--split must be train, val or test");
        await run(o.name, o.split, { format: "vg150-h5", h5File: o.h5, dictFile: o.dict, imageDataFile: o.imageData, imageDir: o.images, withImages: o.images !== undefined });
      }),
  );
  cmd.addCommand(
    common(new Command("records"))
      .description("The project's JSON-lines record format (the shipped sample uses it).")
      .requiredOption("--file <records.jsonl>", "records file; image paths are relative to it")
      .addOption(new Option("--dataset-type <type>", "vocabulary").choices(["vg", "psg"]).default("vg"))
      .option("--no-images", "store annotations only")
      .action(async (o: { name: string; split: string; file: string; datasetType: DatasetType; images: boolean }) =>
        run(o.name, o.split, { format: "records-jsonl", file: o.file, datasetType: o.datasetType, withImages: o.images }),
      ),
  );
  cmd.addCommand(
    common(new Command("synthetic"))
      .description("Render a seeded synthetic dataset of shapes with geometrically true VG150 relations.")
      .option("--images <n>", "number of images", positiveInt, 500)
      .option("--seed <n>", "random seed", positiveInt, 1)
      .action(async (o: { name: string; split: string; images: number; seed: number }) => {
        if (!["train", "val"].includes(o.split)) throw new InvalidArgumentError("--split must be train or val");
        await run(o.name, o.split, { format: "synthetic", images: o.images, seed: o.seed }, o.images);
      }),
  );
  for (const c of cmd.commands) c.exitOverride();
  return cmd;
}
