import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { PredictionFile } from "../scene-graph/eval/gather";
import { predictionFileSchema } from "../scene-graph/schemas";
import { assertReadable, describeIssues, InputFileError, readAllJsonLines } from "./read-json-lines";

/** A prediction with where it came from, for error messages. */
export interface SourcedPrediction {
  readonly prediction: PredictionFile;
  readonly source: string;
}

/**
 * Reads predictions as the reference's inference writes them: a folder of `<image_id>.json` files (read in
 * name order) or one JSON-lines file of the same objects. Malformed files are errors naming the file.
 */
export async function readPredictions(location: string): Promise<SourcedPrediction[]> {
  await assertReadable(location);
  if (!(await stat(location)).isDirectory()) {
    const rows = await readAllJsonLines(location, predictionFileSchema);
    return rows.map((r) => ({ prediction: r.value, source: `${location}:${r.line}` }));
  }
  const names = (await readdir(location)).filter((n) => n.endsWith(".json")).sort();
  const out: SourcedPrediction[] = [];
  // Bounded parallel reads: a 5,000-file folder should not open 5,000 handles at once.
  const batch = 64;
  for (let i = 0; i < names.length; i += batch) {
    const chunk = await Promise.all(names.slice(i, i + batch).map((n) => readOne(path.join(location, n))));
    out.push(...chunk);
  }
  return out;
}

async function readOne(file: string): Promise<SourcedPrediction> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new InputFileError(file, `invalid JSON (${(e as Error).message})`);
  }
  const parsed = predictionFileSchema.safeParse(raw);
  if (!parsed.success) throw new InputFileError(file, describeIssues(parsed.error));
  return { prediction: parsed.data, source: file };
}
