import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { generateSplit } from "../../server/synthetic/generate-split";
import { EXIT_CODES_HELP } from "../exit-codes";
import { positiveInt } from "../parse-args";

/** `sgg generate`: writes a seeded synthetic VG150 split and model answers, to try `reward` and `eval`. */
export function generateCommand(): Command {
  return new Command("generate")
    .description("Write a seeded synthetic VG150 split (gt.jsonl), model answers (predictions/<id>.json) and reward cases (cases.jsonl).")
    .requiredOption("--out <dir>", "output folder")
    .option("--images <n>", "number of images", positiveInt, 100)
    .option("--seed <n>", "random seed", positiveInt, 42)
    .addHelpText(
      "after",
      `
Example:
  $ ./bin/sgg generate --out var/demo --images 200
  $ ./bin/sgg eval --gt var/demo/gt.jsonl --pred var/demo/predictions
${EXIT_CODES_HELP}`,
    )
    .action(async (opts: { out: string; images: number; seed: number }) => {
      const split = generateSplit({ images: opts.images, seed: opts.seed });
      const predDir = path.join(opts.out, "predictions");
      await mkdir(predDir, { recursive: true });
      await writeFile(path.join(opts.out, "gt.jsonl"), split.gt.map((r) => JSON.stringify(r)).join("\n") + "\n");
      const cases = split.gt.map((r, i) =>
        JSON.stringify({ completion: split.predictions[i]!.response, gt: { objects: r.objects, relationships: r.relationships }, image_size: [r.width, r.height], box_scale: [1000, 1000] }),
      );
      await writeFile(path.join(opts.out, "cases.jsonl"), cases.join("\n") + "\n");
      await Promise.all(split.predictions.map((p) => writeFile(path.join(predDir, `${p.image_id}.json`), JSON.stringify(p))));
      process.stdout.write(`wrote ${split.gt.length} images to ${opts.out} (gt.jsonl, cases.jsonl, predictions/)\n`);
    });
}
