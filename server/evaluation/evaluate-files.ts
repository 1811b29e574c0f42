import { env } from "../env";
import { InputFileError, readAllJsonLines } from "../io/read-json-lines";
import { readPredictions } from "../io/read-predictions";
import { evaluate, EvaluationInputError, type EvaluateOptions, type EvaluationResult } from "../scene-graph/eval/evaluate";
import { checkGtVocabulary, gtRecordSchema } from "../scene-graph/schemas";
import type { GtRecord } from "../scene-graph/types";
import { wordnetLookups } from "./wordnet-lookups";

export interface EvaluateFilesOptions extends Omit<EvaluateOptions, "wordnetClass" | "wordnetPredicate"> {
  readonly gtFile: string;
  readonly predictions: string;
  /** WordNet 3.0 dict folder; default: the configured one, else the bundled npm copy. */
  readonly wordnetDir?: string;
  readonly onStage?: (stage: "reading" | "wordnet" | "evaluating" | "done", detail?: string) => void;
}

/**
 * Reads a ground-truth JSON-lines split and a prediction folder or file, validates both (errors name the
 * file and line), loads WordNet and runs the full evaluation.
 */
export async function evaluateFiles(o: EvaluateFilesOptions): Promise<EvaluationResult & { timings: Record<string, number> }> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (now - t) / 1000;
    t = now;
  };
  o.onStage?.("reading");
  const gtRows = await readAllJsonLines(o.gtFile, gtRecordSchema);
  const gt: GtRecord[] = [];
  const seen = new Set<string>();
  for (const { line, value } of gtRows) {
    const problems = checkGtVocabulary(value, o.datasetType);
    if (problems.length) throw new InputFileError(o.gtFile, problems.join("; "), line);
    if (seen.has(value.image_id)) throw new InputFileError(o.gtFile, `image_id "${value.image_id}" appears twice`, line);
    seen.add(value.image_id);
    gt.push(value);
  }
  const sourced = await readPredictions(o.predictions);
  const firstSource = new Map<string, string>();
  for (const s of sourced) {
    const prev = firstSource.get(s.prediction.image_id);
    if (prev) throw new InputFileError(s.source, `second prediction for image "${s.prediction.image_id}" (first: ${prev})`);
    firstSource.set(s.prediction.image_id, s.source);
  }
  lap("read");
  o.onStage?.("wordnet");
  const lookups = await wordnetLookups(o.datasetType, o.wordnetDir ?? env().sceneGraph.wordnetDir);
  lap("wordnet");
  o.onStage?.("evaluating");
  let result: EvaluationResult;
  try {
    result = evaluate(gt, sourced.map((s) => s.prediction), {
      ...o,
      ...lookups,
    });
  } catch (e) {
    if (e instanceof EvaluationInputError) throw new InputFileError(o.predictions, e.message);
    throw e;
  }
  lap("evaluate");
  o.onStage?.("done");
  return { ...result, timings };
}
