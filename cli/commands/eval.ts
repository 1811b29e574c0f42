import { writeFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { SingleBar } from "cli-progress";
import { evaluateFiles } from "../../server/evaluation/evaluate-files";
import type { CompatFlag, DatasetType } from "../../server/scene-graph/types";
import { EXIT_CODES_HELP } from "../exit-codes";
import { formatReport } from "../format-report";
import { parseCompat } from "../parse-compat";

/** `sgg eval`: the full evaluation of a prediction set against a ground-truth split. */
export function evalCommand(): Command {
  return new Command("eval")
    .description("Evaluate predictions against a ground-truth split: failure rate, COCO AP, no-K recalls, SGDET R@K family.")
    .requiredOption("--gt <file>", 'ground truth, JSON lines {"image_id", "width", "height", "objects", "relationships"}, boxes in pixels')
    .requiredOption("--pred <path>", 'a folder of per-image JSON files or a JSON-lines file: {"image_id", "response", "box_scale"}')
    .addOption(new Option("--dataset-type <type>", "vocabulary").choices(["vg", "psg"]).default("vg"))
    .addOption(new Option("--compat <flags>", "reference quirks to reproduce, comma-separated (coco-id0, psg-object-vocab)").argParser(parseCompat))
    .addOption(new Option("--ng-tie-order <order>", "tie order of the ng-R@K ranking").choices(["numpy", "stable"]).default("numpy"))
    .option("--wordnet-dir <dir>", "WordNet 3.0 dict folder (default: SGG_WORDNET_DIR, else the bundled copy)")
    .option("--json <file>", "write every figure (fractions; failure rate in %) with per-predicate and per-image detail")
    .option("--quiet", "no progress bar")
    .addHelpText(
      "after",
      `
Example:
  $ ./bin/sgg eval --gt val.jsonl --pred predictions/ --json report.json
${EXIT_CODES_HELP}`,
    )
    .action(async (opts: { gt: string; pred: string; datasetType: DatasetType; compat?: CompatFlag[]; ngTieOrder: "numpy" | "stable"; wordnetDir?: string; json?: string; quiet?: boolean }) => {
      const showBar = !opts.quiet && process.stderr.isTTY;
      const bar = new SingleBar({ format: "evaluating [{bar}] {percentage}% | {value}/{total} predictions | ETA {eta}s", stream: process.stderr, hideCursor: true });
      let barStarted = false;
      const result = await evaluateFiles({
        gtFile: opts.gt,
        predictions: opts.pred,
        datasetType: opts.datasetType,
        compat: opts.compat,
        ngTieOrder: opts.ngTieOrder,
        wordnetDir: opts.wordnetDir,
        onStage: (stage) => {
          if (!opts.quiet && stage !== "done" && stage !== "evaluating") process.stderr.write(`${stage}…\n`);
        },
        onProgress: (done, total) => {
          if (!showBar) return;
          if (!barStarted) {
            bar.start(total, 0);
            barStarted = true;
          }
          bar.update(done);
        },
      });
      if (barStarted) bar.stop();
      process.stdout.write(formatReport(result.report) + "\n");
      if (opts.json) {
        // JSON has no NaN: undefined means (e.g. no zero-shot triplet) become null.
        await writeFile(opts.json, JSON.stringify(result.report, null, 1) + "\n");
        process.stdout.write(`\nwrote ${opts.json}\n`);
      }
    });
}
