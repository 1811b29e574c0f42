import { existsSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { evaluatePredictionSet } from "../../server/evaluation/evaluate-prediction-set";
import { ingestSource } from "../../server/ingest/ingest-source";
import { importPredictions } from "../../server/predictions/import-predictions";
import { seedDemoModel } from "../../server/demo/seed-demo-model";
import { withDatabase } from "../database";
import { EXIT_CODES_HELP } from "../exit-codes";

const SAMPLE_DIR = path.resolve(import.meta.dirname, "../../data/sample");
const DEMO_MODEL_DIR = path.resolve(import.meta.dirname, "../../data/demo-model");

/** `sgg seed-demo`: the embedded default's demo data, safe to run on every start. */
export function seedDemoCommand(): Command {
  return new Command("seed-demo")
    .description("Load the demo data: the annotated real photographs with their example answers and evaluation, and a small synthetic set.")
    .option("--synthetic <n>", "synthetic validation images to render", (v) => Number(v), 200)
    .option("--no-model", "skip the shipped model's data, recorded runs and ONNX predictions")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (o: { synthetic: number; model: boolean }) =>
      withDatabase(async (db) => {
        const sample = await ingestSource({
          databaseUrl: db.url,
          name: "real-sample",
          split: "val",
          source: { format: "records-jsonl", file: path.join(SAMPLE_DIR, "records.jsonl"), datasetType: "vg", withImages: true },
          attribution: "Photographs: see data/sample/README.md for each source and licence. Annotations: SGG Workbench.",
        });
        process.stdout.write(`real-sample/val: ${sample.status}, ${sample.images} images\n`);
        // Two sets of constructed answers, so Compare has something to show from the first start.
        for (const [name, folder] of [["example-answers", "predictions"], ["revised-answers", "predictions-revised"]] as const) {
          const sets = await db.prisma.predictionSet.count({ where: { splitId: sample.splitId, name } });
          if (sample.status !== "ingested" && sets > 0) continue;
          const imp = await importPredictions(db.prisma, { dataset: "real-sample", split: "val", from: path.join(SAMPLE_DIR, folder), name, replace: true });
          const ev = await evaluatePredictionSet(db.prisma, { predictionSetId: imp.predictionSetId });
          process.stdout.write(`${name}: ${imp.imported} answers, evaluation ${ev.evaluationId}\n`);
        }
        if (o.synthetic > 0) {
          const syn = await ingestSource({ databaseUrl: db.url, name: "synthetic-shapes", split: "val", source: { format: "synthetic", images: o.synthetic, seed: 1 } });
          process.stdout.write(`synthetic-shapes/val: ${syn.status}, ${syn.images} images\n`);
        }
        if (o.model && existsSync(path.join(DEMO_MODEL_DIR, "dataset.json"))) {
          await seedDemoModel(db.prisma, db.url, DEMO_MODEL_DIR, (line) => process.stdout.write(`${line}\n`));
        }
      }),
    );
}
