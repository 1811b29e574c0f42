import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../db/generated/client";
import { buildTrainerConfig } from "./build-trainer-config";
import { confinePath, PathConfinementError } from "./confine-path";
import { exportSplitShard, writeVocabularyFile } from "./export-split-shard";
import type { TrainerConfig, TrainingRunForm } from "./training-config";
import { TrainingRunError } from "./training-run-error";

export interface RunInputsOptions {
  readonly run: { readonly id: number; readonly splitId: number | null; readonly evalSplitId: number | null; readonly initCheckpointId: number | null };
  readonly form: TrainingRunForm;
  /** Absolute, confined run folder. */
  readonly runDir: string;
  /** Root of the image store (env().storage.dataDir/store). */
  readonly storeRoot: string;
  /** Folder of local model copies (env().models.modelsDir). */
  readonly modelsDir: string;
  /** The reward service of this attempt. */
  readonly rewardUrl: string;
}

export interface RunInputs {
  readonly configPath: string;
  readonly config: TrainerConfig;
  readonly trainShard: string;
  readonly evalShard: string | undefined;
  readonly vocabFile: string;
}

function confined(p: string, field: string, roots?: readonly string[]): string {
  try {
    return confinePath(p, { field, roots });
  } catch (e) {
    if (e instanceof PathConfinementError) throw new TrainingRunError(e.message, field);
    throw e;
  }
}

/**
 * Writes what the trainer reads into <run>/data and <run>/config.json: the training shard (at most
 * trainLimit images), the evaluation shard (evalImages images) and the vocabulary, exported once and
 * reused by later attempts so a resumed run sees exactly the same data, and the config with this
 * attempt's reward service. Every path in the config is confined to the workbench's folders.
 */
export async function prepareRunInputs(prisma: PrismaClient, o: RunInputsOptions): Promise<RunInputs> {
  const { form, runDir } = o;
  if (o.run.splitId === null) throw new TrainingRunError(`run ${o.run.id}: its training split was deleted`, "splitId");
  const dataDir = confined(path.join(runDir, "data"), "runDir", [runDir]);
  const trainShard = path.join(dataDir, "train.jsonl");
  const evalShard = o.run.evalSplitId !== null ? path.join(dataDir, "eval.jsonl") : undefined;
  const vocabFile = path.join(dataDir, "vocab.json");
  const complete = existsSync(trainShard) && existsSync(vocabFile) && (!evalShard || existsSync(evalShard));
  if (!complete) {
    const shards = [await exportSplitShard(prisma, { splitId: o.run.splitId, out: trainShard, limit: form.trainLimit, storeRoot: o.storeRoot, field: "splitId" })];
    if (evalShard) shards.push(await exportSplitShard(prisma, { splitId: o.run.evalSplitId!, out: evalShard, limit: form.evalImages, storeRoot: o.storeRoot, field: "evalSplitId" }));
    await writeVocabularyFile(vocabFile, shards[0]!.datasetType, shards);
  }

  let initCheckpointPath: string | undefined;
  if (o.run.initCheckpointId !== null) {
    const ck = await prisma.checkpoint.findUnique({ where: { id: o.run.initCheckpointId } });
    if (!ck) throw new TrainingRunError(`checkpoint ${o.run.initCheckpointId} no longer exists`, "initCheckpointId");
    initCheckpointPath = confined(ck.path, "initCheckpointId");
    if (!existsSync(initCheckpointPath)) throw new TrainingRunError(`checkpoint ${ck.id}: folder ${initCheckpointPath} is missing`, "initCheckpointId");
  }
  let hfModelPath: string | undefined;
  if (form.model.family === "hf") {
    const local = path.join(o.modelsDir, form.model.id);
    if (existsSync(local)) hfModelPath = confined(local, "model.id");
  }

  const config = buildTrainerConfig(form, { trainShard, evalShard, vocabFile, rewardUrl: o.rewardUrl, initCheckpointPath, hfModelPath });
  const configPath = path.join(runDir, "config.json");
  await mkdir(runDir, { recursive: true });
  const tmp = `${configPath}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`);
  await rename(tmp, configPath);
  return { configPath, config, trainShard, evalShard, vocabFile };
}
