/**
 * Every checkpoint of a run with an evaluation split gets an evaluation: greedy predictions on the eval
 * subset (`python -m sgg_trainer.predict`), imported as a prediction set linked to the checkpoint, then an
 * `evaluate` job. The train job calls this after the trainer has exited (the predictions would otherwise
 * compete with training for the same cores and GPU), and again on every later attempt, so checkpoints of
 * an interrupted run are caught up. Each step is idempotent: a checkpoint with its prediction set is not
 * predicted again; an evaluation already requested or stored is not requested again.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "../db/generated/client";
import { importPredictions } from "../predictions/import-predictions";
import { predictArgv, type ProcessGroupRunner } from "./trainer-command";

export interface CheckpointEvaluationOptions {
  readonly run: { readonly id: number; readonly name: string; readonly runDir: string; readonly evalSplitId: number };
  readonly configPath: string;
  readonly evalShard: string;
  /** Images per checkpoint (the eval shard already holds at most this many). */
  readonly maxImages: number;
  readonly python: string;
  readonly override?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly spawn: ProcessGroupRunner;
  /** Starts the evaluate job of a prediction set. */
  enqueueEvaluate(predictionSetId: number): Promise<string>;
  log(message: string): void | Promise<void>;
}

export interface CheckpointEvaluationResult {
  readonly checkpointId: number;
  readonly step: number | null;
  readonly predictionSetId: number | null;
  /** predicted: new predictions imported; existing: imported by an earlier attempt; missing: folder gone. */
  readonly outcome: "predicted" | "existing" | "missing";
  readonly evaluationRequested: boolean;
}

/** Predicts, imports and requests the evaluation of each of the run's checkpoints that lacks one; see the module comment. */
export async function evaluateRunCheckpoints(prisma: PrismaClient, o: CheckpointEvaluationOptions): Promise<CheckpointEvaluationResult[]> {
  const split = await prisma.split.findUnique({ where: { id: o.run.evalSplitId }, include: { dataset: { select: { name: true } } } });
  if (!split) return [];
  const checkpoints = await prisma.checkpoint.findMany({
    where: { runId: o.run.id, format: "torch" },
    orderBy: { step: "asc" },
    include: { predictionSets: { where: { splitId: split.id }, select: { id: true, _count: { select: { evaluations: true } } } } },
  });
  const out: CheckpointEvaluationResult[] = [];
  for (const ck of checkpoints) {
    if (o.signal.aborted) break;
    const step = ck.step ?? 0;
    let setId = ck.predictionSets[0]?.id ?? null;
    let outcome: CheckpointEvaluationResult["outcome"] = "existing";
    if (setId === null) {
      if (!existsSync(path.join(ck.path, "state.json"))) {
        await o.log(`checkpoint of step ${step}: folder ${ck.path} is gone, not evaluated`);
        out.push({ checkpointId: ck.id, step: ck.step, predictionSetId: null, outcome: "missing", evaluationRequested: false });
        continue;
      }
      const file = path.join(o.run.runDir, "predictions", `step-${String(step).padStart(8, "0")}.jsonl`);
      // predict.py writes the file whole or not at all, so an existing one is complete.
      if (!existsSync(file)) {
        const argv = predictArgv({ python: o.python, checkpoint: ck.path, configPath: o.configPath, records: o.evalShard, out: file, maxImages: o.maxImages, override: o.override });
        const r = await o.spawn(argv[0]!, argv.slice(1), { cwd: process.cwd(), env: o.env, signal: o.signal, onStdoutLine: () => {}, onStderrLine: () => {}, killGraceMs: 5000 });
        if (o.signal.aborted) break;
        if (r.code !== 0) throw new Error(`predictions of the step ${step} checkpoint failed (exit ${r.code ?? r.signal}): ${r.stderrTail.trim().slice(-1500)}`);
      }
      const imported = await importPredictions(prisma, {
        dataset: split.dataset.name,
        split: split.name,
        from: file,
        name: `${o.run.name} · run ${o.run.id} step ${step}`,
        checkpointId: ck.id,
        replace: true,
      });
      setId = imported.predictionSetId;
      await prisma.predictionSet.update({
        where: { id: setId },
        data: { origin: "inference", settings: { runId: o.run.id, checkpointStep: step, decoding: "greedy", scope: "subset", images: imported.imported, unknownImages: imported.unknownImages.length } },
      });
      outcome = "predicted";
      await o.log(`checkpoint of step ${step}: ${imported.imported} predictions imported as prediction set ${setId}`);
    }
    const evaluated = (ck.predictionSets[0]?._count.evaluations ?? 0) > 0;
    const requested = evaluated || (await prisma.job.count({ where: { name: "evaluate", payload: { equals: { predictionSetId: setId } }, status: { in: ["queued", "running", "completed"] } } })) > 0;
    if (!requested) await o.enqueueEvaluate(setId);
    out.push({ checkpointId: ck.id, step: ck.step, predictionSetId: setId, outcome, evaluationRequested: !requested });
  }
  return out;
}
