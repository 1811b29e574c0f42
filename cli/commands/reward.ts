import { readFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { describeIssues, InputFileError, readJsonLines } from "../../server/io/read-json-lines";
import { computeRewards } from "../../server/scene-graph/rewards/compute-rewards";
import { rewardCaseSchema } from "../../server/scene-graph/schemas";
import { exactSimilarity, similarityTableSchema, tableSimilarity, type Similarity } from "../../server/scene-graph/similarity";
import type { CompatFlag } from "../../server/scene-graph/types";
import { EXIT_CODES_HELP } from "../exit-codes";
import { parseCompat } from "../parse-compat";

const KEYS = [
  "format", "node_acc", "node_box", "edge_soft", "edge_hard", "edge_hard_relax",
  "total_soft_recall", "total_hard_recall", "total_hard_recall_relax",
] as const;

async function loadSimilarity(file: string | undefined): Promise<Similarity> {
  if (!file) return exactSimilarity;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new InputFileError(file, `cannot read similarity table (${(e as Error).message})`);
  }
  const parsed = similarityTableSchema.safeParse(raw);
  if (!parsed.success) throw new InputFileError(file, describeIssues(parsed.error));
  return tableSimilarity(parsed.data);
}

/** `sgg reward`: scores completions with every reward of the method, one JSON line per case. */
export function rewardCommand(): Command {
  return new Command("reward")
    .description("Score model completions with every R1-SGG reward; prints one JSON line per input line, in order.")
    .requiredOption("--input <file>", 'JSON lines: {"completion", "gt": {"objects", "relationships"}, "image_size": [w, h], "box_scale": [sx, sy]}, ground truth in original pixels')
    .option("--similarity <file>", 'label similarity table {"default": n, "table": [{"a", "b", "sim"}]}; default: exact match')
    .option("--no-strict-format", "give 0.5 format reward to valid graphs without the <think>/<answer> layout")
    .addOption(new Option("--compat <flags>", "reference quirks to reproduce, comma-separated (r1sgg-head)").argParser(parseCompat))
    .option("--explain", "add a \"failures\" object naming why each zeroed reward failed")
    .addHelpText(
      "after",
      `
Output keys: ${KEYS.join(", ")}.
Example:
  $ ./bin/sgg reward --input cases.jsonl --similarity sim.json > rewards.jsonl
${EXIT_CODES_HELP}`,
    )
    .action(async (opts: { input: string; similarity?: string; strictFormat: boolean; compat?: CompatFlag[]; explain?: boolean }) => {
      const similarity = await loadSimilarity(opts.similarity);
      const out: string[] = [];
      for await (const { value } of readJsonLines(opts.input, rewardCaseSchema)) {
        const { scores, failures } = computeRewards(
          { completion: value.completion, gt: value.gt, imageSize: value.image_size, boxScale: value.box_scale },
          { similarity, strictFormat: opts.strictFormat, compat: opts.compat },
        );
        const row: Record<string, unknown> = {};
        for (const k of KEYS) row[k] = scores[k];
        if (opts.explain) row.failures = failures;
        out.push(JSON.stringify(row));
        if (out.length >= 1024) process.stdout.write(out.splice(0).join("\n") + "\n");
      }
      if (out.length) process.stdout.write(out.join("\n") + "\n");
    });
}
