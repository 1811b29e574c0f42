import { Command, Option } from "commander";
import { evaluatePredictionSet } from "../../server/evaluation/evaluate-prediction-set";
import { importPredictions } from "../../server/predictions/import-predictions";
import type { CompatFlag } from "../../server/scene-graph/types";
import { withDatabase } from "../database";
import { EXIT_CODES_HELP } from "../exit-codes";
import { positiveInt } from "../parse-args";
import { formatReport } from "../format-report";
import { parseCompat } from "../parse-compat";
import { progressBar } from "../progress";

/** `sgg import-predictions`: stores a prediction folder or file as a prediction set. */
export function importPredictionsCommand(): Command {
  return new Command("import-predictions")
    .description("Import model answers (the reference's per-image JSON folder or a JSONL file) as a prediction set.")
    .requiredOption("--dataset <name>", "dataset name")
    .requiredOption("--split <split>", "split name")
    .requiredOption("--from <path>", "folder of <image_id>.json files or a JSON-lines file")
    .requiredOption("--name <name>", "prediction set name")
    .option("--replace", "replace a prediction set of the same name")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (o: { dataset: string; split: string; from: string; name: string; replace?: boolean }) =>
      withDatabase(async (db) => {
        const r = await importPredictions(db.prisma, o);
        process.stdout.write(`prediction set ${r.predictionSetId} "${o.name}": ${r.imported} answers, ${r.failed} failed to parse\n`);
        if (r.unknownImages.length) process.stdout.write(`skipped ${r.unknownImages.length} answer(s) for images not in ${o.dataset}/${o.split}: ${r.unknownImages.slice(0, 10).join(", ")}\n`);
      }),
    );
}

/** `sgg evaluate`: evaluates a stored prediction set and stores every figure with its protocol. */
export function evaluateCommand(): Command {
  return new Command("evaluate")
    .description("Evaluate a stored prediction set and store the result (all families, per image, per predicate).")
    .requiredOption("--prediction-set <id>", "prediction set id (import-predictions prints it)", positiveInt)
    .addOption(new Option("--compat <flags>", "reference quirks to reproduce, comma-separated").argParser(parseCompat))
    .addOption(new Option("--ng-tie-order <order>", "tie order of the ng-R@K ranking").choices(["numpy", "stable"]).default("numpy"))
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (o: { predictionSet: number; compat?: CompatFlag[]; ngTieOrder: "numpy" | "stable" }) =>
      withDatabase(async (db) => {
        let bar: ReturnType<typeof progressBar> | undefined;
        const r = await evaluatePredictionSet(db.prisma, {
          predictionSetId: o.predictionSet,
          compat: o.compat,
          ngTieOrder: o.ngTieOrder,
          onProgress: (done, total) => (bar ??= progressBar("evaluating", total)).update(done),
        });
        bar?.stop();
        process.stdout.write(formatReport(r.report) + `\n\nstored as evaluation ${r.evaluationId}\n`);
      }),
    );
}
