import { Command, InvalidArgumentError, Option } from "commander";
import { ZodError } from "zod";
import { evaluatePredictionSet } from "../../server/evaluation/evaluate-prediction-set";
import { InferenceUnavailableError } from "../../server/inference/backend";
import { fillPredictionSet } from "../../server/inference/fill-prediction-set";
import type { BoxScaleSetting, InferenceSettingsInput } from "../../server/inference/inference-settings";
import { InferenceSettingsError } from "../../server/inference/settings-error";
import { createPredictionRun, PredictionRunInputError } from "../../server/predictions/create-prediction-run";
import { findSplit } from "../../server/queries/find-split";
import { withDatabase } from "../database";
import { EXIT, EXIT_CODES_HELP } from "../exit-codes";
import { formatReport } from "../format-report";
import { positiveInt } from "../parse-args";
import { progressBar } from "../progress";

const num = (v: string) => {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number");
  return n;
};
const wholeNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number");
  return n;
};
const boxScale = (v: string): BoxScaleSetting => {
  if (v === "qwen2-vl" || v === "qwen2.5-vl") return v;
  const m = /^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)$/.exec(v);
  if (!m) throw new InvalidArgumentError('expected qwen2-vl, qwen2.5-vl or WIDTHxHEIGHT (e.g. 336x336)');
  return { x: Number(m[1]), y: Number(m[2]) };
};
const splitRef = (v: string) => {
  const i = v.lastIndexOf("/");
  if (i <= 0 || i === v.length - 1) throw new InvalidArgumentError("expected <dataset>/<split>, e.g. vg150/val");
  return { dataset: v.slice(0, i), split: v.slice(i + 1) };
};

interface PredictOptions {
  split: { dataset: string; split: string };
  name: string;
  backend: "openai" | "onnx";
  baseUrl?: string;
  model?: string;
  apiKey: "env" | "none";
  boxScale?: BoxScaleSetting;
  modelDir?: string;
  decoding: "greedy" | "sample";
  relationIds?: "constrained" | "free";
  batchSize?: number;
  prompt: "closed" | "open";
  system: "plain" | "think";
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  seed?: number;
  limit?: number;
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  resume?: boolean;
  evaluate: boolean;
}

function settingsFrom(o: PredictOptions): InferenceSettingsInput {
  const defined = <T extends object>(x: T) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as T;
  const backend =
    o.backend === "openai"
      ? defined({ kind: "openai" as const, baseUrl: o.baseUrl, model: o.model ?? "", apiKeySource: o.apiKey, boxScale: o.boxScale })
      : defined({ kind: "onnx" as const, modelDir: o.modelDir ?? "", decoding: o.decoding, batchSize: o.batchSize, constrainRelationIds: o.relationIds === undefined ? undefined : o.relationIds === "constrained" });
  return defined({
    backend,
    prompt: { variant: o.prompt, system: o.system },
    sampling: defined({ temperature: o.temperature, topP: o.topP, topK: o.topK, maxTokens: o.maxTokens, seed: o.seed }),
    concurrency: o.concurrency,
    timeoutMs: o.timeoutMs,
    retries: o.retries,
    imageLimit: o.limit,
  });
}

/** `sgg predict`: runs a model over a split in this process, stores every answer, then evaluates. */
export function predictCommand(): Command {
  return new Command("predict")
    .description("Run a model over a split (an OpenAI-compatible server or a local ONNX export), store the answers as a prediction set, and evaluate it.")
    .requiredOption("--split <dataset/split>", "the split to answer, e.g. vg150/val", splitRef)
    .requiredOption("--name <name>", "prediction set name")
    .addOption(new Option("--backend <kind>", "where answers come from").choices(["openai", "onnx"]).default("openai"))
    .option("--base-url <url>", "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (default SGG_OPENAI_BASE_URL)")
    .option("--model <name>", "model name the server serves (openai)")
    .addOption(new Option("--api-key <source>", "send SGG_OPENAI_API_KEY (only to SGG_OPENAI_BASE_URL) or no key").choices(["env", "none"]).default("env"))
    .option("--box-scale <scale>", "model box space: qwen2-vl (0..1000 grid), qwen2.5-vl (resized pixels) or WxH", boxScale)
    .option("--model-dir <dir>", "ONNX model folder (encoder.onnx, decoder.onnx, tokenizer.json, model_config.json), relative to the models folder")
    .addOption(new Option("--decoding <mode>", "ONNX decoding").choices(["greedy", "sample"]).default("greedy"))
    .option("--batch-size <n>", "ONNX images decoded together", positiveInt)
    .addOption(new Option("--relation-ids <rule>", "ONNX: relationship ends among listed objects only, or free (default: as the model was trained)").choices(["constrained", "free"]))
    .addOption(new Option("--prompt <variant>", "closed: list the vocabulary; open: no lists").choices(["closed", "open"]).default("closed"))
    .addOption(new Option("--system <prompt>", "think for GRPO-trained models, plain otherwise").choices(["plain", "think"]).default("plain"))
    .option("--temperature <t>", "sampling temperature (default 0.01, method.md e.3)", num)
    .option("--top-p <p>", "nucleus mass (default 0.001)", num)
    .option("--top-k <k>", "top-k (sent to the server only when given)", wholeNumber)
    .option("--max-tokens <n>", "new tokens per answer (default 2048)", positiveInt)
    .option("--seed <n>", "sampling seed", wholeNumber)
    .option("--limit <n>", "only the split's first N images (by id)", positiveInt)
    .option("--concurrency <n>", "requests in flight (default 4)", positiveInt)
    .option("--timeout-ms <ms>", "per request (default 300000)", positiveInt)
    .option("--retries <n>", "extra attempts on 429, 5xx, network errors and timeouts (default 3)", wholeNumber)
    .option("--resume", "continue the unfinished prediction set of this name with its stored settings")
    .option("--no-evaluate", "store the answers without evaluating them")
    .addHelpText("after", `\nCtrl-C stops at once and keeps every stored answer; run again with --resume to finish.\n${EXIT_CODES_HELP}`)
    .action(async (o: PredictOptions) =>
      withDatabase(async (db) => {
        const split = await findSplit(db.prisma, o.split.dataset, o.split.split);
        let setId: number;
        const existing = await db.prisma.predictionSet.findUnique({ where: { splitId_name: { splitId: split.id, name: o.name } } });
        if (o.resume && existing) {
          if (existing.origin !== "inference") return fail(`--name: prediction set "${o.name}" was imported; only inference sets can be resumed`);
          setId = existing.id;
          process.stderr.write(`resuming prediction set ${setId} "${o.name}" with its stored settings (${existing.count} answers so far)\n`);
        } else {
          try {
            setId = (await createPredictionRun(db.prisma, { name: o.name, splitId: split.id, settings: settingsFrom(o) }, { queue: null })).predictionSetId;
          } catch (e) {
            if (e instanceof PredictionRunInputError) return fail(`${optionOf(e.field)}: ${e.message}${e.field === "name" ? " (use --resume to continue it)" : ""}`);
            if (e instanceof ZodError) return fail(e.issues.map((i) => `${optionOf(i.path.join("."))}: ${i.message}`).join("\n"));
            throw e;
          }
        }

        const stop = new AbortController();
        const onSignal = () => stop.abort(new Error("interrupted"));
        process.once("SIGINT", onSignal);
        let bar: ReturnType<typeof progressBar> | undefined;
        try {
          const r = await fillPredictionSet(db.prisma, setId, {
            signal: stop.signal,
            onProgress: (done, total) => (bar ??= progressBar(`predicting ${o.name}`, total)).update(done),
          });
          bar?.stop();
          process.stdout.write(`prediction set ${setId} "${o.name}": ${r.total} images, ${r.written} answered now (${r.failed} failed), ${r.resumed} from before\n`);
        } catch (e) {
          bar?.stop();
          const count = (await db.prisma.predictionSet.findUnique({ where: { id: setId } }))?.count ?? 0;
          const keep = `${count} answers are stored; run again with --resume to finish`;
          if (stop.signal.aborted) {
            process.stderr.write(`sgg: stopped; ${keep}\n`);
            process.exitCode = 130;
            return;
          }
          if (e instanceof InferenceSettingsError) return fail(`${optionOf(e.field)}: ${e.message}`);
          if (e instanceof InferenceUnavailableError) {
            process.stderr.write(`sgg: the model server is unavailable: ${e.message}\n${keep}\n`);
            process.exitCode = EXIT.internal;
            return;
          }
          throw e;
        } finally {
          process.off("SIGINT", onSignal);
        }
        if (o.evaluate) {
          const { evaluationId, report } = await evaluatePredictionSet(db.prisma, { predictionSetId: setId });
          process.stdout.write(formatReport(report) + `\n\nstored as evaluation ${evaluationId}\n`);
        }
      }),
    );
}

/** The command-line option behind a field of the create input. */
function optionOf(field: string): string {
  const map: Record<string, string> = {
    name: "--name",
    splitId: "--split",
    "settings.backend.baseUrl": "--base-url",
    "settings.backend.model": "--model",
    "settings.backend.apiKeySource": "--api-key",
    "settings.backend.modelDir": "--model-dir",
    "settings.backend.minPixels": "--box-scale",
    "settings.sampling.temperature": "--temperature",
    "settings.sampling.topP": "--top-p",
  };
  return map[field] ?? field;
}

function fail(message: string): void {
  process.stderr.write(`sgg: ${message}\n`);
  process.exitCode = EXIT.usage;
}
